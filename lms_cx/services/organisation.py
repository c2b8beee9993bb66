"""The organisation at a glance, for administrators."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Course, FeedbackItem, Module, Statement
from lms_cx.models.people import Employee, EmployeeRole, Team, TeamManager


@dataclass(frozen=True)
class TeamSummary:
    """A team with its parent, size and managers."""

    id: int
    name: str
    parent_name: str | None
    member_count: int
    managers: list[str]


@dataclass(frozen=True)
class OrganisationOverview:
    """Counts and teams for the admin's home."""

    employee_count: int
    role_counts: dict[str, int]
    course_count: int
    module_count: int
    statement_count: int
    feedback_count: int
    teams: list[TeamSummary]


def organisation_overview(session: Session) -> OrganisationOverview:
    """Return the organisation's counts and its teams (a handful of grouped queries)."""
    active = Employee.is_active.is_(True)
    role_counts = dict(
        session.execute(
            sa.select(EmployeeRole.role, sa.func.count())
            .join(Employee, Employee.id == EmployeeRole.employee_id)
            .where(active)
            .group_by(EmployeeRole.role)
        ).all()
    )
    members = dict(
        session.execute(
            sa.select(Employee.team_id, sa.func.count()).where(active).group_by(Employee.team_id)
        ).all()
    )
    managers: dict[int, list[str]] = {}
    for team_id, name in session.execute(
        sa.select(TeamManager.team_id, Employee.display_name)
        .join(Employee, Employee.id == TeamManager.employee_id)
        .order_by(Employee.display_name)
    ):
        managers.setdefault(team_id, []).append(name)
    parent = sa.orm.aliased(Team)
    teams = [
        TeamSummary(
            team.id, team.name, parent_name, members.get(team.id, 0), managers.get(team.id, [])
        )
        for team, parent_name in session.execute(
            sa.select(Team, parent.name)
            .outerjoin(parent, Team.parent_id == parent.id)
            .order_by(Team.name)
        )
    ]

    def count(model: type) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    return OrganisationOverview(
        employee_count=session.scalar(
            sa.select(sa.func.count()).select_from(Employee).where(active)
        )
        or 0,
        role_counts=role_counts,
        course_count=count(Course),
        module_count=count(Module),
        statement_count=count(Statement),
        feedback_count=count(FeedbackItem),
        teams=teams,
    )
