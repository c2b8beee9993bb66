"""Question banks and questions from the web: a form per type, checked by the type registry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms_cx.content.question_types import QUESTION_TYPES
from lms_cx.forms.authoring_questions import QUESTION_FORMS
from lms_cx.models import Question, QuestionBank, QuestionPool
from tests.trainer.conftest import BASE, page, question_count


def question(session, slug: str, bank: str = "listen-quiz") -> Question:  # noqa: ANN001
    session.expire_all()
    return session.scalar(
        sa.select(Question)
        .join(QuestionBank, QuestionBank.id == Question.bank_id)
        .where(QuestionBank.slug == bank, Question.slug == slug)
    )


def post_question(client, kind: str, data: dict, bank: str = "listen-quiz"):  # noqa: ANN001, ANN201
    return client.post(
        f"{BASE}/banks/{bank}/questions/new/{kind}",
        data={"weight": "1", "pool": "", "persona": "", "save": "Save", **data},
    )


def test_every_registered_question_type_has_a_form() -> None:
    """Test that each type of the registry can be written on the web."""
    assert set(QUESTION_FORMS) == set(QUESTION_TYPES)


def test_trainer_creates_a_bank_with_a_pool(client, session, trainer):
    """Test that a new bank is a web bank; a pool draws N of its questions."""
    response = client.post(
        f"{BASE}/banks/new",
        data={
            "slug": "tone-quiz",
            "title": "Tone check",
            "default_locale": "en",
            "shuffle_options": "y",
        },
    )
    assert response.status_code == 302
    bank = session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == "tone-quiz"))
    assert (bank.source, bank.shuffle_options, bank.shuffle_questions) == ("web", True, False)
    bad = client.post(f"{BASE}/banks/tone-quiz/pools", data={"slug": "Core", "draw_count": "0"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="slug-error"' in html and 'id="draw_count-error"' in html
    assert (
        client.post(
            f"{BASE}/banks/tone-quiz/pools", data={"slug": "core", "draw_count": "2"}
        ).status_code
        == 302
    )
    pool = session.scalar(sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id))
    assert (pool.slug, pool.draw_count) == ("core", 2)
    assert "2 of 0 questions" in page(client, "/banks/tone-quiz/")


def test_single_choice_question_is_saved_in_the_file_format(client, session, trainer, make_bank):
    """Test that a single-choice form becomes the same data a quiz file would hold, blank rows
    ignored and option ids given in order."""
    make_bank(questions=[])
    response = post_question(
        client,
        "single_choice",
        {
            "slug": "sc-1",
            "prompt": "Which reply shows **empathy**?",
            "options-0-text": "So nobody came and you took the morning off.",
            "options-0-correct": "y",
            "options-0-feedback": "Yes: it names the impact.",
            "options-1-text": "We apologise for any inconvenience.",
            "options-2-text": "",
            "options-3-text": "Calm down.",
            "explanation": "Empathy names the impact.",
        },
    )
    assert response.status_code == 302
    row = question(session, "sc-1")
    assert row.type == "single_choice"
    assert row.prompt == {"en": "Which reply shows **empathy**?"}
    assert row.explanation == {"en": "Empathy names the impact."}
    assert row.data == {
        "options": [
            {
                "id": "a",
                "text": {"en": "So nobody came and you took the morning off."},
                "correct": True,
                "feedback": {"en": "Yes: it names the impact."},
            },
            {"id": "b", "text": {"en": "We apologise for any inconvenience."}, "correct": False},
            {"id": "c", "text": {"en": "Calm down."}, "correct": False},
        ]
    }


def test_two_right_options_are_refused_next_to_the_options(client, session, trainer, make_bank):
    """Test that the registry's rule shows at the options and no question is written."""
    make_bank(questions=[])
    response = post_question(
        client,
        "single_choice",
        {
            "prompt": "Pick one",
            "options-0-text": "A",
            "options-0-correct": "y",
            "options-1-text": "B",
            "options-1-correct": "y",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="options-error"' in html
    assert "A single_choice question needs exactly one correct option, not 2." in html
    assert question_count(session) == 0


def test_scenario_errors_point_at_the_right_row_and_field(
    client, session, trainer, make_bank, make_persona
):
    """Test that a score above 1 in the third filled row (fourth form row) and a missing
    persona are reported on those fields; nothing is written."""
    make_persona("cara-caller")
    make_bank(questions=[])
    response = post_question(
        client,
        "scenario",
        {
            "prompt": "What do you say?",
            "situation": "Cara's broadband dropped during a video call.",
            "options-0-text": "Apologise and check the line now.",
            "options-0-score": "1",
            "options-0-feedback": "Good.",
            "options-1-text": "Ask her to restart.",
            "options-1-score": "0.5",
            "options-1-feedback": "OK.",
            "options-2-text": "",  # a blank row in the middle, as a browser sends it
            "options-2-score": "",
            "options-2-feedback": "",
            "options-3-text": "Read the script.",
            "options-3-score": "2",
            "options-3-feedback": "No.",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="options-3-score-error"' in html and "Enter 1.0 or less." in html
    assert 'id="persona-error"' in html and "This is required." in html
    assert question_count(session) == 0


def test_scenario_with_persona_options_and_follow_up_step(
    client, session, trainer, make_bank, make_persona
):
    """Test that a scenario keeps its persona, scored options with feedback and a step."""
    make_persona("cara-caller")
    make_bank(questions=[])
    response = post_question(
        client,
        "scenario",
        {
            "slug": "outage",
            "persona": "cara-caller",
            "prompt": "What do you say first?",
            "situation": "Cara's broadband dropped during a video call.",
            "options-0-text": "I can see the outage; let me check your line.",
            "options-0-score": "1",
            "options-0-feedback": "You named what happened.",
            "options-0-next": "offer",
            "options-1-text": "Have you tried turning it off and on?",
            "options-1-score": "0",
            "options-1-feedback": "She has, twice.",
            "steps-0-id": "offer",
            "steps-0-situation": "She asks for compensation.",
            "steps-0-options-0-text": "Explain the credit.",
            "steps-0-options-0-score": "1",
            "steps-0-options-0-feedback": "Clear.",
            "steps-0-options-1-text": "Say no.",
            "steps-0-options-1-score": "0",
            "steps-0-options-1-feedback": "Too blunt.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    row = question(session, "outage")
    assert row.persona_id is not None
    assert row.data["situation"] == {"en": "Cara's broadband dropped during a video call."}
    assert row.data["options"][0]["next"] == "offer"
    assert row.data["options"][1]["score"] == 0.0
    assert row.data["steps"][0]["id"] == "offer"
    assert [o["id"] for o in row.data["steps"][0]["options"]] == ["a", "b"]
    edit = page(client, "/banks/listen-quiz/questions/outage/")
    assert 'value="offer"' in edit and "Cara Caller" in edit


def test_unknown_follow_up_step_is_refused(client, session, trainer, make_bank, make_persona):
    """Test that an option leading to a step that does not exist is explained."""
    make_persona("cara-caller")
    make_bank(questions=[])
    response = post_question(
        client,
        "scenario",
        {
            "persona": "cara-caller",
            "prompt": "What now?",
            "situation": "Line down.",
            "options-0-text": "A",
            "options-0-score": "1",
            "options-0-feedback": "f",
            "options-0-next": "nowhere",
            "options-1-text": "B",
            "options-1-score": "0",
            "options-1-feedback": "f",
        },
    )
    assert response.status_code == 422
    assert "leads to the unknown step" in response.get_data(as_text=True)
    assert question_count(session) == 0


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "multiple_choice",
            {
                "options-0-text": "A",
                "options-0-correct": "y",
                "options-0-weight": "0.5",
                "options-1-text": "B",
                "options-1-weight": "-1",
            },
            {
                "options": [
                    {"id": "a", "text": {"en": "A"}, "correct": True, "weight": 0.5},
                    {"id": "b", "text": {"en": "B"}, "correct": False, "weight": -1.0},
                ]
            },
        ),
        (
            "true_false",
            {"answer": "false", "feedback_wrong": "It is false."},
            {"answer": False, "feedback_wrong": {"en": "It is false."}},
        ),
        (
            "ordering",
            {"items-0-text": "Listen", "items-1-text": "Summarise", "items-2-text": "Act"},
            {
                "items": [
                    {"id": "a", "text": {"en": "Listen"}},
                    {"id": "b", "text": {"en": "Summarise"}},
                    {"id": "c", "text": {"en": "Act"}},
                ]
            },
        ),
        (
            "matching",
            {
                "pairs-0-prompt": "FCR",
                "pairs-0-match": "First-contact resolution",
                "pairs-1-prompt": "CSAT",
                "pairs-1-match": "Customer satisfaction",
            },
            {
                "pairs": [
                    {
                        "id": "a",
                        "prompt": {"en": "FCR"},
                        "match": {"en": "First-contact resolution"},
                    },
                    {"id": "b", "prompt": {"en": "CSAT"}, "match": {"en": "Customer satisfaction"}},
                ]
            },
        ),
        (
            "short_answer",
            {
                "answers-0-text": "eight weeks",
                "answers-0-weight": "1",
                "answers-1-text": "8 weeks",
                "answers-1-feedback": "Yes.",
            },
            {
                "answers": [
                    {"text": "eight weeks", "weight": 1.0},
                    {"text": "8 weeks", "weight": 1.0, "feedback": {"en": "Yes."}},
                ]
            },
        ),
        (
            "numerical",
            {
                "answers-0-value": "25",
                "answers-0-tolerance": "0",
                "answers-1-min": "20",
                "answers-1-max": "30",
                "answers-1-weight": "0.5",
            },
            {
                "answers": [
                    {"value": 25.0, "tolerance": 0.0, "weight": 1.0},
                    {"min": 20.0, "max": 30.0, "weight": 0.5},
                ]
            },
        ),
    ],
)
def test_each_question_type_saves_its_data(
    client, session, trainer, make_bank, kind, data, expected
):
    """Test that every type's form produces the data the type registry defines."""
    make_bank(questions=[])
    response = post_question(client, kind, {"slug": "q", "prompt": "Question?", **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    row = question(session, "q")
    assert (row.type, row.data) == (kind, expected)
    html = page(client, "/banks/listen-quiz/questions/q/")
    assert "Question?" in html


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            "numerical",
            {"answers-0-min": "30", "answers-0-max": "20"},
            "answers-0-error",
            "Min 30.0 is above max 20.0.",
        ),
        ("numerical", {"answers-0-value": "abc"}, "answers-0-value-error", "Not a valid float"),
        ("true_false", {}, "answer-error", "Choose true or false."),
        ("ordering", {"items-0-text": "Only one"}, "items-error", "Give at least 2."),
        (
            "matching",
            {"pairs-0-prompt": "FCR", "pairs-1-prompt": "CSAT", "pairs-1-match": "x"},
            "pairs-0-match-error",
            "This is required.",
        ),
        (
            "short_answer",
            {"answers-0-text": "yes", "answers-0-weight": "3"},
            "answers-0-weight-error",
            "Enter 1.0 or less.",
        ),
    ],
)
def test_type_rules_are_shown_next_to_the_field(
    client, session, trainer, make_bank, kind, data, field, message
):
    """Test that problems found by the form or the type registry sit by the right field."""
    make_bank(questions=[])
    response = post_question(client, kind, {"prompt": "Question?", **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}"' in html, html
    assert message in html
    assert question_count(session) == 0


def test_add_more_rows_saves_nothing(client, session, trainer, make_bank):
    """Test that "Add more rows" gives two more empty rows and keeps what was typed."""
    make_bank(questions=[])
    response = client.post(
        f"{BASE}/banks/listen-quiz/questions/new/ordering",
        data={
            "prompt": "Order",
            "items-0-text": "First",
            "items-1-text": "",
            "add_rows": "Add more rows",
        },
    )
    html = response.get_data(as_text=True)
    assert 'name="items-3-text"' in html and 'value="First"' in html
    assert question_count(session) == 0


def test_translating_a_question_keeps_other_languages_and_option_ids(
    client, session, trainer, make_bank
):
    """Test that editing options in Polish merges by option id, keeping the English texts."""
    make_bank()
    edit = page(client, "/banks/listen-quiz/questions/q1/?locale=pl")
    assert 'name="options-0-key"' in edit and 'value="a"' in edit
    response = client.post(
        f"{BASE}/banks/listen-quiz/questions/q1/?locale=pl",
        data={
            "prompt": "Która jest dobra?",
            "weight": "1",
            "pool": "",
            "persona": "",
            "options-0-key": "a",
            "options-0-text": "Dobra",
            "options-0-correct": "y",
            "options-1-key": "b",
            "options-1-text": "Zła",
            "save": "Save",
        },
    )
    assert response.status_code == 302
    row = question(session, "q1")
    assert row.prompt == {"en": "Which is right?", "pl": "Która jest dobra?"}
    assert row.data["options"][0]["text"] == {"en": "Right", "pl": "Dobra"}
    assert row.data["options"][1]["text"] == {"en": "Wrong", "pl": "Zła"}


def test_questions_move_duplicate_and_delete(client, session, trainer, make_bank):
    """Test that questions move, duplicate (right after the original) and delete."""
    make_bank()
    client.post(f"{BASE}/banks/listen-quiz/questions/q2/move", data={"direction": "up"})
    session.expire_all()
    bank = session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == "listen-quiz"))
    assert [q.slug for q in bank.questions] == ["q2", "q1"]
    response = client.post(f"{BASE}/banks/listen-quiz/questions/q2/duplicate")
    assert response.headers["Location"].endswith("/questions/q2-copy/")
    session.expire_all()
    assert [q.slug for q in bank.questions] == ["q2", "q2-copy", "q1"]
    assert "Delete the question “q1”?" in page(client, "/banks/listen-quiz/questions/q1/delete")
    client.post(f"{BASE}/banks/listen-quiz/questions/q1/delete")
    session.expire_all()
    assert [q.slug for q in bank.questions] == ["q2", "q2-copy"]


def test_bank_in_use_cannot_be_deleted(client, session, trainer, make_bank, make_module):
    """Test that deleting a bank a module uses is refused with the module named."""
    bank = make_bank()
    make_module("listen", bank=bank)
    response = client.post(f"{BASE}/banks/listen-quiz/delete", follow_redirects=True)
    assert "These modules use this bank: Module listen." in response.get_data(as_text=True)
    assert question_count(session) == 2
    make_bank("spare")
    client.post(f"{BASE}/banks/spare/delete")
    session.expire_all()
    assert session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == "spare")) is None


def test_clone_bank_copies_pools_and_questions(client, session, trainer, make_bank):
    """Test that a cloned bank has the same pools and questions under a new slug."""
    make_bank()
    client.post(f"{BASE}/banks/listen-quiz/pools", data={"slug": "core", "draw_count": "1"})
    response = client.post(f"{BASE}/banks/listen-quiz/clone", data={"slug": "listen-quiz-2"})
    assert response.status_code == 302
    copy = session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == "listen-quiz-2"))
    assert [q.slug for q in copy.questions] == ["q1", "q2"]
    assert [p.slug for p in copy.pools] == ["core"]
    assert copy.source == "web"
