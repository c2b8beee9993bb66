"""Exactly-once submission: a double click, a second tab or a retried request counts once.

The concurrent cases run two real threads, each with its own database connection, released
together by a barrier, on SQLite and (with LMS_CX_TEST_DATABASE_URL) PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Progress, QuizAttempt, QuizResponse, Statement
from lms_cx.services import quiz
from lms_cx.xapi import vocab
from tests import factories
from tests.learner.conftest import NOW


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at once; return results (or errors)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def runner(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = work(index)
        except Exception as error:  # the test reports it
            results[index] = error

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def outcome_statements(session: Session, attempt: QuizAttempt) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(Statement.verb_id).where(
                Statement.registration == attempt.assignment_id,
                Statement.verb_id.in_(
                    [vocab.VERB_PASSED, vocab.VERB_FAILED, vocab.VERB_TERMINATED]
                ),
            )
        )
    )


def answered_attempt(session: Session, learner, small_course) -> QuizAttempt:
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    quiz.save_answer(session, learner, attempt.id, "listening/q1", {"answer": ["a"]}, NOW)
    quiz.save_answer(session, learner, attempt.id, "listening/q2", {"answer": ["b"]}, NOW)
    return attempt


def test_two_tabs_submitting_at_once_record_one_result(
    app: Flask, session: Session, learner, small_course, ctx
) -> None:
    """Test that two concurrent submissions with different keys (two tabs) score the attempt
    once and store one passed and one terminated statement."""
    attempt = answered_attempt(session, learner, small_course)
    engine = session.get_bind()

    def submit(index: int) -> quiz.Submitted:
        with app.test_request_context("/"), Session(engine, expire_on_commit=False) as own:
            me = own.get(type(learner), learner.id)
            return quiz.submit_attempt(own, me, attempt.id, f"tab-{index}", NOW)

    results = run_together(2, submit)
    assert all(isinstance(r, quiz.Submitted) for r in results), results
    assert sorted(r.recorded for r in results) == [False, True]
    session.expire_all()
    stored = session.get(QuizAttempt, attempt.id)
    assert stored.status == "submitted" and stored.passed is True
    assert stored.submission_key in {"tab-0", "tab-1"}
    assert sorted(outcome_statements(session, attempt)) == [
        vocab.VERB_PASSED,
        vocab.VERB_TERMINATED,
    ]
    module_row = session.scalar(
        sa.select(Progress).where(
            Progress.registration == str(attempt.assignment_id),
            Progress.activity_id.endswith("/modules/listening"),
        )
    )
    assert module_row.success is True and module_row.best_score_scaled == 1.0


def test_double_click_sends_the_same_request_twice_and_counts_once(
    app: Flask, session: Session, learner, small_course, ctx
) -> None:
    """Test that two concurrent HTTP submits with the same key (a double click), through
    two signed-in browsers of the same learner, give one result and both see it."""
    attempt = answered_attempt(session, learner, small_course)
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        response = client.post(
            "/cx/account/login", data={"email": learner.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302

    def click(index: int) -> int:
        response = clients[index].post(
            f"/cx/learn/attempts/{attempt.id}/submit", data={"submission_key": "one-click"}
        )
        assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
        return response.status_code

    assert run_together(2, click) == [302, 302]
    assert sorted(outcome_statements(session, attempt)) == [
        vocab.VERB_PASSED,
        vocab.VERB_TERMINATED,
    ]
    assert (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(QuizAttempt)
            .where(QuizAttempt.status == "submitted")
        )
        == 1
    )


def test_a_retried_submit_changes_nothing(session: Session, learner, small_course, ctx) -> None:
    """Test that resending a submit (same key, later) is a no-op, and a late answer is refused."""
    attempt = answered_attempt(session, learner, small_course)
    first = quiz.submit_attempt(session, learner, attempt.id, "retry-key", NOW)
    before = session.scalar(sa.select(sa.func.count()).select_from(Statement))
    again = quiz.submit_attempt(session, learner, attempt.id, "retry-key", NOW)
    other_tab = quiz.submit_attempt(session, learner, attempt.id, "other-key", NOW)
    assert (first.recorded, again.recorded, other_tab.recorded) == (True, False, False)
    assert session.scalar(sa.select(sa.func.count()).select_from(Statement)) == before
    try:
        quiz.save_answer(session, learner, attempt.id, "listening/q1", {"answer": ["b"]}, NOW)
    except quiz.AttemptClosed:
        pass
    else:
        raise AssertionError("an answer to a submitted attempt was accepted")
    assert session.scalar(
        sa.select(QuizResponse.response).where(
            QuizResponse.attempt_id == attempt.id, QuizResponse.question_key == "listening/q1"
        )
    ) == {"choice": "a"}


def test_a_key_of_another_attempt_is_refused(session: Session, learner, small_course, ctx) -> None:
    """Test that a submission key already used by one attempt cannot submit another."""
    attempt = answered_attempt(session, learner, small_course)
    quiz.submit_attempt(session, learner, attempt.id, "shared-key", NOW)
    other = factories.assignment(session, learner, course=small_course.course)
    session.commit()
    second = quiz.start_attempt(session, learner, other.id, "listening", NOW)
    try:
        quiz.submit_attempt(session, learner, second.id, "shared-key", NOW)
    except quiz.LearnerError as error:
        assert "another attempt" in error.message
    else:
        raise AssertionError("a used key submitted another attempt")
