"""The quiz engine: start (or resume) an attempt, save answers, submit exactly once.

An attempt draws its questions from the pinned module version's snapshot and freezes them
in ``QuizAttempt.drawn`` with its rules (pass mark, feedback mode, time limit). Answers are
saved one question at a time, so an interrupted attempt resumes where it stopped. The time
limit is enforced here, not in the browser: after the deadline (plus
``LMS_CX_QUIZ_GRACE_SECONDS``) no answer is accepted and the attempt is scored with what was
saved. Submission is exactly once: the first request to flip the attempt out of
``in_progress`` (one conditional UPDATE, with the unique ``submission_key``) scores it and
records its statements; a double click, a second tab or a retried request finds it done.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext
from lms_cx.models import ModuleVersion, QuizAttempt, QuizResponse
from lms_cx.models.people import Employee
from lms_cx.services.certificates import complete_if_satisfied
from lms_cx.services.enrolment import (
    LearnerError,
    Locked,
    NotFound,
    Plan,
    PlannedModule,
    assignment_plan,
    learner_assignment,
    start_assignment,
)
from lms_cx.services.learning_record import (
    course_part,
    event,
    learner_part,
    module_part,
    record_events,
)
from lms_cx.services.lessons import locked_reason, record_module_completion
from lms_cx.services.module_status import assignment_status
from lms_cx.services.quiz_draw import draw_questions, questions_by_key
from lms_cx.services.quiz_scoring import answer_type


class AttemptClosed(LearnerError):
    """The attempt is no longer open (submitted, or its time ran out)."""


@dataclass(frozen=True)
class QuizContext:
    """An attempt with everything around it: plan, module, version, questions by key."""

    attempt: QuizAttempt
    plan: Plan
    planned: PlannedModule
    version: ModuleVersion
    questions: dict[str, dict[str, Any]]

    @property
    def drawn_keys(self) -> list[str]:
        """Return the drawn questions' keys in the order the learner sees them."""
        return [item["key"] for item in self.attempt.drawn["questions"]]


def _module_quiz(
    plan: Plan, module_slug: str, session: Session
) -> tuple[PlannedModule, ModuleVersion]:
    planned = plan.module(module_slug)
    version = session.get(ModuleVersion, planned.module_version_id)
    if version is None or not version.snapshot.get("quiz"):
        raise NotFound(_("This module has no quiz."))
    return planned, version


def attempts_of(session: Session, plan: Plan, version: ModuleVersion) -> list[QuizAttempt]:
    """Return the assignment's attempts at a module's quiz, oldest first."""
    return list(
        session.scalars(
            sa.select(QuizAttempt)
            .where(
                QuizAttempt.assignment_id == plan.assignment.id,
                QuizAttempt.module_id == version.module_id,
            )
            .order_by(QuizAttempt.number)
        )
    )


def start_attempt(
    session: Session,
    employee: Employee,
    assignment_id: uuid.UUID,
    module_slug: str,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Return the open attempt at the module's quiz, or start the next one.

    ``LearnerError`` says why no attempt can start: the quiz is passed already, or every
    allowed attempt is used; ``Locked`` while the module's prerequisites are not satisfied.
    """
    assignment = learner_assignment(session, employee, assignment_id)
    plan = start_assignment(session, employee, assignment, now)
    planned, version = _module_quiz(plan, module_slug, session)
    status = assignment_status(session, plan).module(module_slug)
    if status.locked:
        session.rollback()
        raise Locked(locked_reason(status, employee.locale or "en"))
    for attempt in attempts_of(session, plan, version):
        if attempt.status == "in_progress" and not expire_if_overdue(
            session, employee, attempt, now
        ):
            session.commit()
            return attempt
    attempts = attempts_of(session, plan, version)
    refusal = start_refusal(version, attempts, status.passed)
    if refusal:
        session.commit()
        raise LearnerError(refusal)
    settings = version.snapshot.get("quiz_settings") or {}
    limit = settings.get("time_limit_minutes")
    attempt = QuizAttempt(
        assignment_id=assignment.id,
        employee_id=employee.id,
        module_id=version.module_id,
        module_version_id=version.id,
        number=(attempts[-1].number + 1) if attempts else 1,
        started_at=now,
        deadline_at=now + timedelta(minutes=limit) if limit else None,
        status="in_progress",
        drawn={
            "questions": draw_questions(version.snapshot["quiz"], rng or random.Random()),
            "mastery_score": planned.mastery_score,
            "feedback": settings.get("feedback") or "immediate",
            "time_limit_minutes": limit,
        },
    )
    session.add(attempt)
    try:
        session.flush()
    except IntegrityError:
        # Another request started this attempt number a moment ago: resume that one.
        session.rollback()
        return start_attempt(session, employee, assignment_id, module_slug, now, rng)
    parts = _parts(session, employee, plan, version)
    record_events(
        session,
        [
            event("module.launched", f"{parts['registration']}|{module_slug}", now, **parts),
            event(
                "attempt.initialized",
                str(attempt.id),
                now,
                attempt=_attempt_part(attempt),
                **parts,
            ),
        ],
    )
    session.commit()
    return attempt


def start_refusal(version: ModuleVersion, attempts: list[QuizAttempt], passed: bool) -> str | None:
    """Return why no new attempt may start, or None."""
    if passed or any(a.passed for a in attempts):
        return _("You have passed this quiz; there is nothing more to do here.")
    limit = (version.snapshot.get("quiz_settings") or {}).get("attempts_limit")
    if limit is not None and len(attempts) >= limit:
        return ngettext(
            "You have used your %(num)d attempt at this quiz. Ask your trainer or manager for "
            "another chance.",
            "You have used all %(num)d attempts at this quiz. Ask your trainer or manager for "
            "another chance.",
            limit,
        )
    return None


def _parts(session: Session, employee: Employee, plan: Plan, version: ModuleVersion) -> dict:
    return {
        "learner": learner_part(session, employee),
        "registration": str(plan.assignment.id),
        "course": course_part(plan.course_version),
        "module": module_part(version),
    }


def _attempt_part(attempt: QuizAttempt, ending: str | None = None) -> dict[str, Any]:
    part = {
        "id": str(attempt.id),
        "number": attempt.number,
        "mastery_score": attempt.drawn.get("mastery_score"),
    }
    if ending:
        part["ending"] = ending
    return part


def quiz_context(session: Session, employee: Employee, attempt_id: uuid.UUID) -> QuizContext:
    """Return the employee's own attempt with its plan and questions; ``NotFound`` otherwise."""
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.employee_id != employee.id:
        raise NotFound(_("There is no such quiz attempt among yours."))
    plan = assignment_plan(session, attempt.assignment)
    version = session.get(ModuleVersion, attempt.module_version_id)
    assert version is not None
    planned = plan.module(version.snapshot["slug"])
    return QuizContext(attempt, plan, planned, version, questions_by_key(version.snapshot["quiz"]))


def grace() -> timedelta:
    """Return the slack allowed after a deadline for answers already on their way."""
    return timedelta(seconds=float(current_app.config["LMS_CX_QUIZ_GRACE_SECONDS"]))


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """Return True when the attempt's time limit (plus grace) has run out."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace()


def expire_if_overdue(
    session: Session, employee: Employee, attempt: QuizAttempt, now: datetime
) -> bool:
    """Close and score an open attempt whose time ran out; return True when it is closed."""
    if attempt.status != "in_progress" or not is_overdue(attempt, now):
        return attempt.status != "in_progress"
    context = quiz_context(session, employee, attempt.id)
    finalise(session, employee, context, now, f"expired:{attempt.id}", expired=True)
    return True


@dataclass(frozen=True)
class SavedAnswer:
    """What saving an answer did."""

    position: int
    #: False while a scenario has a follow-up step to answer.
    complete: bool
    #: True when the learner sees the feedback now (and the answer is final).
    immediate: bool


def save_answer(
    session: Session,
    employee: Employee,
    attempt_id: uuid.UUID,
    question_key: str,
    form: dict[str, list[str]],
    now: datetime,
) -> SavedAnswer:
    """Save the learner's answer to one drawn question (``AnswerError`` for a bad form).

    With immediate feedback an answered question is final; with feedback at the end it may be
    changed until the attempt is submitted.
    """
    context = quiz_context(session, employee, attempt_id)
    attempt = context.attempt
    if expire_if_overdue(session, employee, attempt, now):
        session.commit()
        if attempt.status == "expired":
            raise AttemptClosed(_("Time is up: your attempt was scored with the answers saved."))
        raise AttemptClosed(_("This attempt has already been submitted."))
    if question_key not in context.drawn_keys:
        raise NotFound(_("This question is not part of your attempt."))
    question = context.questions[question_key]
    handler = answer_type(question["type"])
    saved = session.scalar(
        sa.select(QuizResponse).where(
            QuizResponse.attempt_id == attempt.id, QuizResponse.question_key == question_key
        )
    )
    previous = saved.response if saved is not None else {}
    if (
        saved is not None
        and attempt.drawn.get("feedback") == "immediate"
        and handler.complete(question["data"], previous)
    ):
        raise LearnerError(_("You have already answered this question."))
    response = handler.parse(question["data"], form, previous)
    complete = handler.complete(question["data"], response)
    weight = float(question.get("weight", 1.0))
    scored = handler.score(question["data"], response) if complete else None
    if saved is None:
        saved = QuizResponse(attempt_id=attempt.id, question_key=question_key)
        session.add(saved)
    saved.response = response
    saved.answered_at = now
    saved.max_score = weight
    saved.score = scored.fraction * weight if scored else None
    saved.correct = scored.correct if scored else None
    try:
        session.commit()
    except IntegrityError:
        # The same answer arrived twice at once (a double click): the first one stands.
        session.rollback()
    return SavedAnswer(
        context.drawn_keys.index(question_key) + 1,
        complete,
        attempt.drawn.get("feedback") == "immediate",
    )


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submit request."""

    attempt_id: uuid.UUID
    #: False when this request found the attempt already submitted (or expired).
    recorded: bool


def submit_attempt(
    session: Session,
    employee: Employee,
    attempt_id: uuid.UUID,
    submission_key: str,
    now: datetime,
) -> Submitted:
    """Submit an attempt exactly once and score it; repeating the request changes nothing."""
    key = (submission_key or "").strip()[:100] or f"submit:{attempt_id}"
    owner = session.scalar(sa.select(QuizAttempt.id).where(QuizAttempt.submission_key == key))
    if owner is not None:
        if owner != attempt_id:
            raise LearnerError(_("This form was already used for another attempt."))
        return Submitted(attempt_id, recorded=False)
    context = quiz_context(session, employee, attempt_id)
    if context.attempt.status != "in_progress":
        return Submitted(attempt_id, recorded=False)
    overdue = is_overdue(context.attempt, now)
    recorded = finalise(
        session,
        employee,
        context,
        now,
        f"expired:{attempt_id}" if overdue else key,
        expired=overdue,
    )
    return Submitted(attempt_id, recorded=recorded)


def finalise(
    session: Session,
    employee: Employee,
    context: QuizContext,
    now: datetime,
    key: str,
    *,
    expired: bool = False,
) -> bool:
    """Close the attempt, score it and record its statements; commits.

    Return False when another request closed it first. The claim is one UPDATE that only
    matches an attempt still in progress without a submission key: on PostgreSQL a
    concurrent claim waits for the row lock and then matches nothing, on SQLite writers are
    serialised; a unique ``submission_key`` settles whatever remains.
    """
    attempt = context.attempt
    ended_at = min(now, attempt.deadline_at) if expired and attempt.deadline_at else now
    try:
        claimed = session.execute(
            sa.update(QuizAttempt)
            .where(
                QuizAttempt.id == attempt.id,
                QuizAttempt.status == "in_progress",
                QuizAttempt.submission_key.is_(None),
            )
            .values(
                status="expired" if expired else "submitted",
                submitted_at=ended_at,
                submission_key=key,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    except IntegrityError:
        claimed = 0
    if not claimed:
        session.rollback()
        return False
    responses = {
        row.question_key: row
        for row in session.scalars(
            sa.select(QuizResponse).where(QuizResponse.attempt_id == attempt.id)
        )
    }
    raw = 0.0
    high = 0.0
    for question_key in context.drawn_keys:
        high += float(context.questions[question_key].get("weight", 1.0))
        row = responses.get(question_key)
        if row is not None and row.score is not None:
            raw += row.score
    scaled = raw / high if high else 0.0
    mastery = float(attempt.drawn.get("mastery_score", 0.8))
    passed = scaled + 1e-9 >= mastery
    session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id)
        .values(score_raw=raw, score_max=high, score_scaled=scaled, passed=passed)
        .execution_options(synchronize_session=False)
    )
    session.refresh(attempt)
    _record_attempt(session, employee, context, responses, raw, high, passed, ended_at, expired)
    record_module_completion(session, employee, context.plan, context.planned, context.version, now)
    complete_if_satisfied(session, employee, context.plan, now)
    session.commit()
    return True


def _record_attempt(
    session: Session,
    employee: Employee,
    context: QuizContext,
    responses: dict[str, QuizResponse],
    raw: float,
    high: float,
    passed: bool,
    ended_at: datetime,
    expired: bool,
) -> None:
    attempt = context.attempt
    parts = _parts(session, employee, context.plan, context.version)
    attempt_part = _attempt_part(attempt, "expired" if expired else "submitted")
    duration = (ended_at - attempt.started_at).total_seconds()
    events = []
    for question_key in context.drawn_keys:
        row = responses.get(question_key)
        if row is None or row.score is None:
            continue
        question = context.questions[question_key]
        events.append(
            event(
                "question.answered",
                f"{attempt.id}|{question_key}",
                row.answered_at,
                question={
                    "key": question_key,
                    "type": question["type"],
                    "prompt": question.get("prompt") or {},
                    "data": question["data"],
                },
                response=row.response,
                result={
                    "score_raw": row.score,
                    "score_max": row.max_score,
                    "success": bool(row.correct),
                },
                attempt=attempt_part,
                **parts,
            )
        )
    events.append(
        event(
            "attempt.passed" if passed else "attempt.failed",
            str(attempt.id),
            ended_at,
            result={
                "score_raw": raw,
                "score_max": high,
                "success": passed,
                "duration_seconds": duration,
            },
            attempt=attempt_part,
            **parts,
        )
    )
    events.append(
        event(
            "attempt.terminated",
            str(attempt.id),
            ended_at,
            result={"duration_seconds": duration},
            attempt=attempt_part,
            **parts,
        )
    )
    record_events(session, events)
