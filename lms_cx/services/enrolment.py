"""A learner's enrolment: which of their assignments they may open, and the versions pinned.

An assignment is pinned when the learner first opens it: a course assignment to the newest
published course version (whose snapshot names each module's version), a module assignment
to the newest module version. From then on every page, quiz and certificate of that
assignment uses those versions, whatever is published later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.models import Assignment, Course, CourseVersion, Module, ModuleVersion
from lms_cx.models.people import Employee
from lms_cx.services.learning_record import course_part, event, learner_part, record_events
from lms_cx.services.publishing import latest_course_version, latest_module_version


class LearnerError(Exception):
    """Something the learner asked for cannot be done; ``message`` tells them why."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(LearnerError):
    """No such assignment, module, lesson or attempt for this learner."""

    status = 404


class Locked(LearnerError):
    """A module is not open yet: its prerequisites are not satisfied."""

    status = 403


@dataclass(frozen=True)
class PlannedModule:
    """A module of an assignment: its pinned version and the rules it must satisfy."""

    slug: str
    module_version_id: int
    version: int
    position: int
    #: cmi5's moveOn: Passed, Completed, CompletedAndPassed, CompletedOrPassed, NotApplicable.
    move_on: str
    #: The pass mark of the module's quiz, 0..1.
    mastery_score: float
    #: Slugs of modules that must be satisfied first.
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What an assignment consists of: the pinned (or, before the start, newest) versions."""

    assignment: Assignment
    course_version: CourseVersion | None
    modules: tuple[PlannedModule, ...]

    @property
    def pinned(self) -> bool:
        """Return True once the learner has started (the versions no longer move)."""
        return self.assignment.started_at is not None

    def module(self, slug: str) -> PlannedModule:
        """Return the planned module ``slug``; ``NotFound`` when it is not part of the plan."""
        for planned in self.modules:
            if planned.slug == slug:
                return planned
        raise NotFound(_("This module is not part of your assignment."))


def default_mastery_score() -> float:
    """Return the pass mark used when a course gives none."""
    return float(current_app.config["LMS_CX_DEFAULT_MASTERY_SCORE"])


def learner_assignment(
    session: Session, employee: Employee, assignment_id: uuid.UUID
) -> Assignment:
    """Return the employee's own, not cancelled assignment; ``NotFound`` otherwise."""
    assignment = session.get(Assignment, assignment_id)
    if (
        assignment is None
        or assignment.employee_id != employee.id
        or assignment.state == "cancelled"
    ):
        raise NotFound(_("There is no such assignment among yours."))
    return assignment


def course_plan_modules(version: CourseVersion) -> tuple[PlannedModule, ...]:
    """Return the modules of a course version snapshot, in order."""
    fallback = default_mastery_score()
    return tuple(
        PlannedModule(
            slug=entry["slug"],
            module_version_id=entry["module_version_id"],
            version=entry["version"],
            position=position,
            move_on=entry.get("move_on") or "CompletedAndPassed",
            mastery_score=float(
                entry["mastery_score"] if entry.get("mastery_score") is not None else fallback
            ),
            requires=tuple(entry.get("requires") or ()),
        )
        for position, entry in enumerate(version.snapshot["modules"], start=1)
    )


def module_plan_modules(version: ModuleVersion) -> tuple[PlannedModule, ...]:
    """Return the one planned module of a module assigned on its own (no course around it)."""
    has_quiz = bool(version.snapshot.get("quiz"))
    return (
        PlannedModule(
            slug=version.snapshot["slug"],
            module_version_id=version.id,
            version=version.version,
            position=1,
            move_on="CompletedAndPassed" if has_quiz else "Completed",
            mastery_score=default_mastery_score(),
            requires=(),
        ),
    )


#: The former private name, kept for callers that already use it (reports).
_module_plan = module_plan_modules


def assignment_plan(session: Session, assignment: Assignment) -> Plan:
    """Return the assignment's plan: pinned versions, or the newest before the learner starts.

    ``NotFound`` when nothing of it is published yet.
    """
    if assignment.course_id is not None:
        version = (
            session.get(CourseVersion, assignment.course_version_id)
            if assignment.course_version_id
            else latest_course_version(session, assignment.course_id)
        )
        if version is None:
            raise NotFound(_("This course has not been published yet."))
        return Plan(assignment, version, course_plan_modules(version))
    module_version = (
        session.get(ModuleVersion, assignment.module_version_id)
        if assignment.module_version_id
        else latest_module_version(session, assignment.module_id or 0)
    )
    if module_version is None:
        raise NotFound(_("This module has not been published yet."))
    return Plan(assignment, None, module_plan_modules(module_version))


def start_assignment(
    session: Session, employee: Employee, assignment: Assignment, now: datetime
) -> Plan:
    """Pin the assignment's versions when the learner first opens it; return its plan.

    Two first requests at once pin once: the update only applies while ``started_at`` is
    empty. Flushes; the caller commits.
    """
    if assignment.started_at is not None:
        return assignment_plan(session, assignment)
    plan = assignment_plan(session, assignment)
    values: dict[str, object] = {"started_at": now}
    if plan.course_version is not None:
        values["course_version_id"] = plan.course_version.id
    else:
        values["module_version_id"] = plan.modules[0].module_version_id
    claimed = session.execute(
        sa.update(Assignment)
        .where(Assignment.id == assignment.id, Assignment.started_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(assignment)
    plan = assignment_plan(session, assignment)
    if claimed and plan.course_version is not None:
        record_events(
            session,
            [
                event(
                    "course.attempted",
                    str(assignment.id),
                    now,
                    learner=learner_part(session, employee),
                    registration=str(assignment.id),
                    course=course_part(plan.course_version),
                )
            ],
        )
    return plan


def assignment_title(session: Session, assignment: Assignment) -> dict[str, str]:
    """Return the per-locale title of what is assigned (course or module)."""
    content = (
        session.get(Course, assignment.course_id)
        if assignment.course_id
        else session.get(Module, assignment.module_id)
    )
    return dict(content.title) if content is not None else {}


def completed_versions(session: Session, course_id: int) -> list[tuple[Employee, int, datetime]]:
    """Return who completed ``course_id``, on which version and when, oldest first.

    The version is the one pinned when they started, whatever was published afterwards.
    """
    rows = session.execute(
        sa.select(Employee, CourseVersion.version, Assignment.completed_at)
        .join(Assignment, Assignment.employee_id == Employee.id)
        .join(CourseVersion, CourseVersion.id == Assignment.course_version_id)
        .where(Assignment.course_id == course_id, Assignment.state == "completed")
        .order_by(Assignment.completed_at, Employee.display_name)
    ).all()
    return [(employee, version, completed_at) for employee, version, completed_at in rows]
