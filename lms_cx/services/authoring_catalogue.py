"""The trainer's lists: courses, modules, personas and banks, filtered, with their status.

A module's status compares its drafts with its latest version by content hash, so it is exact
whoever changed what (web forms, file sync, a shared persona or bank).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import (
    Course,
    CourseModule,
    CourseVersion,
    Lesson,
    Module,
    ModulePersona,
    ModuleVersion,
    Persona,
    Question,
    QuestionBank,
    QuestionPool,
    Track,
)
from lms_cx.services.authoring_publishing import course_status, latest_hashes, module_status


@dataclass(frozen=True)
class ModuleRow:
    """A module in the trainer's list."""

    slug: str
    title: str
    track_code: str
    track_title: str
    lifecycle_stage: str
    lesson_count: int
    question_count: int
    latest_version: int | None
    status: str


@dataclass(frozen=True)
class CourseRow:
    """A course in the trainer's list."""

    slug: str
    title: str
    lifecycle_stage: str
    module_count: int
    latest_version: int | None
    status: str


@dataclass(frozen=True)
class PersonaRow:
    """A persona in the trainer's list."""

    slug: str
    name: str
    segment: str
    module_count: int
    archived: bool


@dataclass(frozen=True)
class BankRow:
    """A question bank in the trainer's list."""

    slug: str
    title: str
    source: str
    question_count: int
    pool_count: int
    modules: list[str]


def _matches(search: str | None, *texts: str) -> bool:
    if not search:
        return True
    needle = search.casefold().strip()
    return any(needle in text.casefold() for text in texts)


def counts(session: Session, column: sa.ColumnElement[int]) -> dict[int, int]:
    """Return how many rows there are per value of ``column`` (a foreign key)."""
    return dict(session.execute(sa.select(column, sa.func.count()).group_by(column)).all())


def list_modules(
    session: Session,
    locale: str,
    *,
    track: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[ModuleRow]:
    """Return modules by track then slug, filtered; archived ones only when asked for."""
    query = (
        sa.select(Module, Track)
        .join(Track, Track.id == Module.track_id)
        .order_by(Track.position, Module.slug)
    )
    if track:
        query = query.where(Track.code == track)
    if stage:
        query = query.where(Module.lifecycle_stage == stage)
    if status == "archived":
        query = query.where(Module.archived_at.is_not(None))
    else:
        query = query.where(Module.archived_at.is_(None))
    if status == "draft":
        query = query.where(~sa.exists().where(ModuleVersion.module_id == Module.id))
    lessons = counts(session, Lesson.module_id)
    questions = counts(session, Question.bank_id)
    latest = dict(
        session.execute(
            sa.select(ModuleVersion.module_id, sa.func.max(ModuleVersion.version)).group_by(
                ModuleVersion.module_id
            )
        ).all()
    )
    found = [
        (module, track_row)
        for module, track_row in session.execute(query).all()
        if _matches(search, module.slug, pick_text(module.title, locale, module.default_locale))
    ]
    hashes = latest_hashes(session, [module.id for module, _track in found])
    rows = []
    for module, track_row in found:
        title = pick_text(module.title, locale, module.default_locale) or module.slug
        state = module_status(session, module, hashes)
        if status and state != status:
            continue
        rows.append(
            ModuleRow(
                module.slug,
                title,
                track_row.code,
                pick_text(track_row.title, locale) or track_row.code,
                module.lifecycle_stage,
                lessons.get(module.id, 0),
                questions.get(module.question_bank_id, 0) if module.question_bank_id else 0,
                latest.get(module.id),
                state,
            )
        )
    return rows


def list_courses(
    session: Session,
    locale: str,
    *,
    stage: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[CourseRow]:
    """Return courses by slug, filtered; archived ones only when asked for."""
    query = sa.select(Course).order_by(Course.slug)
    if stage:
        query = query.where(Course.lifecycle_stage == stage)
    if status == "archived":
        query = query.where(Course.archived_at.is_not(None))
    else:
        query = query.where(Course.archived_at.is_(None))
    modules = counts(session, CourseModule.course_id)
    latest = dict(
        session.execute(
            sa.select(CourseVersion.course_id, sa.func.max(CourseVersion.version)).group_by(
                CourseVersion.course_id
            )
        ).all()
    )
    rows = []
    drafts: dict[int, str] = {}  # a module in several courses is hashed once
    for course in session.scalars(query):
        title = pick_text(course.title, locale, course.default_locale) or course.slug
        if not _matches(search, course.slug, title):
            continue
        state = course_status(session, course, drafts)
        if status and state != status:
            continue
        rows.append(
            CourseRow(
                course.slug,
                title,
                course.lifecycle_stage,
                modules.get(course.id, 0),
                latest.get(course.id),
                state,
            )
        )
    return rows


def list_personas(
    session: Session, locale: str, *, archived: bool = False, search: str | None = None
) -> list[PersonaRow]:
    """Return personas by slug (the archived ones instead, when asked)."""
    query = sa.select(Persona).order_by(Persona.slug)
    query = query.where(
        Persona.archived_at.is_not(None) if archived else Persona.archived_at.is_(None)
    )
    modules = counts(session, ModulePersona.persona_id)
    rows = []
    for persona in session.scalars(query):
        name = pick_text(persona.name, locale, persona.default_locale) or persona.slug
        segment = pick_text(persona.segment, locale, persona.default_locale)
        if _matches(search, persona.slug, name, segment):
            rows.append(
                PersonaRow(
                    persona.slug,
                    name,
                    segment,
                    modules.get(persona.id, 0),
                    persona.archived_at is not None,
                )
            )
    return rows


def list_banks(session: Session, locale: str, *, search: str | None = None) -> list[BankRow]:
    """Return question banks by slug with their sizes and the modules that use them."""
    questions = counts(session, Question.bank_id)
    pools = counts(session, QuestionPool.bank_id)
    users: dict[int, list[str]] = {}
    for bank_id, slug in session.execute(
        sa.select(Module.question_bank_id, Module.slug)
        .where(Module.question_bank_id.is_not(None))
        .order_by(Module.slug)
    ):
        users.setdefault(bank_id, []).append(slug)
    rows = []
    for bank in session.scalars(sa.select(QuestionBank).order_by(QuestionBank.slug)):
        title = pick_text(bank.title, locale, bank.default_locale) or bank.slug
        if _matches(search, bank.slug, title):
            rows.append(
                BankRow(
                    bank.slug,
                    title,
                    bank.source,
                    questions.get(bank.id, 0),
                    pools.get(bank.id, 0),
                    users.get(bank.id, []),
                )
            )
    return rows


def track_choices(session: Session, locale: str) -> list[tuple[str, str]]:
    """Return ``(code, title)`` of every competency track, in display order."""
    return [
        (track.code, pick_text(track.title, locale) or track.code)
        for track in session.scalars(sa.select(Track).order_by(Track.position, Track.code))
    ]


def bank_choices(session: Session, locale: str) -> list[tuple[str, str]]:
    """Return ``(slug, title)`` of every question bank."""
    return [
        (bank.slug, pick_text(bank.title, locale, bank.default_locale) or bank.slug)
        for bank in session.scalars(sa.select(QuestionBank).order_by(QuestionBank.slug))
    ]


def persona_choices(
    session: Session, locale: str, keep: list[str] | tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Return ``(slug, name)`` of the personas on offer: live ones, plus archived ``keep``."""
    query = sa.select(Persona).where(
        sa.or_(Persona.archived_at.is_(None), Persona.slug.in_(list(keep)))
    )
    return [
        (persona.slug, pick_text(persona.name, locale, persona.default_locale) or persona.slug)
        for persona in session.scalars(query.order_by(Persona.slug))
    ]


def pool_choices(session: Session, bank: QuestionBank) -> list[str]:
    """Return the slugs of ``bank``'s pools."""
    return list(
        session.scalars(
            sa.select(QuestionPool.slug)
            .where(QuestionPool.bank_id == bank.id)
            .order_by(QuestionPool.slug)
        )
    )


def addable_modules(session: Session, course: Course, locale: str) -> list[tuple[str, str]]:
    """Return ``(slug, title)`` of the live modules ``course`` does not hold yet."""
    held = sa.select(CourseModule.module_id).where(CourseModule.course_id == course.id)
    return [
        (module.slug, pick_text(module.title, locale, module.default_locale) or module.slug)
        for module in session.scalars(
            sa.select(Module)
            .where(Module.archived_at.is_(None), Module.id.not_in(held))
            .order_by(Module.slug)
        )
    ]
