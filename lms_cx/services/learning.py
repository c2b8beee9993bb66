"""A learner's assignments as they see them: what is open, how far along, what is due, what is done.

Progress comes from the progress projection (``lms_cx_progress``) through ``module_status``;
the learner's home loads it for every assignment in a few queries, not one per module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import pick_text
from lms_cx.markdown import render_markdown
from lms_cx.models import Assignment, Certificate, Course, Module, QuizAttempt, Track
from lms_cx.models.people import Employee
from lms_cx.models.xapi import Statement
from lms_cx.services.certificates import complete_if_satisfied
from lms_cx.services.enrolment import LearnerError, Plan, assignment_plan, learner_assignment
from lms_cx.services.module_status import (
    AssignmentStatus,
    Resume,
    assignment_status,
    module_versions,
    progress_rows,
    resume_point,
)
from lms_cx.xapi.projection import on_reported_progress


@dataclass(frozen=True)
class AssignmentView:
    """One assignment with the words, flags and progress the learner's home shows."""

    id: uuid.UUID
    title: str
    kind: str  # "course" or "module"
    lifecycle_stage: str
    track_code: str | None
    source: str
    reason: str | None
    assigned_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    state: str
    overdue: bool
    #: Share of modules satisfied, 0..100.
    percent: int = 0
    modules_done: int = 0
    modules_total: int = 0
    #: Where "continue" leads; None before anything is published or when all is done.
    resume: Resume | None = None
    started: bool = False
    last_activity_at: datetime | None = None
    score: float | None = None
    certificate_code: str | None = None
    #: The pinned (or, before the start, newest) version the learner works on.
    version: int | None = None
    published: bool = True


@dataclass(frozen=True)
class LearnerHome:
    """What a learner's home page lists."""

    open: list[AssignmentView]
    completed: list[AssignmentView]

    @property
    def continue_with(self) -> AssignmentView | None:
        """Return the open assignment to continue: the one worked on last, else the first."""
        started = [a for a in self.open if a.resume is not None and a.last_activity_at]
        if started:
            return max(started, key=lambda a: a.last_activity_at or a.assigned_at)
        return next((a for a in self.open if a.resume is not None), None)


def _plans(session: Session, assignments: list[Assignment]) -> dict[uuid.UUID, Plan]:
    plans = {}
    for assignment in assignments:
        try:
            plans[assignment.id] = assignment_plan(session, assignment)
        except LearnerError:
            continue  # nothing published yet: listed, but cannot be opened
    return plans


def learner_home(session: Session, employee: Employee, locale: str, now: datetime) -> LearnerHome:
    """Return the employee's assignments: open ones onboarding first then by due date.

    An open assignment whose modules are all satisfied is completed here, with its
    certificate (external content's statements complete it as they are stored; this catches
    what was reported before, or rebuilt).
    """
    stage = sa.func.coalesce(Course.lifecycle_stage, Module.lifecycle_stage)
    rows = session.execute(
        sa.select(Assignment, Course, Module, Track.code, stage.label("stage"))
        .outerjoin(Course, Assignment.course_id == Course.id)
        .outerjoin(Module, Assignment.module_id == Module.id)
        .outerjoin(Track, Module.track_id == Track.id)
        .where(Assignment.employee_id == employee.id, Assignment.state != "cancelled")
    ).all()
    assignments = [row[0] for row in rows]
    plans = _plans(session, assignments)
    if complete_finished(session, plans.values(), now):
        session.commit()
        plans = _plans(session, assignments)
    progress = progress_rows(session, employee.id, [str(a) for a in plans])
    versions = module_versions(session, plans.values())
    statuses = {
        assignment_id: assignment_status(session, plan, progress, versions)
        for assignment_id, plan in plans.items()
    }
    attempts = {
        attempt.assignment_id: attempt
        for attempt in session.scalars(
            sa.select(QuizAttempt).where(
                QuizAttempt.employee_id == employee.id, QuizAttempt.status == "in_progress"
            )
        )
    }
    certificates = dict(
        session.execute(
            sa.select(Certificate.assignment_id, Certificate.verification_code).where(
                Certificate.employee_id == employee.id
            )
        ).all()
    )
    views = [
        _view(row, statuses.get(row[0].id), attempts.get(row[0].id), certificates, locale, now)
        for row in rows
    ]
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    open_items = sorted(
        (view for view in views if view.state == "open"),
        key=lambda v: (v.lifecycle_stage != "onboarding", v.due_at or far_future, v.title),
    )
    completed = sorted(
        (view for view in views if view.state == "completed"),
        key=lambda v: v.completed_at or v.assigned_at,
        reverse=True,
    )
    return LearnerHome(open=open_items, completed=completed)


def complete_finished(session: Session, plans: Iterable[Plan], now: datetime) -> bool:
    """Complete every started, open assignment of ``plans`` whose modules are all satisfied
    (with its certificate); return True when one was completed. Flushes; the caller commits."""
    finished = False
    for plan in plans:
        assignment = plan.assignment
        if assignment.state == "open" and assignment.started_at is not None:
            employee = session.get(Employee, assignment.employee_id)
            if employee is not None:
                complete_if_satisfied(session, employee, plan, now)
            finished |= assignment.state == "completed"
    return finished


#: Built once: the LRS runs it for every statement an LRS client stores.
_OPEN_STARTED_ASSIGNMENTS = sa.select(Assignment).where(
    Assignment.id.in_(sa.bindparam("ids", expanding=True)),
    Assignment.state == "open",
    Assignment.started_at.is_not(None),
)


@on_reported_progress
def complete_reported_assignments(session: Session, statements: list[Statement]) -> None:
    """Complete the assignments external content has just finished, in the storing transaction.

    Without this a course finished by an H5P or Storyline module would stay open until the
    learner next opened their home page.
    """
    registrations = {s.registration for s in statements if s.registration is not None}
    assignments = session.scalars(_OPEN_STARTED_ASSIGNMENTS, {"ids": list(registrations)}).all()
    if assignments:
        complete_finished(session, _plans(session, list(assignments)).values(), utcnow())


def _view(
    row: sa.Row,
    status: AssignmentStatus | None,
    attempt: QuizAttempt | None,
    certificates: dict[uuid.UUID, str],
    locale: str,
    now: datetime,
) -> AssignmentView:
    assignment, course, module, track_code, lifecycle_stage = row
    content = course or module
    default_locale = getattr(content, "default_locale", None) or "en"
    times = [m.last_activity_at for m in status.modules if m.last_activity_at] if status else []
    version = None
    if status is not None:
        plan = status.plan
        version = plan.course_version.version if plan.course_version else plan.modules[0].version
    return AssignmentView(
        id=assignment.id,
        title=pick_text(content.title, locale, default_locale) or content.slug,
        kind="course" if course is not None else "module",
        lifecycle_stage=lifecycle_stage,
        track_code=track_code,
        source=assignment.source,
        reason=assignment.reason,
        assigned_at=assignment.assigned_at,
        due_at=assignment.due_at,
        completed_at=assignment.completed_at,
        state=assignment.state,
        overdue=assignment.state == "open"
        and assignment.due_at is not None
        and assignment.due_at < now,
        percent=status.percent if status else 0,
        modules_done=status.satisfied_count if status else 0,
        modules_total=len(status.modules) if status else 0,
        resume=resume_point(status, attempt) if status and assignment.state == "open" else None,
        started=assignment.started_at is not None,
        last_activity_at=max(times) if times else None,
        score=status.score if status else None,
        certificate_code=certificates.get(assignment.id),
        version=version,
        published=status is not None,
    )


@dataclass(frozen=True)
class OutlineModule:
    """A module in an assignment's outline."""

    slug: str
    title: str
    track_code: str | None
    state: str
    percent: int
    lessons_read: int
    lessons_total: int
    has_quiz: bool
    passed: bool
    best_score: float | None
    estimated_minutes: int | None
    #: Names of the modules to finish first (the module is locked while this is not empty).
    missing: list[str]


@dataclass(frozen=True)
class Outline:
    """An assignment's page: its modules in order, progress, what to do next."""

    assignment: AssignmentView
    description: Markup
    modules: list[OutlineModule]


def assignment_outline(
    session: Session, employee: Employee, assignment_id: uuid.UUID, locale: str, now: datetime
) -> Outline:
    """Return an assignment's outline: each module's state, progress and what locks it."""
    assignment = learner_assignment(session, employee, assignment_id)
    plan = assignment_plan(session, assignment)
    home = learner_home(session, employee, locale, now)
    view = next(a for a in [*home.open, *home.completed] if a.id == assignment_id)
    status = assignment_status(session, plan)
    description = (
        plan.course_version.snapshot.get("description")
        if plan.course_version
        else status.modules[0].description
    )
    return Outline(
        assignment=view,
        description=render_markdown(pick_text(description, locale)),
        modules=[
            OutlineModule(
                slug=module.slug,
                title=pick_text(module.title, locale) or module.slug,
                track_code=module.track,
                state=module.state,
                percent=module.percent,
                lessons_read=module.lessons_read,
                lessons_total=len(module.lessons),
                has_quiz=module.has_quiz,
                passed=module.passed,
                best_score=module.best_score,
                estimated_minutes=module.estimated_minutes,
                missing=[pick_text(title, locale) for title in module.missing],
            )
            for module in status.modules
        ],
    )
