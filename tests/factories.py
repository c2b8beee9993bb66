"""Test data built through lms_cx's own services, so tests exercise the real rules."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from lms_cx.models.people import Employee, Team
from lms_cx.services.people import add_team_manager, create_employee

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def team(session: Session, name: str | None = None, parent: Team | None = None) -> Team:
    """Add a team (flushed, not committed)."""
    row = Team(name=name or f"Team {next(_sequence)}", parent=parent)
    session.add(row)
    session.flush()
    return row


def employee(
    session: Session,
    *,
    roles: Iterable[str] = ("learner",),
    team: Team | None = None,
    manages: Iterable[Team] = (),
    email: str | None = None,
    display_name: str | None = None,
    hire_date: date | None = None,
    locale: str | None = None,
) -> Employee:
    """Add an employee with the factories' password (flushed, not committed)."""
    number = next(_sequence)
    row = create_employee(
        session,
        email=email or f"person{number}@example.com",
        display_name=display_name or f"Person {number}",
        roles=roles,
        password=PASSWORD,
        team=team,
        hire_date=hire_date,
        locale=locale,
    )
    session.flush()
    for managed in manages:
        add_team_manager(session, managed, row)
    return row
