"""The manager's pages: the people of the teams they manage."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template

from lms_cx.auth import current_employee, role_required
from lms_cx.db import get_session, utcnow
from lms_cx.models.people import Team
from lms_cx.reports.team_roster import team_roster
from lms_cx.services.people import team_ids_managed_by

manager = Blueprint("manager", __name__)


@manager.get("/")
@role_required("manager")
def home() -> Any:
    """List the members of my teams (sub-teams included) with open and overdue assignments."""
    session = get_session()
    employee = current_employee()
    assert employee is not None  # role_required
    team_ids = team_ids_managed_by(session, employee)
    teams = session.scalars(sa.select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)).all()
    roster = team_roster(session, team_ids, utcnow(), manager_id=employee.id)
    return render_template("lms_cx/manager/home.html", teams=teams, roster=roster)
