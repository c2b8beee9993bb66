"""One employee as their manager drills down: readiness, assignments, attempts, certificates,
customer feedback — a fixed number of queries for the person (a few per assignment for its
module status, read through the learner engine so both sides agree)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import (
    Assignment,
    Certificate,
    Course,
    FeedbackItem,
    FeedbackTheme,
    Module,
    ModuleVersion,
    QuizAttempt,
    Track,
)
from lms_cx.models.people import Employee
from lms_cx.reports.readiness import CSAT_DAYS, EmployeeReadiness, TrackInfo, readiness_rows, tracks
from lms_cx.reports.scope import scoped_employee, viewer_scope
from lms_cx.services.enrolment import NotFound, assignment_plan
from lms_cx.services.module_status import assignment_status
from lms_cx.services.recertification import certificate_state
from lms_cx.services.refresher import refresher_modules

#: Recent customer comments shown on the drill-down.
RECENT_COMMENTS = 5


@dataclass(frozen=True)
class AssignmentLine:
    """One assignment: what, why, where it stands."""

    id: uuid.UUID
    title: str
    source: str
    reason: str | None
    state: str  # open, overdue, completed, cancelled
    assigned_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    modules_satisfied: int | None
    modules_total: int | None
    score: float | None


@dataclass(frozen=True)
class AttemptLine:
    """One quiz attempt with its score."""

    module_title: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    status: str
    score: float | None
    passed: bool | None


@dataclass(frozen=True)
class CertificateLine:
    """One certificate and whether it still proves anything."""

    course_title: str
    code: str
    issued_at: datetime
    expires_at: datetime | None
    state: str
    score: float | None


@dataclass(frozen=True)
class FeedbackSummary:
    """What customers said about the employee: the last 90 days, themes and recent comments."""

    csat_average: float | None
    csat_count: int
    nps_average: float | None
    items: int
    themes: list[tuple[str, int]]
    recent: list[FeedbackItem]


@dataclass(frozen=True)
class EmployeeDetail:
    """Everything the drill-down page shows."""

    employee: Employee
    team_name: str | None
    readiness: EmployeeReadiness
    tracks: list[TrackInfo]
    assignments: list[AssignmentLine]
    attempts: list[AttemptLine]
    certificates: list[CertificateLine]
    feedback: FeedbackSummary
    #: Tracks a refresher can be assigned in (they have a published module).
    refresher_tracks: frozenset[str]


def _assignments(
    session: Session, employee: Employee, locale: str, now: datetime
) -> list[AssignmentLine]:
    rows = session.execute(
        sa.select(Assignment, Course.title, Module.title)
        .outerjoin(Course, Course.id == Assignment.course_id)
        .outerjoin(Module, Module.id == Assignment.module_id)
        .where(Assignment.employee_id == employee.id)
        .order_by(Assignment.assigned_at.desc())
    ).all()
    lines = []
    for assignment, course_title, module_title in rows:
        satisfied = total = score = None
        if assignment.state != "cancelled":
            try:
                status = assignment_status(session, assignment_plan(session, assignment))
            except NotFound:  # nothing of it is published yet
                status = None
            if status is not None:
                satisfied, total, score = status.satisfied_count, len(status.modules), status.score
        state = assignment.state
        if state == "open" and assignment.due_at is not None and assignment.due_at < now:
            state = "overdue"
        lines.append(
            AssignmentLine(
                id=assignment.id,
                title=pick_text(course_title or module_title, locale),
                source=assignment.source,
                reason=assignment.reason,
                state=state,
                assigned_at=assignment.assigned_at,
                due_at=assignment.due_at,
                completed_at=assignment.completed_at,
                modules_satisfied=satisfied,
                modules_total=total,
                score=score,
            )
        )
    return lines


def _attempts(session: Session, employee: Employee, locale: str) -> list[AttemptLine]:
    rows = session.execute(
        sa.select(QuizAttempt, ModuleVersion.snapshot["title"])
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(QuizAttempt.employee_id == employee.id)
        .order_by(QuizAttempt.started_at.desc())
    ).all()
    return [
        AttemptLine(
            module_title=pick_text(title if isinstance(title, dict) else {}, locale),
            number=attempt.number,
            started_at=attempt.started_at,
            submitted_at=attempt.submitted_at,
            status=attempt.status,
            score=attempt.score_scaled,
            passed=attempt.passed,
        )
        for attempt, title in rows
    ]


def _certificates(
    session: Session, employee: Employee, locale: str, now: datetime
) -> list[CertificateLine]:
    rows = session.execute(
        sa.select(Certificate, Course.title)
        .join(Course, Course.id == Certificate.course_id)
        .where(Certificate.employee_id == employee.id)
        .order_by(Certificate.issued_at.desc())
    ).all()
    return [
        CertificateLine(
            course_title=pick_text(title, locale),
            code=certificate.verification_code,
            issued_at=certificate.issued_at,
            expires_at=certificate.expires_at,
            state=certificate_state(certificate, now),
            score=certificate.score_scaled,
        )
        for certificate, title in rows
    ]


def _feedback(session: Session, employee: Employee, now: datetime) -> FeedbackSummary:
    since = now - timedelta(days=CSAT_DAYS)
    recent_items = [FeedbackItem.employee_id == employee.id, FeedbackItem.occurred_at >= since]
    csat, csat_count, nps, items = session.execute(
        sa.select(
            sa.func.avg(FeedbackItem.csat),
            sa.func.count(FeedbackItem.csat),
            sa.func.avg(FeedbackItem.nps),
            sa.func.count(),
        ).where(*recent_items)
    ).one()
    themes = session.execute(
        sa.select(Track.code, sa.func.count())
        .join(FeedbackTheme, FeedbackTheme.track_id == Track.id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackTheme.feedback_item_id)
        .where(*recent_items)
        .group_by(Track.code)
        .order_by(sa.func.count().desc(), Track.code)
    ).all()
    recent = session.scalars(
        sa.select(FeedbackItem)
        .where(*recent_items, FeedbackItem.comment.is_not(None))
        .order_by(FeedbackItem.occurred_at.desc())
        .limit(RECENT_COMMENTS)
    ).all()
    return FeedbackSummary(
        csat_average=float(csat) if csat is not None else None,
        csat_count=csat_count,
        nps_average=float(nps) if nps is not None else None,
        items=items,
        themes=[(code, count) for code, count in themes],
        recent=list(recent),
    )


def employee_detail(
    session: Session, viewer: Employee, employee_id: int, locale: str, now: datetime
) -> EmployeeDetail:
    """Return the drill-down of ``employee_id``; ``NotInScope`` unless ``viewer`` may see them."""
    employee, only = scoped_employee(session, viewer_scope(session, viewer), employee_id)
    readiness = readiness_rows(session, only, now)[0]
    return EmployeeDetail(
        employee=employee,
        team_name=readiness.team_name,
        readiness=readiness,
        tracks=tracks(session),
        assignments=_assignments(session, employee, locale, now),
        attempts=_attempts(session, employee, locale),
        certificates=_certificates(session, employee, locale, now),
        feedback=_feedback(session, employee, now),
        refresher_tracks=frozenset(refresher_modules(session)),
    )
