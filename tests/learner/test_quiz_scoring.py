"""How answers score: partial credit of single choice and "any other number" feedback, alone
and through a question bank imported from GIFT and taken as a quiz."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from lms_cx.content.reader import read_content
from lms_cx.models import QuestionBank
from lms_cx.services import quiz
from lms_cx.services.content_sync import known_ids, sync_content
from lms_cx.services.quiz_pages import attempt_page, attempt_result
from lms_cx.services.quiz_scoring import answer_type
from tests import factories
from tests.learner.conftest import NOW

CREDIT = {
    "options": [
        {"id": "a", "text": {"en": "50 EUR"}, "correct": True},
        {"id": "b", "text": {"en": "25 EUR"}, "weight": 0.5, "feedback": {"en": "Too careful."}},
        {"id": "c", "text": {"en": "Any amount"}, "weight": -0.5},
        {"id": "d", "text": {"en": "Nothing"}},
    ]
}
HOLD = {
    "answers": [{"value": 2, "tolerance": 1, "weight": 1, "feedback": {"en": "Yes."}}],
    "feedback_wrong": {"en": "Every two minutes."},
}


def test_a_weighted_single_choice_option_earns_its_share() -> None:
    """Test that ~%50% scores half, a penalty scores nothing (never below 0), the = answer
    and unweighted wrong options score as before."""
    single = answer_type("single_choice")
    scores = {choice: single.score(CREDIT, {"choice": choice}) for choice in ("a", "b", "c", "d")}
    assert {c: (s.fraction, s.correct) for c, s in scores.items()} == {
        "a": (1.0, True),
        "b": (0.5, False),
        "c": (0.0, False),
        "d": (0.0, False),
    }
    assert scores["b"].feedback == [{"en": "Too careful."}]


def test_a_number_matching_no_answer_gets_the_other_answers_feedback() -> None:
    """Test that a wrong number earns the question's feedback_wrong; a right one its own."""
    numerical = answer_type("numerical")
    wrong = numerical.score(HOLD, {"value": 10.0})
    assert (wrong.fraction, wrong.correct, wrong.feedback) == (
        0.0,
        False,
        [{"en": "Every two minutes."}],
    )
    right = numerical.score(HOLD, {"value": 2.5})
    assert (right.fraction, right.correct, right.feedback) == (1.0, True, [{"en": "Yes."}])
    bare = numerical.score({"answers": HOLD["answers"]}, {"value": 10.0})
    assert bare.feedback == []


GIFT = """\
::credit-level::Up to which goodwill credit may an agent decide alone?{
=50 EUR#Right: up to 50 EUR is yours to decide.
~%50%25 EUR#Safe, but you may give more.
~%-50%Any amount#No: above 50 EUR you escalate.
~Nothing
}

::hold-check::Every how many minutes do you check back with a caller on hold?{#
=2:1#Yes: about every two minutes.
~#Check back about every two minutes, so the caller knows you are still there.
}
"""


def test_a_gift_bank_scores_partial_credit_and_shows_other_number_feedback(
    session, learner, ctx, tmp_path: Path
) -> None:
    """Test that a quiz drawn from an imported GIFT bank gives half marks for ~%50%, shows
    that option's feedback, and shows ~#feedback for a number that matches no answer."""
    (tmp_path / "gift_scoring.gift").write_text(GIFT, encoding="utf-8")
    sync_content(session, read_content([tmp_path], known_ids(session)))
    bank = session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == "gift_scoring"))
    module = factories.learning_module(session, "gift-quiz", lessons=0, questions=[])
    module.question_bank_id = bank.id
    session.flush()
    course = factories.learning_course(session, "gift-course", [module], mastery_score=0.5)
    assigned = factories.assignment(session, learner, course=course)
    session.commit()

    attempt = quiz.start_attempt(session, learner, assigned.id, "gift-quiz", NOW)
    keys = [item["key"] for item in attempt.drawn["questions"]]
    assert sorted(keys) == ["gift_scoring/credit-level", "gift_scoring/hold-check"]
    credit, hold = keys.index("gift_scoring/credit-level"), keys.index("gift_scoring/hold-check")
    quiz.save_answer(session, learner, attempt.id, keys[credit], {"answer": ["b"]}, NOW)
    quiz.save_answer(session, learner, attempt.id, keys[hold], {"answer": ["7"]}, NOW)

    page = attempt_page(session, learner, attempt.id, "en", NOW, position=credit + 1)
    assert page.question.feedback.texts == ["Safe, but you may give more."]
    assert page.question.feedback.right_answer == ["50 EUR"]
    page = attempt_page(session, learner, attempt.id, "en", NOW, position=hold + 1)
    assert page.question.feedback.texts == [
        "Check back about every two minutes, so the caller knows you are still there."
    ]

    quiz.submit_attempt(session, learner, attempt.id, "gift-key", NOW)
    result = attempt_result(session, learner, attempt.id, "en", NOW)
    assert result.score_scaled == 0.25  # half of one question out of two
    assert not result.passed
    by_key = dict(zip(keys, result.items, strict=True))
    assert by_key["gift_scoring/hold-check"].feedback.texts == [
        "Check back about every two minutes, so the caller knows you are still there."
    ]
