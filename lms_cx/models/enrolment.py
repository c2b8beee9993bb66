"""Enrolment: assignments and the rules that create them, notifications, certificates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, TimestampMixin, new_uuid, utcnow
from lms_cx.models.checks import course_or_module, one_of

if TYPE_CHECKING:
    from lms_cx.models.assessment import QuizAttempt
    from lms_cx.models.catalog import Course, Module
    from lms_cx.models.people import Employee
    from lms_cx.models.versions import CourseVersion, ModuleVersion

#: Why an assignment exists.
ASSIGNMENT_SOURCES = ("manual", "rule", "remedial", "self", "onboarding", "recertification")

ASSIGNMENT_STATES = ("open", "completed", "cancelled")

#: When an assignment rule fires: at hire, N days after hire, when an employee's attributes
#: change, every N days, or when a certificate is about to expire.
RULE_TRIGGERS = ("on_hire", "day_n", "on_change", "every_n_days", "certificate_expiry")


class AssignmentRule(TimestampMixin, Base):
    """A rule that assigns a course or module to every employee matching ``criteria``."""

    __tablename__ = "lms_cx_assignment_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Which employees match, e.g. ``{"job_role": ["agent"], "team_ids": [3], "location": ...}``.
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), index=True
    )
    trigger: Mapped[str] = mapped_column(sa.String(30))
    #: Days after hire (``day_n``), the period (``every_n_days``) or the lead time before expiry.
    offset_days: Mapped[int | None]
    due_in_days: Mapped[int | None]
    #: Only employees hired (or changed) within this many days are matched; None means all.
    window_days: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    #: The rules file (its name, e.g. ``rules.yaml``) that last synced the rule; None when it
    #: was made in the web pages. A sync of that file removes its rules the file no longer has.
    rules_file: Mapped[str | None] = mapped_column(sa.String(255))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )

    course: Mapped[Course | None] = relationship()
    module: Mapped[Module | None] = relationship()

    __table_args__ = (one_of("trigger", RULE_TRIGGERS, "trigger"), course_or_module())


class Assignment(Base):
    """An employee's enrolment in a course or a module.

    Its id is the xAPI ``context.registration`` of every statement about this enrolment. The
    versions are pinned when the learner starts, so later publishing does not move them.
    """

    __tablename__ = "lms_cx_assignment"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE")
    )
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), index=True
    )
    course_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lms_cx_course_version.id"))
    module_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lms_cx_module_version.id"))
    source: Mapped[str] = mapped_column(sa.String(20), default="manual")
    #: Why, in words shown to the learner and their manager.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Why, as data (the rule's criteria, the feedback themes, the expiring certificate).
    reason_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rule_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_assignment_rule.id", ondelete="SET NULL"), index=True
    )
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(sa.String(20), default="open")

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assigned_by: Mapped[Employee | None] = relationship(foreign_keys=[assigned_by_id])
    course: Mapped[Course | None] = relationship()
    module: Mapped[Module | None] = relationship()
    course_version: Mapped[CourseVersion | None] = relationship()
    module_version: Mapped[ModuleVersion | None] = relationship()
    rule: Mapped[AssignmentRule | None] = relationship()
    quiz_attempts: Mapped[list[QuizAttempt]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        one_of("source", ASSIGNMENT_SOURCES, "source"),
        one_of("state", ASSIGNMENT_STATES, "state"),
        course_or_module(),
        sa.Index("ix_lms_cx_assignment_employee_state", "employee_id", "state"),
    )


class Notification(Base):
    """A message to an employee, shown in the app and optionally e-mailed.

    ``dedupe_key`` (e.g. ``due-soon:<assignment>``) makes producers idempotent: a second
    notification with the same key is refused by the database.
    """

    __tablename__ = "lms_cx_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(sa.String(60))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index("ix_lms_cx_notification_employee_created", "employee_id", "created_at"),
    )


class Certificate(Base):
    """Proof that an employee completed a course version, verifiable by its public code.

    Recertifying issues a new certificate and points the old one's ``superseded_by`` at it.
    """

    __tablename__ = "lms_cx_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE")
    )
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_course.id"), index=True)
    course_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lms_cx_course_version.id"))
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("lms_cx_assignment.id", ondelete="SET NULL"), index=True
    )
    verification_code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    score_scaled: Mapped[float | None]
    revoked_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_certificate.id", ondelete="SET NULL")
    )

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion | None] = relationship()
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.Index("ix_lms_cx_certificate_employee_course", "employee_id", "course_id"),
    )
