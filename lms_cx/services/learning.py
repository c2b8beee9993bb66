"""A learner's assignments as they see them: what is open, what is due, what is done."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import Assignment, Course, Module, Track
from lms_cx.models.people import Employee


@dataclass(frozen=True)
class AssignmentView:
    """One assignment with the words and flags the learner's home shows."""

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


@dataclass(frozen=True)
class LearnerHome:
    """What a learner's home page lists."""

    open: list[AssignmentView]
    completed: list[AssignmentView]


def learner_home(session: Session, employee: Employee, locale: str, now: datetime) -> LearnerHome:
    """Return the employee's assignments: open ones onboarding first then by due date."""
    stage = sa.func.coalesce(Course.lifecycle_stage, Module.lifecycle_stage)
    rows = session.execute(
        sa.select(Assignment, Course, Module, Track.code, stage.label("stage"))
        .outerjoin(Course, Assignment.course_id == Course.id)
        .outerjoin(Module, Assignment.module_id == Module.id)
        .outerjoin(Track, Module.track_id == Track.id)
        .where(Assignment.employee_id == employee.id, Assignment.state != "cancelled")
    ).all()
    views = []
    for assignment, course, module, track_code, lifecycle_stage in rows:
        content = course or module
        default_locale = getattr(content, "default_locale", None) or "en"
        views.append(
            AssignmentView(
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
            )
        )
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
