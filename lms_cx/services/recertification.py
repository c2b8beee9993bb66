"""Recertification: a course comes back before its certificate lapses; history stays.

Every current certificate (not superseded, not revoked) that expires within
``LMS_CX_RECERTIFICATION_LEAD_DAYS`` gets its course assigned again (source
``recertification``), due on the day it expires, unless the person already had the course
assigned since that certificate was issued. ``certificate_expiry`` rules run first and may
use their own criteria, lead time and due date; setting the lead days to ``None`` leaves
recertification to such rules alone.

Completing the new assignment goes through ``certificates.complete_if_satisfied``, whose
``issue_certificate`` issues the new certificate and points the earlier ones'
``superseded_by`` at it; nothing is deleted, so ``training_history`` can show every
completion and every certificate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import Session

from lms_cx.i18n import day_for_reader, pick_text
from lms_cx.i18n import gettext as _
from lms_cx.models import Assignment, Certificate, Course
from lms_cx.models.people import Employee
from lms_cx.services.lifecycle_messages import message_locale
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.local_days import end_of_day, local_date, zone
from lms_cx.services.rule_application import notify_assigned


@dataclass(frozen=True)
class CertificateRecord:
    """One certificate in a person's history; ``state`` is valid/expired/superseded/revoked."""

    id: int
    verification_code: str
    issued_at: datetime
    expires_at: datetime | None
    state: str
    assignment_id: uuid.UUID | None
    superseded_by_id: int | None


@dataclass(frozen=True)
class CompletionRecord:
    """One assignment of the course: why it came, when it was due and done."""

    assignment_id: uuid.UUID
    source: str
    assigned_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    state: str


@dataclass(frozen=True)
class CourseHistory:
    """Everything a person did in one course, oldest first."""

    course_id: int
    slug: str
    title: str
    assignments: list[CompletionRecord]
    certificates: list[CertificateRecord]

    @property
    def current_certificate(self) -> CertificateRecord | None:
        """Return the newest certificate that is still valid, or None."""
        valid = [c for c in self.certificates if c.state == "valid"]
        return valid[-1] if valid else None


def assign_recertifications(
    session: Session, now: datetime, settings: LifecycleSettings
) -> list[Assignment]:
    """Assign again the course of each certificate about to expire (caller holds the lock)."""
    if settings.recertification_lead_days is None:
        return []
    taken_again = sa.select(Assignment.id).where(
        Assignment.employee_id == Certificate.employee_id,
        Assignment.course_id == Certificate.course_id,
        Assignment.state != "cancelled",
        sa.or_(Assignment.assigned_at > Certificate.issued_at, Assignment.state == "open"),
    )
    rows = session.execute(
        sa.select(
            Certificate.id,
            Certificate.employee_id,
            Certificate.course_id,
            Certificate.expires_at,
            Employee.locale,
            Employee.time_zone,
        )
        .join(Employee, Employee.id == Certificate.employee_id)
        .where(
            Employee.is_active.is_(True),
            Certificate.superseded_by_id.is_(None),
            Certificate.revoked_at.is_(None),
            Certificate.expires_at.is_not(None),
            Certificate.expires_at <= now + timedelta(days=settings.recertification_lead_days),
            ~taken_again.exists(),
        )
        .order_by(Certificate.id)
    ).all()
    assignments = []
    for row in rows:
        tz = zone(row.time_zone, settings.default_zone)
        today, expiry = local_date(now, tz), local_date(row.expires_at, tz)
        due = expiry if expiry >= today else today + timedelta(days=settings.grace_days)
        locale = message_locale(row.locale, settings)
        with force_locale(locale):
            reason = _(
                "Recertification: your certificate expires on %(date)s.",
                date=day_for_reader(expiry, locale),
            )
        assignments.append(
            Assignment(
                employee_id=row.employee_id,
                course_id=row.course_id,
                source="recertification",
                reason=reason,
                reason_data={
                    "certificate_id": row.id,
                    "expires_at": row.expires_at.isoformat(),
                    "occurrence": f"certificate:{row.id}",
                },
                assigned_at=now,
                due_at=end_of_day(due, tz),
                state="open",
            )
        )
    session.add_all(assignments)
    session.flush()
    notify_assigned(session, assignments, now, settings)
    return assignments


def certificate_state(certificate: Certificate, now: datetime) -> str:
    """Return ``revoked``, ``superseded``, ``expired`` or ``valid`` for ``certificate``."""
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.superseded_by_id is not None:
        return "superseded"
    if certificate.expires_at is not None and certificate.expires_at <= now:
        return "expired"
    return "valid"


def training_history(
    session: Session,
    employee_id: int,
    locale: str,
    now: datetime,
    course_id: int | None = None,
) -> list[CourseHistory]:
    """Return, per course, every assignment and every certificate of the employee, oldest first.

    Three queries whatever the length of the history; courses are ordered by title.
    """
    of_assignments = [Assignment.employee_id == employee_id, Assignment.course_id.is_not(None)]
    of_certificates = [Certificate.employee_id == employee_id]
    if course_id is not None:
        of_assignments.append(Assignment.course_id == course_id)
        of_certificates.append(Certificate.course_id == course_id)
    assignments = session.scalars(
        sa.select(Assignment).where(*of_assignments).order_by(Assignment.assigned_at, Assignment.id)
    ).all()
    certificates = session.scalars(
        sa.select(Certificate)
        .where(*of_certificates)
        .order_by(Certificate.issued_at, Certificate.id)
    ).all()
    course_ids = {a.course_id for a in assignments} | {c.course_id for c in certificates}
    courses = {
        course.id: course
        for course in session.scalars(sa.select(Course).where(Course.id.in_(course_ids)))
    }
    histories = [
        CourseHistory(
            course_id=course.id,
            slug=course.slug,
            title=pick_text(course.title, locale, course.default_locale) or course.slug,
            assignments=[
                CompletionRecord(a.id, a.source, a.assigned_at, a.due_at, a.completed_at, a.state)
                for a in assignments
                if a.course_id == course.id
            ],
            certificates=[
                CertificateRecord(
                    c.id,
                    c.verification_code,
                    c.issued_at,
                    c.expires_at,
                    certificate_state(c, now),
                    c.assignment_id,
                    c.superseded_by_id,
                )
                for c in certificates
                if c.course_id == course.id
            ],
        )
        for course in courses.values()
    ]
    return sorted(histories, key=lambda history: history.title.casefold())
