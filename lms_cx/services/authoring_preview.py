"""Views of module snapshots for trainers: the module as a learner sees it, and what changed.

Both work on snapshots (``publishing.module_snapshot`` for drafts, ``ModuleVersion.snapshot``
for published versions), so the preview of the drafts is exactly what publishing would freeze,
and an old version looks as its learners saw it. Nothing here writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.markdown import render_markdown
from lms_cx.models import Module, ModuleVersion, Persona
from lms_cx.services.publishing import module_snapshot, persona_snapshot


@dataclass(frozen=True)
class PersonaView:
    """A persona card."""

    slug: str
    name: str
    segment: str
    summary: str
    goals: list[str]
    frustrations: list[str]
    typical_phrases: list[str]
    good_looks_like: list[str]


@dataclass(frozen=True)
class OptionView:
    """An option, item, pair or accepted answer of a question, with its key for trainers."""

    id: str
    text: str
    correct: bool | None = None
    score: float | None = None
    weight: float | None = None
    feedback: str = ""
    next: str | None = None
    match: str = ""


@dataclass(frozen=True)
class StepView:
    """A follow-up moment of a scenario."""

    id: str
    situation: Markup
    options: list[OptionView]


@dataclass(frozen=True)
class QuestionView:
    """A question as a learner sees it, with the answer key a trainer checks."""

    number: int
    slug: str
    type: str
    prompt: Markup
    explanation: Markup
    pool: str | None
    weight: float
    persona: PersonaView | None
    situation: Markup = Markup("")
    options: list[OptionView] = field(default_factory=list)
    answer: bool | None = None
    feedback_right: str = ""
    feedback_wrong: str = ""
    steps: list[StepView] = field(default_factory=list)
    #: Matching questions: every answer on offer, in a fixed order that gives nothing away.
    matches: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PoolView:
    """A pool of a quiz: each attempt draws ``draw`` of its ``size`` questions."""

    slug: str
    draw: int
    size: int


@dataclass(frozen=True)
class QuizView:
    """A module's quiz and how it is taken."""

    title: str
    shuffle_questions: bool
    shuffle_options: bool
    attempts_limit: int | None
    time_limit_minutes: int | None
    feedback: str
    pools: list[PoolView]
    questions: list[QuestionView]


@dataclass(frozen=True)
class LessonView:
    """A lesson with its Markdown rendered and sanitised."""

    slug: str
    title: str
    html: Markup


@dataclass(frozen=True)
class LearnerView:
    """A module as its learners see it."""

    slug: str
    title: str
    description: Markup
    track: str
    lifecycle_stage: str
    estimated_minutes: int | None
    lessons: list[LessonView]
    personas: list[PersonaView]
    quiz: QuizView | None


def _text(texts: dict[str, str] | None, locale: str, default: str) -> str:
    return pick_text(texts, locale, default)


def _list(texts: dict[str, list[str]] | None, locale: str, default: str) -> list[str]:
    texts = texts or {}
    for candidate in (locale, locale.split("_")[0], default):
        if texts.get(candidate):
            return list(texts[candidate])
    return next((list(items) for items in texts.values() if items), [])


def persona_view(snapshot: dict[str, Any], locale: str) -> PersonaView:
    """Return a persona snapshot in ``locale``."""
    default = snapshot.get("default_locale", "en")
    return PersonaView(
        snapshot["slug"],
        _text(snapshot.get("name"), locale, default) or snapshot["slug"],
        _text(snapshot.get("segment"), locale, default),
        _text(snapshot.get("summary"), locale, default),
        *(
            _list(snapshot.get(name), locale, default)
            for name in ("goals", "frustrations", "typical_phrases", "good_looks_like")
        ),
    )


def _options(items: list[dict[str, Any]], locale: str, default: str) -> list[OptionView]:
    return [
        OptionView(
            id=str(item.get("id", index + 1)),
            text=_text(item.get("text") or item.get("prompt"), locale, default)
            if isinstance(item.get("text") or item.get("prompt"), dict)
            else str(item.get("text", "")),
            correct=item.get("correct"),
            score=item.get("score"),
            weight=item.get("weight"),
            feedback=_text(item.get("feedback"), locale, default),
            next=item.get("next"),
            match=_text(item.get("match"), locale, default),
        )
        for index, item in enumerate(items)
    ]


def _numeric_answers(items: list[dict[str, Any]], locale: str, default: str) -> list[OptionView]:
    views = []
    for index, item in enumerate(items):
        if item.get("value") is not None:
            text = f"{item['value']:g}"
            if item.get("tolerance"):
                text += f" ± {item['tolerance']:g}"
        else:
            text = f"{item.get('min', 0):g} – {item.get('max', 0):g}"
        views.append(
            OptionView(
                id=str(index + 1),
                text=text,
                weight=item.get("weight", 1.0),
                feedback=_text(item.get("feedback"), locale, default),
            )
        )
    return views


def question_view(
    number: int,
    question: dict[str, Any],
    personas: dict[str, PersonaView],
    locale: str,
    default: str,
) -> QuestionView:
    """Return a question snapshot as a learner sees it in ``locale``."""
    data = question.get("data", {})
    kind = question["type"]
    options: list[OptionView] = []
    if kind in {"single_choice", "multiple_choice", "scenario"}:
        options = _options(data.get("options", []), locale, default)
    elif kind == "ordering":
        options = _options(data.get("items", []), locale, default)
    elif kind == "matching":
        options = _options(data.get("pairs", []), locale, default)
    elif kind == "short_answer":
        options = [
            OptionView(
                id=str(index + 1),
                text=answer["text"],
                weight=answer.get("weight", 1.0),
                feedback=_text(answer.get("feedback"), locale, default),
            )
            for index, answer in enumerate(data.get("answers", []))
        ]
    elif kind == "numerical":
        options = _numeric_answers(data.get("answers", []), locale, default)
    steps = [
        StepView(
            step["id"],
            render_markdown(_text(step.get("situation"), locale, default)),
            _options(step.get("options", []), locale, default),
        )
        for step in data.get("steps", [])
    ]
    persona = personas.get(question.get("persona") or "")
    return QuestionView(
        number=number,
        slug=question["slug"],
        type=kind,
        prompt=render_markdown(_text(question.get("prompt"), locale, default)),
        explanation=render_markdown(_text(question.get("explanation"), locale, default)),
        pool=question.get("pool"),
        weight=question.get("weight", 1.0),
        persona=persona,
        situation=render_markdown(_text(data.get("situation"), locale, default)),
        options=options,
        answer=data.get("answer"),
        feedback_right=_text(data.get("feedback_right"), locale, default),
        feedback_wrong=_text(data.get("feedback_wrong"), locale, default),
        steps=steps,
        matches=sorted(option.match for option in options) if kind == "matching" else [],
    )


def learner_view(
    snapshot: dict[str, Any], locale: str, all_personas: dict[str, dict[str, Any]] | None = None
) -> LearnerView:
    """Return a module snapshot as a learner sees it in ``locale``.

    ``all_personas`` (persona snapshots by slug) names the persona of a scenario whose persona
    the module does not feature; the module's own personas come from the snapshot.
    """
    default = snapshot.get("default_locale", "en")
    featured = [persona_view(persona, locale) for persona in snapshot.get("personas", [])]
    personas = {
        slug: persona_view(persona, locale) for slug, persona in (all_personas or {}).items()
    }
    personas.update({persona.slug: persona for persona in featured})
    quiz = snapshot.get("quiz")
    quiz_view = None
    if quiz is not None:
        settings = snapshot.get("quiz_settings", {})
        bank_default = quiz.get("default_locale", default)
        questions = [
            question_view(number, question, personas, locale, bank_default)
            for number, question in enumerate(quiz.get("questions", []), start=1)
        ]
        sizes: dict[str, int] = {}
        for question in quiz.get("questions", []):
            if question.get("pool"):
                sizes[question["pool"]] = sizes.get(question["pool"], 0) + 1
        quiz_view = QuizView(
            title=_text(quiz.get("title"), locale, bank_default),
            shuffle_questions=quiz.get("shuffle_questions", False),
            shuffle_options=quiz.get("shuffle_options", False),
            attempts_limit=settings.get("attempts_limit"),
            time_limit_minutes=settings.get("time_limit_minutes"),
            feedback=settings.get("feedback", "immediate"),
            pools=[
                PoolView(pool["slug"], pool["draw"], sizes.get(pool["slug"], 0))
                for pool in quiz.get("pools", [])
            ],
            questions=questions,
        )
    return LearnerView(
        slug=snapshot["slug"],
        title=_text(snapshot.get("title"), locale, default) or snapshot["slug"],
        description=render_markdown(_text(snapshot.get("description"), locale, default)),
        track=snapshot.get("track") or "",
        lifecycle_stage=snapshot.get("lifecycle_stage", ""),
        estimated_minutes=snapshot.get("estimated_minutes"),
        lessons=[
            LessonView(
                lesson["slug"],
                _text(lesson.get("title"), locale, default) or lesson["slug"],
                render_markdown(_text(lesson.get("body"), locale, default)),
            )
            for lesson in snapshot.get("lessons", [])
        ],
        personas=featured,
        quiz=quiz_view,
    )


def _scenario_personas(session: Session, snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return snapshots of the personas the quiz's questions name, by slug."""
    slugs = {
        question["persona"]
        for question in (snapshot.get("quiz") or {}).get("questions", [])
        if question.get("persona")
    }
    if not slugs:
        return {}
    personas = session.scalars(sa.select(Persona).where(Persona.slug.in_(slugs)))
    return {persona.slug: persona_snapshot(persona) for persona in personas}


def draft_view(session: Session, module: Module, locale: str) -> LearnerView:
    """Return ``module``'s drafts as its learners would see them once published."""
    snapshot = module_snapshot(session, module)
    return learner_view(snapshot, locale, _scenario_personas(session, snapshot))


def version_view(session: Session, version: ModuleVersion, locale: str) -> LearnerView:
    """Return a published version as its learners see it."""
    return learner_view(version.snapshot, locale, _scenario_personas(session, version.snapshot))
