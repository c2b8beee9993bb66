"""The quiz engine: drawing from the pinned version, answers, feedback, limits, time, scoring."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import QuizAttempt
from lms_cx.services import quiz
from lms_cx.services.enrolment import LearnerError, Locked
from lms_cx.services.lessons import open_lesson
from lms_cx.services.quiz_pages import attempt_page, attempt_result, quiz_overview
from lms_cx.services.quiz_scoring import AnswerError
from tests import factories
from tests.learner.conftest import NOW

SCENARIO = {
    "slug": "henryk",
    "type": "scenario",
    "persona": "henryk",
    "prompt": {"en": "What do you do?"},
    "explanation": {"en": "Silence gives room."},
    "data": {
        "situation": {"en": "Henryk stops mid-sentence."},
        "options": [
            {
                "id": "a",
                "text": {"en": "Wait"},
                "score": 1.0,
                "feedback": {"en": "Best"},
                "next": "s2",
            },
            {"id": "b", "text": {"en": "Rush"}, "score": 0.2, "feedback": {"en": "Too fast"}},
        ],
        "steps": [
            {
                "id": "s2",
                "situation": {"en": "He says someone may have been in the house."},
                "options": [
                    {
                        "id": "a",
                        "text": {"en": "Reassure and check"},
                        "score": 1.0,
                        "feedback": {"en": "Yes"},
                    },
                    {
                        "id": "b",
                        "text": {"en": "Offer an upgrade"},
                        "score": 0.0,
                        "feedback": {"en": "No"},
                    },
                ],
            }
        ],
    },
}


def answers_all_right(session: Session, learner, attempt: QuizAttempt) -> None:
    for item in attempt.drawn["questions"]:
        right = "a" if item["key"].endswith("q1") else "b"
        quiz.save_answer(session, learner, attempt.id, item["key"], {"answer": [right]}, NOW)


def read_all(session: Session, learner, small_course, module: str = "listening", count: int = 2):
    for number in range(1, count + 1):
        open_lesson(
            session, learner, small_course.assignment.id, module, f"lesson-{number}", "en", NOW
        )


def test_attempt_draws_the_pool_and_freezes_the_pass_mark(
    session, learner, small_course, ctx
) -> None:
    """Test that an attempt holds the drawn questions, the course's mastery score and the rules."""
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    assert [q["key"] for q in attempt.drawn["questions"]] == ["listening/q1", "listening/q2"]
    assert attempt.drawn["mastery_score"] == 0.8
    assert attempt.drawn["feedback"] == "immediate"
    assert attempt.number == 1 and attempt.deadline_at is None


def test_pools_draw_their_count_and_shuffling_follows_the_bank(session, learner, ctx) -> None:
    """Test that each pool gives its draw count, and questions and options are shuffled."""
    questions = [
        {**factories._choice_question(f"p{n}"), "pool": ("core", 3)} for n in range(1, 7)
    ] + [factories._choice_question("always")]
    module = factories.learning_module(session, "pooled", questions=questions, shuffle=True)
    course = factories.learning_course(session, "pooled-course", [module])
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    attempt = quiz.start_attempt(session, learner, assigned.id, "pooled", NOW, random.Random(7))
    keys = [q["key"] for q in attempt.drawn["questions"]]
    assert len(keys) == 4 and "pooled/always" in keys
    orders = {tuple(q["options"]) for q in attempt.drawn["questions"]}
    assert orders != {("a", "b", "c")}, "options were not shuffled"


def test_resuming_returns_the_same_attempt_with_its_answers(
    session, learner, small_course, ctx
) -> None:
    """Test that starting again while an attempt is open resumes it at the next question."""
    first = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    quiz.save_answer(session, learner, first.id, "listening/q1", {"answer": ["a"]}, NOW)
    again = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    assert again.id == first.id
    page = attempt_page(session, learner, first.id, "en", NOW)
    assert page.answered == [True, False]
    assert page.question is not None and page.question.key == "listening/q2"


def test_immediate_feedback_shows_and_locks_the_answer(session, learner, small_course, ctx) -> None:
    """Test that with immediate feedback an answer shows its feedback and cannot change."""
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    quiz.save_answer(session, learner, attempt.id, "listening/q1", {"answer": ["b"]}, NOW)
    page = attempt_page(session, learner, attempt.id, "en", NOW, position=1)
    assert page.question.feedback is not None
    assert page.question.feedback.correct is False
    assert page.question.feedback.texts == ["Feedback b"]
    assert page.question.feedback.answer == ["Option b"]
    assert page.question.feedback.right_answer == ["Option a"]
    assert "Because q1." in page.question.feedback.explanation
    with pytest.raises(LearnerError, match="already answered"):
        quiz.save_answer(session, learner, attempt.id, "listening/q1", {"answer": ["a"]}, NOW)


def test_end_of_attempt_feedback_allows_changes_until_submission(session, learner, ctx) -> None:
    """Test that with feedback at the end nothing is revealed and answers may change."""
    module = factories.learning_module(session, "endmode", feedback_mode="end")
    course = factories.learning_course(session, "endmode-course", [module])
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    attempt = quiz.start_attempt(session, learner, assigned.id, "endmode", NOW)
    quiz.save_answer(session, learner, attempt.id, "endmode/q1", {"answer": ["b"]}, NOW)
    page = attempt_page(session, learner, attempt.id, "en", NOW, position=1)
    assert page.question.feedback is None
    assert page.question.response == {"choice": "b"}
    quiz.save_answer(session, learner, attempt.id, "endmode/q1", {"answer": ["a"]}, NOW)
    quiz.save_answer(session, learner, attempt.id, "endmode/q2", {"answer": ["b"]}, NOW)
    quiz.submit_attempt(session, learner, attempt.id, "key-end", NOW)
    result = attempt_result(session, learner, attempt.id, "en", NOW)
    assert result.passed and result.score_scaled == 1.0
    assert [item.feedback.correct for item in result.items] == [True, True]


def test_a_bad_answer_form_is_refused_with_a_message(session, learner, small_course, ctx) -> None:
    """Test that an empty or unknown choice is refused and nothing is saved."""
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    with pytest.raises(AnswerError, match="Choose an answer"):
        quiz.save_answer(session, learner, attempt.id, "listening/q1", {}, NOW)
    with pytest.raises(AnswerError, match="not one of the options"):
        quiz.save_answer(session, learner, attempt.id, "listening/q1", {"answer": ["z"]}, NOW)
    assert attempt_page(session, learner, attempt.id, "en", NOW).answered == [False, False]


def test_failing_then_passing_and_no_attempt_after_a_pass(
    session, learner, small_course, ctx
) -> None:
    """Test that a failed attempt allows another, and a passed quiz refuses a new attempt."""
    assignment_id = small_course.assignment.id
    first = quiz.start_attempt(session, learner, assignment_id, "listening", NOW)
    quiz.save_answer(session, learner, first.id, "listening/q1", {"answer": ["c"]}, NOW)
    quiz.submit_attempt(session, learner, first.id, "k1", NOW)
    failed = attempt_result(session, learner, first.id, "en", NOW)
    assert not failed.passed and failed.score_scaled == 0.0 and failed.refusal is None
    assert failed.items[1].answered is False
    second = quiz.start_attempt(session, learner, assignment_id, "listening", NOW)
    assert second.number == 2
    answers_all_right(session, learner, second)
    quiz.submit_attempt(session, learner, second.id, "k2", NOW)
    with pytest.raises(LearnerError, match="passed this quiz"):
        quiz.start_attempt(session, learner, assignment_id, "listening", NOW)


def test_attempts_limit_refuses_one_more(session, learner, small_course, ctx) -> None:
    """Test that after the allowed number of attempts no new attempt starts, and why."""
    for number in range(1, 4):
        attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
        quiz.submit_attempt(session, learner, attempt.id, f"limit-{number}", NOW)
    overview = quiz_overview(session, learner, small_course.assignment.id, "listening", "en", NOW)
    assert "all 3 attempts" in overview.refusal
    with pytest.raises(LearnerError, match="all 3 attempts"):
        quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)


def test_locked_module_quiz_cannot_start(session, learner, small_course, ctx) -> None:
    """Test that the quiz of a module whose prerequisite is not satisfied is locked."""
    with pytest.raises(Locked, match="Module listening"):
        quiz.start_attempt(session, learner, small_course.assignment.id, "empathy", NOW)


def test_time_limit_is_enforced_on_the_server(session, learner, ctx) -> None:
    """Test that after the deadline (plus grace) answers are refused and the attempt is
    scored with what was saved in time, as an expired attempt."""
    module = factories.learning_module(session, "timed", time_limit_minutes=10)
    course = factories.learning_course(session, "timed-course", [module])
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    attempt = quiz.start_attempt(session, learner, assigned.id, "timed", NOW)
    assert attempt.deadline_at == NOW + timedelta(minutes=10)
    quiz.save_answer(session, learner, attempt.id, "timed/q1", {"answer": ["a"]}, NOW)
    # Within the grace period an answer on its way still counts.
    quiz.save_answer(
        session,
        learner,
        attempt.id,
        "timed/q2",
        {"answer": ["c"]},
        NOW + timedelta(minutes=10, seconds=5),
    )
    late = NOW + timedelta(minutes=11)
    with pytest.raises(quiz.AttemptClosed, match="Time is up"):
        quiz.save_answer(session, learner, attempt.id, "timed/q2", {"answer": ["b"]}, late)
    session.expire_all()
    closed = session.get(QuizAttempt, attempt.id)
    assert closed.status == "expired"
    assert closed.submitted_at == NOW + timedelta(minutes=10)
    assert closed.score_raw == 1.0 and closed.score_max == 2.0 and closed.passed is False


def test_scenario_scores_the_chosen_path_and_shows_the_persona(session, learner, ctx) -> None:
    """Test that a scenario shows its persona, leads to the follow-up step and scores the
    mean of the chosen options along the path."""
    module = factories.learning_module(session, "scenes", questions=[SCENARIO], personas=["henryk"])
    course = factories.learning_course(session, "scenes-course", [module], mastery_score=0.5)
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    attempt = quiz.start_attempt(session, learner, assigned.id, "scenes", NOW)
    page = attempt_page(session, learner, attempt.id, "en", NOW)
    assert page.question.persona.name == "Henryk"
    assert "stops mid-sentence" in page.question.situation
    saved = quiz.save_answer(
        session, learner, attempt.id, "scenes/henryk", {"answer": ["a"], "step": [""]}, NOW
    )
    assert saved.complete is False
    page = attempt_page(session, learner, attempt.id, "en", NOW, position=1)
    assert page.question.step_id == "s2"
    assert "may have been in the house" in page.question.situation
    assert page.question.path[0].chosen == "Wait" and page.question.path[0].feedback == ["Best"]
    with pytest.raises(AnswerError, match="moved on"):
        quiz.save_answer(session, learner, attempt.id, "scenes/henryk", {"answer": ["b"]}, NOW)
    quiz.save_answer(
        session, learner, attempt.id, "scenes/henryk", {"answer": ["b"], "step": ["s2"]}, NOW
    )
    quiz.submit_attempt(session, learner, attempt.id, "scene-key", NOW)
    result = attempt_result(session, learner, attempt.id, "en", NOW)
    assert result.score_scaled == 0.5 and result.passed
    assert result.items[0].feedback.answer == ["Wait", "Offer an upgrade"]
    assert result.items[0].feedback.texts == ["Best", "No"]


def test_someone_elses_attempt_is_not_found(session, learner, small_course, ctx) -> None:
    """Test that another employee cannot see, answer or submit my attempt."""
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    stranger = factories.employee(session)
    session.commit()
    with pytest.raises(LearnerError):
        attempt_page(session, stranger, attempt.id, "en", NOW)
    with pytest.raises(LearnerError):
        quiz.submit_attempt(session, stranger, attempt.id, "x", NOW)
    assert session.scalar(sa.select(QuizAttempt.status).where(QuizAttempt.id == attempt.id)) == (
        "in_progress"
    )


def test_reading_lessons_then_passing_satisfies_the_module(
    session, learner, small_course, ctx
) -> None:
    """Test that CompletedAndPassed needs both: lessons read and the quiz passed."""
    attempt = quiz.start_attempt(session, learner, small_course.assignment.id, "listening", NOW)
    answers_all_right(session, learner, attempt)
    quiz.submit_attempt(session, learner, attempt.id, "pass", NOW)
    overview = quiz_overview(session, learner, small_course.assignment.id, "listening", "en", NOW)
    assert overview.passed
    with pytest.raises(Locked):
        open_lesson(session, learner, small_course.assignment.id, "empathy", "lesson-1", "en", NOW)
    read_all(session, learner, small_course)
    page = open_lesson(
        session, learner, small_course.assignment.id, "empathy", "lesson-1", "en", NOW
    )
    assert page.title == "Lesson 1 of empathy"
