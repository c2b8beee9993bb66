"""The lesson player: a module's overview and its lessons, from the pinned module version.

Opening a module or a lesson is recorded (launched, experienced, progressed, completed) through
``learning_record``; reading a lesson again adds nothing. A locked module (its prerequisites
not yet satisfied) raises ``Locked`` with the reason in words.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.markdown import render_markdown
from lms_cx.models import ModuleVersion, Progress, QuizAttempt
from lms_cx.models.people import Employee
from lms_cx.services.certificates import complete_if_satisfied
from lms_cx.services.enrolment import (
    Locked,
    NotFound,
    Plan,
    PlannedModule,
    learner_assignment,
    start_assignment,
)
from lms_cx.services.learning_record import (
    course_part,
    event,
    learner_part,
    module_part,
    record_events,
    statement_settings,
)
from lms_cx.services.module_status import ModuleStatus, assignment_status
from lms_cx.xapi.statements import module_activity_id


@dataclass(frozen=True)
class PersonaCard:
    """A customer persona as a card: who they are, what they want, what annoys them."""

    slug: str
    name: str
    segment: str
    summary: str
    goals: list[str]
    frustrations: list[str]
    typical_phrases: list[str]
    good_looks_like: list[str]


def persona_card(persona: dict[str, Any], locale: str) -> PersonaCard:
    """Return a persona of a version snapshot as a card in ``locale``."""
    default = persona.get("default_locale") or "en"

    def items(key: str) -> list[str]:
        lists = persona.get(key) or {}
        return list(lists.get(locale) or lists.get(default) or next(iter(lists.values()), []))

    return PersonaCard(
        slug=persona["slug"],
        name=pick_text(persona.get("name"), locale, default) or persona["slug"],
        segment=pick_text(persona.get("segment"), locale, default),
        summary=pick_text(persona.get("summary"), locale, default),
        goals=items("goals"),
        frustrations=items("frustrations"),
        typical_phrases=items("typical_phrases"),
        good_looks_like=items("good_looks_like"),
    )


@dataclass(frozen=True)
class ModulePage:
    """A module's overview: what it is, its lessons, personas and quiz."""

    assignment_id: uuid.UUID
    course_title: str
    status: ModuleStatus
    title: str
    description: Markup
    lessons: list[tuple[str, str, bool]]  # slug, title, read
    personas: list[PersonaCard]
    question_count: int


@dataclass(frozen=True)
class LessonPage:
    """A lesson with its place in the module and where next and previous lead."""

    assignment_id: uuid.UUID
    course_title: str
    module_slug: str
    module_title: str
    slug: str
    title: str
    body: Markup
    position: int
    count: int
    previous_slug: str | None
    next_slug: str | None
    #: After the last lesson, "next" leads to the module's quiz (if it has one).
    has_quiz: bool
    personas: list[PersonaCard]
    module_percent: int


def _open(
    session: Session, employee: Employee, assignment_id: uuid.UUID, module_slug: str, now: datetime
) -> tuple[Plan, PlannedModule, ModuleVersion, ModuleStatus]:
    """Pin the assignment, find the module and refuse it while it is locked."""
    assignment = learner_assignment(session, employee, assignment_id)
    plan = start_assignment(session, employee, assignment, now)
    planned = plan.module(module_slug)
    version = session.get(ModuleVersion, planned.module_version_id)
    if version is None:  # pragma: no cover - versions are never deleted
        raise NotFound(_("This module has not been published yet."))
    status = assignment_status(session, plan).module(module_slug)
    if status.locked:
        session.rollback()
        raise Locked(locked_reason(status, employee.locale or "en"))
    return plan, planned, version, status


def locked_reason(status: ModuleStatus, locale: str) -> str:
    """Return why a module is locked, naming the modules still to finish."""
    names = ", ".join(pick_text(title, locale) for title in status.missing)
    return _("This module opens once you finish: %(modules)s.", modules=names)


def _base_parts(
    session: Session, employee: Employee, plan: Plan, version: ModuleVersion
) -> dict[str, Any]:
    return {
        "learner": learner_part(session, employee),
        "registration": str(plan.assignment.id),
        "course": course_part(plan.course_version),
        "module": module_part(version),
    }


def _course_title(plan: Plan, locale: str) -> str:
    if plan.course_version is None:
        return ""
    return pick_text(plan.course_version.snapshot.get("title"), locale)


def open_module(
    session: Session,
    employee: Employee,
    assignment_id: uuid.UUID,
    module_slug: str,
    locale: str,
    now: datetime,
) -> ModulePage:
    """Return a module's overview page; the first visit records ``module.launched``."""
    plan, _planned, version, status = _open(session, employee, assignment_id, module_slug, now)
    parts = _base_parts(session, employee, plan, version)
    registration = parts["registration"]
    record_events(
        session, [event("module.launched", f"{registration}|{module_slug}", now, **parts)]
    )
    session.commit()
    snapshot = version.snapshot
    default = snapshot.get("default_locale") or "en"
    quiz = snapshot.get("quiz")
    draws = {pool["slug"]: pool["draw"] for pool in (quiz or {}).get("pools", [])}
    question_count = 0
    if quiz:
        unpooled = sum(1 for q in quiz["questions"] if q.get("pool") not in draws)
        pooled: dict[str, int] = {}
        for question in quiz["questions"]:
            if question.get("pool") in draws:
                pooled[question["pool"]] = pooled.get(question["pool"], 0) + 1
        question_count = unpooled + sum(min(draws[p], n) for p, n in pooled.items())
    return ModulePage(
        assignment_id=plan.assignment.id,
        course_title=_course_title(plan, locale),
        status=status,
        title=pick_text(snapshot.get("title"), locale, default) or module_slug,
        description=render_markdown(pick_text(snapshot.get("description"), locale, default)),
        lessons=[
            (lesson.slug, pick_text(lesson.title, locale, default) or lesson.slug, lesson.read)
            for lesson in status.lessons
        ],
        personas=[persona_card(p, locale) for p in snapshot.get("personas", [])],
        question_count=question_count,
    )


def open_lesson(
    session: Session,
    employee: Employee,
    assignment_id: uuid.UUID,
    module_slug: str,
    lesson_slug: str,
    locale: str,
    now: datetime,
) -> LessonPage:
    """Return a lesson page and record reading it (once), the module's progress and completion."""
    plan, planned, version, status = _open(session, employee, assignment_id, module_slug, now)
    snapshot = version.snapshot
    lessons = snapshot.get("lessons", [])
    slugs = [lesson["slug"] for lesson in lessons]
    if lesson_slug not in slugs:
        session.rollback()
        raise NotFound(_("This lesson is not part of the module."))
    index = slugs.index(lesson_slug)
    lesson = lessons[index]
    parts = _base_parts(session, employee, plan, version)
    registration = parts["registration"]
    read = {item.slug for item in status.lessons if item.read} | {lesson_slug}
    percent = round(100 * len(read) / len(slugs))
    events = [
        event("module.launched", f"{registration}|{module_slug}", now, **parts),
        event(
            "lesson.experienced",
            f"{registration}|{module_slug}|{lesson_slug}",
            now,
            lesson={"slug": lesson_slug, "title": lesson.get("title") or {}},
            **parts,
        ),
    ]
    if lesson_slug not in {item.slug for item in status.lessons if item.read}:
        events.append(
            event(
                "module.progressed",
                f"{registration}|{module_slug}|{percent}",
                now,
                progress=percent,
                **parts,
            )
        )
    record_events(session, events)
    record_module_completion(session, employee, plan, planned, version, now)
    complete_if_satisfied(session, employee, plan, now)
    session.commit()
    default = snapshot.get("default_locale") or "en"
    return LessonPage(
        assignment_id=plan.assignment.id,
        course_title=_course_title(plan, locale),
        module_slug=module_slug,
        module_title=pick_text(snapshot.get("title"), locale, default) or module_slug,
        slug=lesson_slug,
        title=pick_text(lesson.get("title"), locale, default) or lesson_slug,
        body=render_markdown(
            without_title_heading(
                pick_text(lesson.get("body"), locale, default),
                pick_text(lesson.get("title"), locale, default),
            )
        ),
        position=index + 1,
        count=len(slugs),
        previous_slug=slugs[index - 1] if index > 0 else None,
        next_slug=slugs[index + 1] if index + 1 < len(slugs) else None,
        has_quiz=bool(snapshot.get("quiz")),
        personas=[persona_card(p, locale) for p in snapshot.get("personas", [])],
        module_percent=assignment_status(session, plan).module(module_slug).percent,
    )


_FIRST_HEADING = re.compile(r"\A\s*#[ \t]+(?P<text>[^\n]+?)[ \t#]*(?:\n|\Z)")


def without_title_heading(body: str, title: str) -> str:
    """Return ``body`` without a first ``# heading`` that repeats the lesson's title.

    The page shows the title as its ``<h1>``; authors often start the Markdown with it too.
    """
    match = _FIRST_HEADING.match(body or "")
    if match and " ".join(match["text"].split()).casefold() == " ".join(title.split()).casefold():
        return body[match.end() :]
    return body


def record_module_completion(
    session: Session,
    employee: Employee,
    plan: Plan,
    planned: PlannedModule,
    version: ModuleVersion,
    now: datetime,
) -> bool:
    """Record ``module.completed`` once every lesson is read and, with a quiz, one attempt ended.

    Return True when the module is (now or already) completed.
    """
    status = assignment_status(session, plan).module(planned.slug)
    if status.completed:
        return True
    if status.lessons_read < len(status.lessons):
        return False
    if status.has_quiz:
        ended = session.scalar(
            sa.select(sa.func.count(QuizAttempt.id)).where(
                QuizAttempt.assignment_id == plan.assignment.id,
                QuizAttempt.module_version_id == version.id,
                QuizAttempt.status != "in_progress",
            )
        )
        if not ended:
            return False
    first = _first_activity(session, plan, planned)
    parts = _base_parts(session, employee, plan, version)
    record_events(
        session,
        [
            event(
                "module.completed",
                f"{parts['registration']}|{planned.slug}",
                now,
                result={
                    "completion": True,
                    "duration_seconds": (now - first).total_seconds() if first else None,
                },
                **parts,
            )
        ],
    )
    return True


def _first_activity(session: Session, plan: Plan, planned: PlannedModule) -> datetime | None:
    activity = module_activity_id(statement_settings().activity_base, planned.slug)
    return session.scalar(
        sa.select(sa.func.min(Progress.first_activity_at)).where(
            Progress.registration == str(plan.assignment.id),
            Progress.employee_id == plan.assignment.employee_id,
            sa.or_(Progress.activity_id == activity, Progress.activity_id.like(activity + "/%")),
        )
    )
