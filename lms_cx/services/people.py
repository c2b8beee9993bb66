"""Employees and teams: creating people, signing in, linking a host application's users."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms_cx.db import utcnow
from lms_cx.errors import ValidationError
from lms_cx.models.people import ROLES, Employee, EmployeeRole, Team, TeamManager

# Checked against when the email is unknown, so a failed sign-in takes as long either way.
_DUMMY_HASH = generate_password_hash("lms_cx-timing-guard")


def normalise_email(email: str) -> str:
    """Return ``email`` trimmed and lower-cased, as employees are looked up by it."""
    return email.strip().lower()


def set_roles(employee: Employee, roles: Iterable[str]) -> None:
    """Give ``employee`` exactly ``roles`` (each one of ROLES)."""
    wanted = set(roles)
    unknown = wanted.difference(ROLES)
    if unknown:
        raise ValidationError(
            f"unknown role {sorted(unknown)[0]!r}; roles are {', '.join(ROLES)}", field="roles"
        )
    employee.role_rows = [row for row in employee.role_rows if row.role in wanted]
    held = {row.role for row in employee.role_rows}
    employee.role_rows.extend(EmployeeRole(role=role) for role in sorted(wanted - held))


def create_employee(
    session: Session,
    *,
    email: str,
    display_name: str,
    roles: Iterable[str] = ("learner",),
    password: str | None = None,
    team: Team | None = None,
    hire_date: date | None = None,
    locale: str | None = None,
    time_zone: str | None = None,
    external_id: str | None = None,
    host_user_id: str | None = None,
    job_role: str | None = None,
) -> Employee:
    """Add a new employee (not committed); raise ValidationError on a taken email."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ValidationError("enter an email address such as name@example.com", field="email")
    if session.scalar(sa.select(Employee.id).where(Employee.email == email)) is not None:
        raise ValidationError(f"an employee with the email {email} already exists", field="email")
    employee = Employee(
        email=email,
        display_name=display_name.strip() or email,
        team=team,
        hire_date=hire_date,
        locale=locale,
        time_zone=time_zone,
        external_id=external_id,
        host_user_id=host_user_id,
        job_role=job_role,
        attributes={},
    )
    set_roles(employee, roles)
    if password is not None:
        set_password(employee, password)
    session.add(employee)
    return employee


def set_password(employee: Employee, password: str) -> None:
    """Store a salted hash of ``password`` (at least 8 characters)."""
    if len(password) < 8:
        raise ValidationError("use at least 8 characters", field="password")
    employee.password_hash = generate_password_hash(password)


def authenticate(session: Session, email: str, password: str) -> Employee | None:
    """Return the active employee whose email and password match, else None."""
    employee = session.scalar(sa.select(Employee).where(Employee.email == normalise_email(email)))
    if employee is None or not employee.password_hash or not employee.is_active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(employee.password_hash, password):
        return None
    employee.last_login_at = utcnow()
    session.commit()
    return employee


def link_host_user(
    session: Session,
    host_user_id: str,
    *,
    email: str,
    display_name: str,
    roles: Iterable[str] = ("learner",),
) -> Employee:
    """Return the employee linked to the host's user ``host_user_id``, creating it on first visit.

    An existing employee with the same email (loaded from HR data, say) is linked rather than
    duplicated. Roles are given only on creation; afterwards they are managed in lms_cx.
    """
    host_user_id = str(host_user_id)
    employee = session.scalar(sa.select(Employee).where(Employee.host_user_id == host_user_id))
    if employee is not None:
        return employee
    employee = session.scalar(sa.select(Employee).where(Employee.email == normalise_email(email)))
    if employee is not None:
        employee.host_user_id = host_user_id
    else:
        employee = create_employee(
            session, email=email, display_name=display_name, roles=roles, host_user_id=host_user_id
        )
    session.commit()
    return employee


def add_team_manager(session: Session, team: Team, employee: Employee) -> None:
    """Make ``employee`` a manager of ``team`` (and so of its sub-teams)."""
    session.flush()
    exists = session.get(TeamManager, (team.id, employee.id))
    if exists is None:
        session.add(TeamManager(team_id=team.id, employee_id=employee.id))
    if "manager" not in employee.roles:
        set_roles(employee, employee.roles | {"manager"})


def team_ids_managed_by(session: Session, employee: Employee) -> list[int]:
    """Return the ids of the teams ``employee`` manages, sub-teams at any depth included."""
    managed = (
        sa.select(TeamManager.team_id.label("id"))
        .where(TeamManager.employee_id == employee.id)
        .cte("managed", recursive=True)
    )
    managed = managed.union(sa.select(Team.id).join(managed, Team.parent_id == managed.c.id))
    return list(session.scalars(sa.select(managed.c.id).order_by(managed.c.id)))
