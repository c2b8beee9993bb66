"""The people of a manager's teams with their assignment counts, in one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment
from lms_cx.models.people import Employee, Team


@dataclass(frozen=True)
class RosterRow:
    """One team member as the manager's home lists them."""

    employee_id: int
    display_name: str
    email: str
    team_name: str
    hire_date: date | None
    days_since_hire: int | None
    open_count: int
    overdue_count: int
    completed_count: int


def team_roster(
    session: Session, team_ids: list[int], now: datetime, manager_id: int | None = None
) -> list[RosterRow]:
    """Return one row per active member of ``team_ids`` but the manager, by team then name."""
    if not team_ids:
        return []
    is_open = Assignment.state == "open"
    counts = (
        sa.select(
            Assignment.employee_id,
            sa.func.count().filter(is_open).label("open_count"),
            sa.func.count().filter(is_open, Assignment.due_at < now).label("overdue_count"),
            sa.func.count().filter(Assignment.state == "completed").label("completed_count"),
        )
        .group_by(Assignment.employee_id)
        .subquery()
    )
    query = (
        sa.select(
            Employee.id,
            Employee.display_name,
            Employee.email,
            Team.name,
            Employee.hire_date,
            sa.func.coalesce(counts.c.open_count, 0),
            sa.func.coalesce(counts.c.overdue_count, 0),
            sa.func.coalesce(counts.c.completed_count, 0),
        )
        .join(Team, Employee.team_id == Team.id)
        .outerjoin(counts, counts.c.employee_id == Employee.id)
        .where(Employee.team_id.in_(team_ids), Employee.is_active.is_(True))
        .order_by(Team.name, Employee.display_name)
    )
    if manager_id is not None:
        query = query.where(Employee.id != manager_id)
    today = now.date()
    return [
        RosterRow(
            employee_id=row[0],
            display_name=row[1],
            email=row[2],
            team_name=row[3],
            hire_date=row[4],
            days_since_hire=(today - row[4]).days if row[4] else None,
            open_count=row[5],
            overdue_count=row[6],
            completed_count=row[7],
        )
        for row in session.execute(query)
    ]
