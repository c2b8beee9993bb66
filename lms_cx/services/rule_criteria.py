"""Whom a rule's criteria match: SQL for the HR columns, Python for free-form attributes.

All criteria must hold; within one criterion any listed value matches; a team matches its
sub-teams at any depth. Only active employees ever match.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models.people import Employee, EmployeeRole, Team

#: Criteria keys a rule may use; values are lists (any of them matches).
CRITERIA_KEYS = ("job_role", "team_ids", "location", "app_roles", "attributes")


def matching_employee_count(session: Session, criteria: dict[str, Any]) -> int:
    """Return how many active employees match ``criteria`` (whatever the trigger)."""
    query = sa.select(Employee.id, Employee.attributes).where(*criteria_filters(criteria))
    wanted = criteria.get("attributes") or {}
    return sum(1 for row in session.execute(query) if attributes_match(row.attributes, wanted))


def criteria_filters(criteria: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions for ``criteria`` (attributes excepted) on active employees."""
    filters: list[sa.ColumnElement[bool]] = [Employee.is_active.is_(True)]
    if criteria.get("job_role"):
        filters.append(Employee.job_role.in_(criteria["job_role"]))
    if criteria.get("location"):
        filters.append(Employee.location.in_(criteria["location"]))
    if criteria.get("team_ids"):
        tree = sa.select(Team.id).where(Team.id.in_(criteria["team_ids"])).cte(recursive=True)
        tree = tree.union(sa.select(Team.id).join(tree, Team.parent_id == tree.c.id))
        filters.append(Employee.team_id.in_(sa.select(tree.c.id)))
    if criteria.get("app_roles"):
        filters.append(
            Employee.id.in_(
                sa.select(EmployeeRole.employee_id).where(
                    EmployeeRole.role.in_(criteria["app_roles"])
                )
            )
        )
    return filters


def change_signature(criteria: dict[str, Any], row: Any) -> str:
    """Return what a person's job role and team (and named fields) are, as a stable string."""
    values: dict[str, Any] = {"job_role": row.job_role, "team_id": row.team_id}
    if criteria.get("location"):
        values["location"] = row.location
    for name in sorted(criteria.get("attributes") or {}):
        values[f"attributes.{name}"] = (row.attributes or {}).get(name)
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def attributes_match(attributes: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Return True when ``attributes`` hold one of the wanted values for every name."""
    for name, values in wanted.items():
        if str(attributes.get(name, "")) not in {str(value) for value in values}:
            return False
    return True
