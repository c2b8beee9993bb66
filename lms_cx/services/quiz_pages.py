"""What the quiz pages show: the quiz's rules and attempts, one question, the result.

Texts are picked in the learner's locale and Markdown is rendered (sanitised) here, so the
templates only lay things out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.markdown import render_markdown
from lms_cx.models import ModuleVersion, Persona, QuizAttempt, QuizResponse
from lms_cx.models.people import Employee
from lms_cx.services.enrolment import learner_assignment, start_assignment
from lms_cx.services.lessons import PersonaCard, locked_reason, persona_card
from lms_cx.services.module_status import assignment_status
from lms_cx.services.publishing import persona_snapshot
from lms_cx.services.quiz import (
    QuizContext,
    _module_quiz,
    attempts_of,
    expire_if_overdue,
    quiz_context,
    start_refusal,
)
from lms_cx.services.quiz_draw import ordered
from lms_cx.services.quiz_scoring import Scenario, answer_type


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt in the list of a quiz's attempts."""

    id: uuid.UUID
    number: int
    status: str
    started_at: datetime
    submitted_at: datetime | None
    score_scaled: float | None
    passed: bool | None


@dataclass(frozen=True)
class QuizOverview:
    """A module's quiz before starting: its rules, the attempts so far, what can happen next."""

    assignment_id: uuid.UUID
    module_slug: str
    module_title: str
    question_count: int
    mastery_score: float
    attempts_limit: int | None
    time_limit_minutes: int | None
    feedback_mode: str
    attempts: list[AttemptSummary]
    open_attempt_id: uuid.UUID | None
    passed: bool
    #: Why no attempt can start (passed, attempts used up, module locked), or None.
    refusal: str | None


def quiz_overview(
    session: Session,
    employee: Employee,
    assignment_id: uuid.UUID,
    module_slug: str,
    locale: str,
    now: datetime,
) -> QuizOverview:
    """Return the quiz's rules and attempts; an attempt whose time ran out is scored now."""
    assignment = learner_assignment(session, employee, assignment_id)
    plan = start_assignment(session, employee, assignment, now)
    planned, version = _module_quiz(plan, module_slug, session)
    for attempt in attempts_of(session, plan, version):
        expire_if_overdue(session, employee, attempt, now)
    session.commit()
    status = assignment_status(session, plan).module(module_slug)
    attempts = attempts_of(session, plan, version)
    open_attempt = next((a for a in attempts if a.status == "in_progress"), None)
    settings = version.snapshot.get("quiz_settings") or {}
    quiz = version.snapshot["quiz"]
    draws = {pool["slug"]: pool["draw"] for pool in quiz.get("pools", [])}
    counts: dict[str | None, int] = {}
    for question in quiz["questions"]:
        pool = question.get("pool") if question.get("pool") in draws else None
        counts[pool] = counts.get(pool, 0) + 1
    question_count = counts.get(None, 0) + sum(
        min(draws[pool], count) for pool, count in counts.items() if pool is not None
    )
    refusal = None
    if status.locked:
        refusal = locked_reason(status, locale)
    elif open_attempt is None:
        refusal = start_refusal(version, attempts, status.passed)
    default = version.snapshot.get("default_locale") or "en"
    return QuizOverview(
        assignment_id=assignment.id,
        module_slug=module_slug,
        module_title=pick_text(version.snapshot.get("title"), locale, default) or module_slug,
        question_count=question_count,
        mastery_score=planned.mastery_score,
        attempts_limit=settings.get("attempts_limit"),
        time_limit_minutes=settings.get("time_limit_minutes"),
        feedback_mode=settings.get("feedback") or "immediate",
        attempts=[
            AttemptSummary(
                a.id, a.number, a.status, a.started_at, a.submitted_at, a.score_scaled, a.passed
            )
            for a in attempts
        ],
        open_attempt_id=open_attempt.id if open_attempt else None,
        passed=status.passed,
        refusal=refusal,
    )


@dataclass(frozen=True)
class Choice:
    """An option, item or match as the learner sees it."""

    id: str
    text: str


@dataclass(frozen=True)
class Feedback:
    """How an answer scored, the feedback it earned and the question's explanation."""

    correct: bool
    fraction: float
    texts: list[str]
    explanation: Markup
    answer: list[str]
    #: What full marks would have been, shown when the answer was not (empty for scenarios).
    right_answer: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScenarioStep:
    """A step of a scenario already answered: what happened, what the learner chose."""

    situation: Markup
    chosen: str
    feedback: list[str]


@dataclass(frozen=True)
class QuestionPage:
    """One question of an attempt, ready for its form (or, once answered, its feedback)."""

    key: str
    type: str
    position: int
    count: int
    prompt: Markup
    situation: Markup
    persona: PersonaCard | None
    choices: list[Choice]
    #: For matching questions: the prompts; ``choices`` then holds the answers to pick from.
    prompts: list[Choice]
    step_id: str | None
    path: list[ScenarioStep]
    response: dict[str, Any]
    #: Set when the answer is final and feedback is shown now (immediate feedback).
    feedback: Feedback | None


@dataclass(frozen=True)
class AttemptPage:
    """An open attempt: where the learner is, how long is left, and the question to answer."""

    attempt_id: uuid.UUID
    assignment_id: uuid.UUID
    module_slug: str
    module_title: str
    number: int
    status: str
    feedback_mode: str
    deadline_at: datetime | None
    seconds_left: int | None
    answered: list[bool]
    #: None when every question is answered: the page then asks to submit.
    question: QuestionPage | None

    @property
    def answered_count(self) -> int:
        """Return how many questions are answered."""
        return sum(self.answered)


def _texts(texts: list[dict[str, str]], locale: str, default: str) -> list[str]:
    return [pick_text(text, locale, default) for text in texts]


def answer_words(
    question: dict[str, Any], response: dict[str, Any], locale: str, default: str
) -> list[str]:
    """Return a response in words: the chosen options' texts, the order, the typed text."""
    data, kind = question["data"], question["type"]

    def text_of(items: list[dict[str, Any]], item_id: str, key: str = "text") -> str:
        item = next((i for i in items if i["id"] == item_id), None)
        return pick_text(item[key], locale, default) if item else item_id

    if kind == "single_choice" and "choice" in response:
        return [text_of(data["options"], response["choice"])]
    if kind == "multiple_choice":
        return [text_of(data["options"], c) for c in response.get("choices", [])]
    if kind == "true_false" and "answer" in response:
        return [_("True") if response["answer"] else _("False")]
    if kind == "ordering":
        return [text_of(data["items"], i) for i in response.get("order", [])]
    if kind == "scenario":
        words = []
        for choice in response.get("path", []):
            options = data["options"]
            if choice.get("step"):
                options = next(s for s in data["steps"] if s["id"] == choice["step"])["options"]
            words.append(text_of(options, choice["option"]))
        return words
    if kind == "short_answer":
        return [response.get("text", "")]
    if kind == "matching":
        return [
            f"{text_of(data['pairs'], pair, 'prompt')} → {text_of(data['pairs'], chosen, 'match')}"
            for pair, chosen in response.get("matches", {}).items()
        ]
    if kind == "numerical" and response.get("value") is not None:
        return [f"{response['value']:g}"]
    return []


def _feedback(question: dict[str, Any], row: QuizResponse, locale: str, default: str) -> Feedback:
    handler = answer_type(question["type"])
    scored = handler.score(question["data"], row.response)
    return Feedback(
        correct=scored.correct,
        fraction=scored.fraction,
        texts=_texts(scored.feedback, locale, default),
        explanation=render_markdown(pick_text(question.get("explanation"), locale, default)),
        answer=answer_words(question, row.response, locale, default),
        right_answer=[] if scored.correct else right_words(question, locale, default),
    )


def right_words(question: dict[str, Any], locale: str, default: str) -> list[str]:
    """Return the answer that scores full marks, in words (nothing for scenarios)."""
    data, kind = question["data"], question["type"]
    right: dict[str, Any] | None = None
    if kind == "single_choice":
        right = {"choice": next(o["id"] for o in data["options"] if o.get("correct"))}
    elif kind == "multiple_choice":
        right = {"choices": [o["id"] for o in data["options"] if o.get("correct")]}
    elif kind == "true_false":
        right = {"answer": bool(data["answer"])}
    elif kind == "ordering":
        right = {"order": [item["id"] for item in data["items"]]}
    elif kind == "matching":
        right = {"matches": {pair["id"]: pair["id"] for pair in data["pairs"]}}
    elif kind == "short_answer":
        right = {"text": data["answers"][0]["text"]}
    elif kind == "numerical":
        first = data["answers"][0]
        if first.get("value") is not None:
            right = {"value": first["value"]}
    return answer_words(question, right, locale, default) if right else []


def _question_page(
    context: QuizContext,
    position: int,
    row: QuizResponse | None,
    personas: dict[str, dict[str, Any]],
    locale: str,
) -> QuestionPage:
    drawn = context.attempt.drawn["questions"][position - 1]
    question = context.questions[drawn["key"]]
    data, kind = question["data"], question["type"]
    default = context.version.snapshot.get("default_locale") or "en"
    handler = answer_type(kind)
    response = row.response if row is not None else {}
    immediate = context.attempt.drawn.get("feedback") == "immediate"
    complete = row is not None and handler.complete(data, response)
    feedback = _feedback(question, row, locale, default) if (complete and immediate) else None

    def choices(items: list[dict[str, Any]], order: list[str] | None, key: str = "text") -> list:
        return [Choice(i["id"], pick_text(i[key], locale, default)) for i in ordered(items, order)]

    situation = pick_text(data.get("situation"), locale, default)
    step_id, path, options, prompts = None, [], [], []
    if kind == "scenario":
        scenario: Scenario = handler  # type: ignore[assignment]
        walked = response.get("path", []) if (immediate or not complete) else []
        if not (complete and immediate):
            step = scenario.current_step(data, {"path": walked})
            step_id = step["id"]
            order = drawn.get("steps", {}).get(step_id) if step_id else drawn.get("options")
            options = choices(step["options"], order)
            situation = pick_text(step["situation"], locale, default)
        else:
            situation = ""  # the path below shows each situation in turn
        for index, choice in enumerate(walked):
            shown = scenario.current_step(data, {"path": walked[:index]})
            option = next(o for o in shown["options"] if o["id"] == choice["option"])
            path.append(
                ScenarioStep(
                    situation=render_markdown(pick_text(shown["situation"], locale, default)),
                    chosen=pick_text(option["text"], locale, default),
                    feedback=_texts([option["feedback"]], locale, default) if immediate else [],
                )
            )
    elif kind in ("single_choice", "multiple_choice"):
        options = choices(data["options"], drawn.get("options"))
    elif kind == "ordering":
        options = choices(data["items"], drawn.get("options"))
    elif kind == "matching":
        prompts = choices(data["pairs"], None, "prompt")
        options = choices(data["pairs"], drawn.get("matches"), "match")
    persona = personas.get(question.get("persona") or "")
    return QuestionPage(
        key=drawn["key"],
        type=kind,
        position=position,
        count=len(context.drawn_keys),
        prompt=render_markdown(pick_text(question.get("prompt"), locale, default)),
        situation=render_markdown(situation),
        persona=persona_card(persona, locale) if persona else None,
        choices=options,
        prompts=prompts,
        step_id=step_id,
        path=path,
        response=response,
        feedback=feedback,
    )


def scenario_personas(session: Session, context: QuizContext) -> dict[str, dict[str, Any]]:
    """Return the personas the attempt's scenarios show, by slug.

    The module version's own personas come from its snapshot; a scenario may feature a
    persona the module does not list, which is then read as it is now.
    """
    personas = {p["slug"]: p for p in context.version.snapshot.get("personas", [])}
    wanted = {
        context.questions[key].get("persona")
        for key in context.drawn_keys
        if context.questions[key].get("persona")
    } - set(personas)
    if wanted:
        for row in session.scalars(sa.select(Persona).where(Persona.slug.in_(wanted))):
            personas[row.slug] = persona_snapshot(row)
    return personas


def attempt_page(
    session: Session,
    employee: Employee,
    attempt_id: uuid.UUID,
    locale: str,
    now: datetime,
    position: int | None = None,
) -> AttemptPage:
    """Return the open attempt at ``position`` (default: the first question not answered).

    Position 0 asks for the page to submit from.
    """
    context = quiz_context(session, employee, attempt_id)
    attempt = context.attempt
    if expire_if_overdue(session, employee, attempt, now):
        session.commit()
    rows = {
        row.question_key: row
        for row in session.scalars(
            sa.select(QuizResponse).where(QuizResponse.attempt_id == attempt.id)
        )
    }
    keys = context.drawn_keys
    answered = [
        key in rows
        and answer_type(context.questions[key]["type"]).complete(
            context.questions[key]["data"], rows[key].response
        )
        for key in keys
    ]
    if position == 0:
        position = None  # the page to submit from
    elif position is None or not 1 <= position <= len(keys):
        position = next((i + 1 for i, done in enumerate(answered) if not done), None)
    snapshot = context.version.snapshot
    personas = scenario_personas(session, context)
    question = None
    if position is not None and attempt.status == "in_progress":
        question = _question_page(context, position, rows.get(keys[position - 1]), personas, locale)
    left = None
    if attempt.deadline_at is not None:
        left = max(0, int((attempt.deadline_at - now).total_seconds()))
    default = snapshot.get("default_locale") or "en"
    return AttemptPage(
        attempt_id=attempt.id,
        assignment_id=attempt.assignment_id,
        module_slug=snapshot["slug"],
        module_title=pick_text(snapshot.get("title"), locale, default) or snapshot["slug"],
        number=attempt.number,
        status=attempt.status,
        feedback_mode=attempt.drawn.get("feedback", "immediate"),
        deadline_at=attempt.deadline_at,
        seconds_left=left,
        answered=answered,
        question=question,
    )


@dataclass(frozen=True)
class ReviewItem:
    """One question of a finished attempt: the learner's answer, its score, the explanation."""

    position: int
    prompt: Markup
    answered: bool
    feedback: Feedback | None


@dataclass(frozen=True)
class AttemptResult:
    """A finished attempt: score against the pass mark, each question reviewed, what next."""

    attempt_id: uuid.UUID
    assignment_id: uuid.UUID
    module_slug: str
    module_title: str
    number: int
    status: str
    score_scaled: float
    score_raw: float
    score_max: float
    mastery_score: float
    passed: bool
    submitted_at: datetime | None
    items: list[ReviewItem] = field(default_factory=list)
    #: Why another attempt cannot start (None: the learner may try again).
    refusal: str | None = None
    assignment_completed: bool = False


def attempt_result(
    session: Session, employee: Employee, attempt_id: uuid.UUID, locale: str, now: datetime
) -> AttemptResult | None:
    """Return the result of a finished attempt, or None while it is still open."""
    context = quiz_context(session, employee, attempt_id)
    attempt = context.attempt
    if expire_if_overdue(session, employee, attempt, now):
        session.commit()
    if attempt.status == "in_progress":
        return None
    snapshot = context.version.snapshot
    default = snapshot.get("default_locale") or "en"
    rows = {
        row.question_key: row
        for row in session.scalars(
            sa.select(QuizResponse).where(QuizResponse.attempt_id == attempt.id)
        )
    }
    items = []
    for position, key in enumerate(context.drawn_keys, start=1):
        question = context.questions[key]
        row = rows.get(key)
        done = row is not None and row.score is not None
        items.append(
            ReviewItem(
                position=position,
                prompt=render_markdown(pick_text(question.get("prompt"), locale, default)),
                answered=done,
                feedback=_feedback(question, row, locale, default) if done and row else None,
            )
        )
    version = session.get(ModuleVersion, attempt.module_version_id)
    assert version is not None
    status = assignment_status(session, context.plan).module(context.planned.slug)
    attempts = attempts_of(session, context.plan, version)
    return AttemptResult(
        attempt_id=attempt.id,
        assignment_id=attempt.assignment_id,
        module_slug=snapshot["slug"],
        module_title=pick_text(snapshot.get("title"), locale, default) or snapshot["slug"],
        number=attempt.number,
        status=attempt.status,
        score_scaled=attempt.score_scaled or 0.0,
        score_raw=attempt.score_raw or 0.0,
        score_max=attempt.score_max or 0.0,
        mastery_score=float(attempt.drawn.get("mastery_score", 0.8)),
        passed=bool(attempt.passed),
        submitted_at=attempt.submitted_at,
        items=items,
        refusal=start_refusal(version, attempts, status.passed),
        assignment_completed=context.plan.assignment.state == "completed",
    )


def open_attempts(session: Session, employee: Employee) -> list[QuizAttempt]:
    """Return the employee's attempts still in progress."""
    return list(
        session.scalars(
            sa.select(QuizAttempt).where(
                QuizAttempt.employee_id == employee.id, QuizAttempt.status == "in_progress"
            )
        )
    )
