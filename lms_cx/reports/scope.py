"""Whose readiness a viewer may see: a manager their teams and sub-teams, an admin everyone.

Every readiness query takes a ``Scope`` and filters by it in SQL, so a guessed team or
employee id outside it is simply not found (``NotInScope``, shown as 404).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models.people import Employee, Team
from lms_cx.services.people import team_ids_managed_by


class NotInScope(LookupError):
    """A team or employee the viewer may not see, or that does not exist (the same to them)."""


@dataclass(frozen=True)
class TeamOption:
    """A team the viewer may pick, with its depth below the viewer's top teams."""

    id: int
    name: str
    parent_id: int | None
    depth: int


@dataclass(frozen=True)
class Scope:
    """The people a report covers.

    ``team_ids`` None means the whole organisation (people without a team included);
    ``exclude_id`` leaves the viewer out of their own team's report.
    """

    team_ids: tuple[int, ...] | None
    teams: tuple[TeamOption, ...]
    exclude_id: int | None = None
    #: The team picked from ``teams`` (its sub-teams included), if any.
    team_id: int | None = None
    #: One employee of the scope, for a drill-down.
    employee_id: int | None = None
    #: Only these employees of the scope (a report's second look at a few people).
    only_ids: tuple[int, ...] | None = None

    @property
    def whole_organisation(self) -> bool:
        """Return True when the scope is everyone (an administrator's view, no team picked)."""
        return self.team_ids is None

    def employee_conditions(self) -> list[sa.ColumnElement[bool]]:
        """Return the conditions on ``Employee`` that select the people in scope."""
        conditions = [Employee.is_active.is_(True)]
        if self.team_ids is not None:
            conditions.append(Employee.team_id.in_(self.team_ids))
        if self.exclude_id is not None:
            conditions.append(Employee.id != self.exclude_id)
        if self.employee_id is not None:
            conditions.append(Employee.id == self.employee_id)
        if self.only_ids is not None:
            conditions.append(Employee.id.in_(self.only_ids))
        return conditions

    def employee_ids(self) -> sa.Select[tuple[int]]:
        """Return a SELECT of the ids of the active employees in scope (for ``IN``)."""
        return sa.select(Employee.id).where(*self.employee_conditions())

    def narrowed_to(self, team_id: int | None) -> Scope:
        """Return the scope of one visible team and its sub-teams; ``NotInScope`` otherwise."""
        if team_id is None:
            return self
        known = {team.id for team in self.teams}
        if team_id not in known:
            raise NotInScope(team_id)
        children: dict[int | None, list[int]] = {}
        for team in self.teams:
            children.setdefault(team.parent_id, []).append(team.id)
        subtree, stack = [], [team_id]
        while stack:
            current = stack.pop()
            subtree.append(current)
            stack.extend(children.get(current, []))
        return replace(self, team_ids=tuple(sorted(subtree)), team_id=team_id)


def _ordered(rows: list[tuple[int, str, int | None]], visible: set[int]) -> tuple[TeamOption, ...]:
    """Return teams depth-first under their parents (top teams by name), with their depth."""
    children: dict[int | None, list[tuple[int, str, int | None]]] = {}
    for row in rows:
        parent = row[2] if row[2] in visible else None
        children.setdefault(parent, []).append(row)
    ordered: list[TeamOption] = []

    def walk(parent: int | None, depth: int) -> None:
        for team_id, name, parent_id in sorted(children.get(parent, []), key=lambda r: r[1]):
            ordered.append(TeamOption(team_id, name, parent_id, depth))
            walk(team_id, depth + 1)

    walk(None, 0)
    return tuple(ordered)


def viewer_scope(session: Session, viewer: Employee) -> Scope:
    """Return what ``viewer`` may see: everyone for an admin, else the teams they manage."""
    if viewer.has_role("admin"):
        rows = session.execute(sa.select(Team.id, Team.name, Team.parent_id)).all()
        teams = _ordered([tuple(row) for row in rows], {row[0] for row in rows})
        return Scope(team_ids=None, teams=teams, exclude_id=viewer.id)
    team_ids = team_ids_managed_by(session, viewer) if viewer.has_role("manager") else []
    rows = session.execute(
        sa.select(Team.id, Team.name, Team.parent_id).where(Team.id.in_(team_ids))
    ).all()
    teams = _ordered([tuple(row) for row in rows], set(team_ids))
    return Scope(team_ids=tuple(team_ids), teams=teams, exclude_id=viewer.id)


def scoped_employee(session: Session, scope: Scope, employee_id: int) -> tuple[Employee, Scope]:
    """Return the employee ``employee_id`` and the scope of just them, if ``scope`` covers them.

    Raises ``NotInScope`` otherwise (whether or not the employee exists).
    """
    only = replace(scope, employee_id=employee_id)
    employee = session.scalar(sa.select(Employee).where(*only.employee_conditions()))
    if employee is None:
        raise NotInScope(employee_id)
    return employee, only
