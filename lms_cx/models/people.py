"""The organisation: teams nested under teams, employees, their app roles, team managers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, TimestampMixin

#: Roles a person can hold in lms_cx (several at once).
ROLES = ("learner", "trainer", "manager", "admin")


class Team(TimestampMixin, Base):
    """A team; ``parent`` nests it under another team (departments, sites, squads)."""

    __tablename__ = "lms_cx_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_team.id", ondelete="SET NULL"), index=True
    )

    parent: Mapped[Team | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Team]] = relationship(back_populates="parent")
    members: Mapped[list[Employee]] = relationship(back_populates="team")
    managers: Mapped[list[Employee]] = relationship(
        secondary="lms_cx_team_manager", back_populates="managed_teams", viewonly=True
    )


class Employee(TimestampMixin, Base):
    """A person who learns, authors, manages or administers.

    ``host_user_id`` links the row to the host application's user (the value of
    ``current_user.get_id()``); lms_cx never adds a foreign key to the host's schema.
    ``password_hash`` is used only by the standalone app's own login.
    """

    __tablename__ = "lms_cx_employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    host_user_id: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    hire_date: Mapped[date | None] = mapped_column(sa.Date)
    #: The job the person does ("agent", "team lead", "back office"), used by assignment rules.
    job_role: Mapped[str | None] = mapped_column(sa.String(120))
    location: Mapped[str | None] = mapped_column(sa.String(120))
    #: Any further HR attributes assignment rules may match on.
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_team.id", ondelete="SET NULL"), index=True
    )
    password_hash: Mapped[str | None] = mapped_column(sa.String(300))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    team: Mapped[Team | None] = relationship(back_populates="members")
    role_rows: Mapped[list[EmployeeRole]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", lazy="selectin"
    )
    managed_teams: Mapped[list[Team]] = relationship(
        secondary="lms_cx_team_manager", back_populates="managers", viewonly=True
    )

    @property
    def roles(self) -> frozenset[str]:
        """Return the app roles this person holds."""
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        """Return True when the person holds any of ``roles``."""
        return not self.roles.isdisjoint(roles)

    # Flask-Login's user protocol, so the standalone app can log employees in directly.
    @property
    def is_authenticated(self) -> bool:
        """Return True: a loaded employee is an authenticated user."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Return False: employees are never anonymous."""
        return False

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session."""
        return str(self.id)


class EmployeeRole(Base):
    """One app role held by one employee."""

    __tablename__ = "lms_cx_employee_role"

    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)

    employee: Mapped[Employee] = relationship(back_populates="role_rows")

    __table_args__ = (
        sa.CheckConstraint("role IN ('learner', 'trainer', 'manager', 'admin')", name="known_role"),
    )


class TeamManager(Base):
    """An employee who manages a team (and, through nesting, its sub-teams)."""

    __tablename__ = "lms_cx_team_manager"

    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_team.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE"), primary_key=True, index=True
    )
