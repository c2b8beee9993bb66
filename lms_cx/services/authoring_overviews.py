"""What the module and bank editor pages show, and the choices of the module form."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import (
    Course,
    CourseModule,
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
from lms_cx.services.authoring_catalogue import (
    bank_choices,
    counts,
    persona_choices,
    track_choices,
)
from lms_cx.services.authoring_publishing import module_status


@dataclass(frozen=True)
class ModuleChoices:
    """What the module form offers: tracks, banks and personas."""

    tracks: list[tuple[str, str]]
    banks: list[tuple[str, str]]
    personas: list[tuple[str, str]]


def module_choices(session: Session, locale: str, keep: list[str] | None = None) -> ModuleChoices:
    """Return the module form's choices (``keep``: archived personas already featured)."""
    return ModuleChoices(
        track_choices(session, locale),
        bank_choices(session, locale),
        persona_choices(session, locale, keep or []),
    )


@dataclass(frozen=True)
class ModuleOverview:
    """Everything the module editor page shows."""

    module: Module
    title: str
    track_code: str
    track_title: str
    bank: QuestionBank | None
    question_count: int
    lessons: list[tuple[Lesson, str]]
    personas: list[tuple[str, str]]
    courses: list[tuple[str, str]]
    status: str
    latest_version: int | None
    locales: list[str]


def module_overview(session: Session, module: Module, locale: str) -> ModuleOverview:
    """Return the module with its lessons, personas, quiz, courses and status."""
    track = session.get(Track, module.track_id)
    assert track is not None
    bank = session.get(QuestionBank, module.question_bank_id) if module.question_bank_id else None
    lessons = session.scalars(
        sa.select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position, Lesson.id)
    ).all()
    personas = session.scalars(
        sa.select(Persona)
        .join(ModulePersona, ModulePersona.persona_id == Persona.id)
        .where(ModulePersona.module_id == module.id)
        .order_by(ModulePersona.position)
    ).all()
    courses = session.scalars(
        sa.select(Course)
        .join(CourseModule, CourseModule.course_id == Course.id)
        .where(CourseModule.module_id == module.id)
        .order_by(Course.slug)
    ).all()
    latest = session.scalar(
        sa.select(sa.func.max(ModuleVersion.version)).where(ModuleVersion.module_id == module.id)
    )
    default = module.default_locale
    locales = sorted({code for lesson in lessons for code in lesson.body} | set(module.title))
    return ModuleOverview(
        module=module,
        title=pick_text(module.title, locale, default) or module.slug,
        track_code=track.code,
        track_title=pick_text(track.title, locale) or track.code,
        bank=bank,
        question_count=session.scalar(
            sa.select(sa.func.count(Question.id)).where(Question.bank_id == bank.id)
        )
        if bank
        else 0,
        lessons=[
            (lesson, pick_text(lesson.title, locale, default) or lesson.slug) for lesson in lessons
        ],
        personas=[
            (p.slug, pick_text(p.name, locale, p.default_locale) or p.slug) for p in personas
        ],
        courses=[(c.slug, pick_text(c.title, locale, c.default_locale) or c.slug) for c in courses],
        status=module_status(session, module),
        latest_version=latest,
        locales=locales,
    )


@dataclass(frozen=True)
class QuestionRow:
    """A question in the bank editor's list."""

    question: Question
    prompt: str
    pool: str | None
    persona: str | None


@dataclass(frozen=True)
class BankOverview:
    """Everything the bank editor page shows."""

    bank: QuestionBank
    title: str
    pools: list[tuple[QuestionPool, int]]
    questions: list[QuestionRow]
    modules: list[tuple[str, str]]


def bank_overview(session: Session, bank: QuestionBank, locale: str) -> BankOverview:
    """Return the bank with its pools (and their sizes), questions and the modules using it."""
    sizes = counts(session, Question.pool_id)
    pools = session.scalars(
        sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id).order_by(QuestionPool.slug)
    ).all()
    pool_slugs = {pool.id: pool.slug for pool in pools}
    personas = dict(session.execute(sa.select(Persona.id, Persona.slug)).all())
    default = bank.default_locale
    questions = []
    for question in session.scalars(
        sa.select(Question)
        .where(Question.bank_id == bank.id)
        .order_by(Question.position, Question.id)
    ):
        prompt = " ".join(pick_text(question.prompt, locale, default).split())
        questions.append(
            QuestionRow(
                question,
                prompt if len(prompt) <= 120 else prompt[:119] + "…",
                pool_slugs.get(question.pool_id) if question.pool_id else None,
                personas.get(question.persona_id) if question.persona_id else None,
            )
        )
    modules = session.scalars(
        sa.select(Module).where(Module.question_bank_id == bank.id).order_by(Module.slug)
    ).all()
    return BankOverview(
        bank=bank,
        title=pick_text(bank.title, locale, default) or bank.slug,
        pools=[(pool, sizes.get(pool.id, 0)) for pool in pools],
        questions=questions,
        modules=[(m.slug, pick_text(m.title, locale, m.default_locale) or m.slug) for m in modules],
    )
