"""GIFT import: every supported question type, titles, categories, escapes, formats, languages."""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import Any

import pytest

from lms_cx.content import gift
from lms_cx.content.formats import BankFile
from lms_cx.content.gift import bank_id_and_locale, parse_gift
from lms_cx.content.question_types import QUESTION_TYPES

FIXTURES = Path(__file__).parent / "fixtures"


def parse(text: str, locale: str = "en") -> dict[str, Any]:
    return parse_gift(text, filename="test.gift", bank_id="test", locale=locale)


def only_question(text: str, locale: str = "en") -> dict[str, Any]:
    (question,) = parse(text, locale)["questions"]
    return {key: value for key, value in question.items() if key not in ("id", "line", "pool")}


@pytest.fixture(scope="module")
def customer_service() -> dict[str, dict[str, Any]]:
    """The questions of customer_service.gift by id."""
    path = FIXTURES / "customer_service.gift"
    bank = parse_gift(path.read_text("utf-8"), filename=str(path), bank_id="customer_service")
    return {question["id"]: question for question in bank["questions"]}


def test_the_fixture_holds_every_type_with_titles_as_ids_and_start_lines(customer_service) -> None:
    """Test that titles become ids and each question remembers the line it starts on."""
    assert {q["id"]: (q["line"], q["type"]) for q in customer_service.values()} == {
        "goodwill-credit-limit": (6, "single_choice"),
        "agent-decisions": (14, "multiple_choice"),
        "restart-first": (21, "true_false"),
        "ombudsman": (24, "numerical"),
        "csat-score": (26, "numerical"),
        "install-slot": (31, "numerical"),
        "router-name": (35, "short_answer"),
        "match-the-team": (41, "matching"),
        "q9": (47, "single_choice"),  # no title: numbered by its place in the file
        "cooling-off": (49, "numerical"),
        "hand-over": (53, "single_choice"),
        "hold-check": (58, "numerical"),
    }


def test_imported_questions_validate_against_their_question_types(customer_service) -> None:
    """Test that the bank and every question pass the same models as YAML banks."""
    path = FIXTURES / "customer_service.gift"
    bank = parse_gift(path.read_text("utf-8"), filename=str(path), bank_id="customer_service")
    BankFile.model_validate(bank)
    for question in customer_service.values():
        fields = {key: value for key, value in question.items() if key != "line"}
        QUESTION_TYPES[question["type"]].model_validate(fields)


def test_single_choice_with_answer_feedback_general_feedback_and_markdown(
    customer_service,
) -> None:
    """Test =right ~wrong answers, #feedback per answer, ####general feedback and [markdown]."""
    question = customer_service["goodwill-credit-limit"]
    assert question["format"] == "markdown"
    assert question["prompt"] == {
        "en": "What is the **most** goodwill credit an agent may grant\n"
        "alone, per customer per 12 months?"
    }
    assert question["options"] == [
        {
            "id": "a",
            "text": {"en": "€25"},
            "correct": True,
            "feedback": {"en": "Right: up to €25 alone, logged with a reason."},
        },
        {
            "id": "b",
            "text": {"en": "€100"},
            "correct": False,
            "feedback": {"en": "That is the team lead's limit."},
        },
        {
            "id": "c",
            "text": {"en": "€250"},
            "correct": False,
            "feedback": {"en": "Above €100 the Complaints Resolution team decides."},
        },
    ]
    assert question["explanation"] == {
        "en": "Agents decide up to €25, team leads up to €100, above that Complaints Resolution."
    }


def test_multiple_answers_with_weights_become_weighted_multiple_choice(customer_service) -> None:
    """Test that ~%50% answers without any = make a choose-all question with those weights."""
    options = customer_service["agent-decisions"]["options"]
    assert [(o["correct"], o["weight"]) for o in options] == [(True, 0.5), (True, 0.5), (False, -1)]
    assert options[0]["feedback"] == {"en": "Yes, once a year."}
    assert "feedback" not in options[1]


def test_a_weighted_wrong_answer_in_single_choice_is_partial_credit() -> None:
    """Test that with an = answer learners pick one, and ~%50% gives half the points."""
    question = only_question("Q{=Right ~%50%Nearly ~%-25%Costly ~Wrong}")
    assert question["type"] == "single_choice"
    assert [(o["correct"], o.get("weight")) for o in question["options"]] == [
        (True, None),
        (False, 0.5),
        (False, -0.25),
        (False, None),
    ]


def test_true_false_takes_wrong_then_right_feedback(customer_service) -> None:
    """Test {TRUE#wrong#right####general}: Moodle's order is feedback for wrong, then right."""
    question = customer_service["restart-first"]
    assert question["answer"] is True
    assert question["feedback_wrong"] == {
        "en": "A restart clears many faults; try it before booking an engineer."
    }
    assert question["feedback_right"] == {"en": "Yes: quick and often enough."}
    assert question["explanation"] == {"en": "Check the outage status page before anything else."}
    for answer, expected in (("T", True), ("F", False), ("FALSE", False), ("true", True)):
        assert only_question(f"Q{{{answer}}}") == {
            "type": "true_false",
            "prompt": {"en": "Q"},
            "answer": expected,
        }


def test_numerical_exact_tolerance_partial_credit_range_and_other_answers(
    customer_service,
) -> None:
    """Test {#8}, {#=84:0.5 =%50%0.84:0.005}, {#2..4} and ~#feedback for any other number."""
    assert customer_service["ombudsman"]["answers"] == [{"value": 8, "tolerance": 0, "weight": 1}]
    assert customer_service["csat-score"]["answers"] == [
        {
            "value": 84,
            "tolerance": 0.5,
            "weight": 1,
            "feedback": {"en": "Right: 42 / 50 = 84%."},
        },
        {
            "value": 0.84,
            "tolerance": 0.005,
            "weight": 0.5,
            "feedback": {"en": "That is the ratio; give it in percent."},
        },
    ]
    assert customer_service["install-slot"]["answers"] == [{"min": 2, "max": 4, "weight": 1}]
    hold = customer_service["hold-check"]
    assert hold["answers"] == [
        {
            "value": 2,
            "tolerance": 1,
            "weight": 1,
            "feedback": {"en": "Yes: about every two minutes."},
        }
    ]
    assert hold["feedback_wrong"] == {
        "en": "Check back about every two minutes, so the caller knows you are still there."
    }
    assert only_question("Q{#-1.5e1:0.25}")["answers"] == [
        {"value": -15, "tolerance": 0.25, "weight": 1}
    ]


def test_short_answer_keeps_every_accepted_answer_with_its_weight(customer_service) -> None:
    """Test that =answers become accepted answers, =%50% a half-right one."""
    assert customer_service["router-name"]["answers"] == [
        {"text": "Brightwave Hub 6", "weight": 1},
        {"text": "Hub 6", "weight": 1, "feedback": {"en": "We accept the short name."}},
        {"text": "Hub", "weight": 0.5, "feedback": {"en": "Nearly: which model?"}},
    ]


def test_matching_pairs_keep_their_order(customer_service) -> None:
    """Test that =prompt -> match lines become pairs a, b, c."""
    assert customer_service["match-the-team"]["pairs"] == [
        {
            "id": "a",
            "prompt": {"en": "Wrong amount on an invoice"},
            "match": {"en": "Billing Operations"},
        },
        {
            "id": "b",
            "prompt": {"en": "Rebook an engineer visit"},
            "match": {"en": "Field Service Scheduling"},
        },
        {"id": "c", "prompt": {"en": "Customer wants to leave"}, "match": {"en": "Retention"}},
    ]


def test_answers_in_mid_sentence_leave_a_blank(customer_service) -> None:
    """Test the missing-word form: text after the answers stays, the answers become _____."""
    assert customer_service["q9"]["prompt"] == {
        "en": "Support is open from 8:00 until _____ every day."
    }
    assert [o["text"]["en"] for o in customer_service["q9"]["options"]] == [
        "22:00",
        "20:00",
        "midnight",
    ]
    assert customer_service["cooling-off"]["prompt"] == {
        "en": "New contracts have a cooling-off period of _____ days."
    }


def test_html_format_is_kept_for_the_renderer(customer_service) -> None:
    """Test that [html] marks the question's format; [plain] and [moodle] mean plain text."""
    question = customer_service["hand-over"]
    assert question["format"] == "html"
    assert question["prompt"] == {"en": "Which sentence <em>hands over</em> a call well?"}
    for marker in ("[plain]", "[moodle]"):
        assert "format" not in only_question(f"::T::{marker}Plain *text*{{T}}")


def test_categories_become_pools_named_by_their_last_part() -> None:
    """Test that $CATEGORY lines put the questions after them in pools; // is a literal /."""
    text = (
        "Before{T}\n\n"
        "$CATEGORY: $course$/top/Billing\n\n"
        "One{T}\n\n"
        "$CATEGORY: $course$/top/Phone // chat\n"
        "Two{T}\n\n"
        "$CATEGORY: Other/Billing\n"
        "Three{T}\n"
    )
    bank = parse(text)
    assert bank["pools"] == [{"id": "billing", "draw": None}, {"id": "phone-chat", "draw": None}]
    assert [q["pool"] for q in bank["questions"]] == [None, "billing", "phone-chat", "billing"]


def test_titles_become_unique_ids_and_untitled_questions_are_numbered() -> None:
    """Test ids: a title's slug (Polish letters folded), -2 for a repeat, q<n> without title."""
    bank = parse("::Łącze Fibre!::A{T}\n\n::łącze fibre::B{T}\n\nC{T}\n\n::q3::D{T}\n")
    assert [q["id"] for q in bank["questions"]] == ["lacze-fibre", "lacze-fibre-2", "q3", "q3-2"]


def test_escapes_give_the_literal_characters() -> None:
    r"""Test that \~ \= \# \{ \} \: \\ and \n stand for ~ = # { } : \ and a line break."""
    question = only_question(
        r"::Sym\:bols::Which is 1\=1 \{true\}?{=a\~b\#c ~back\\slash#line\nbreak ~x\:y}"
    )
    assert question["prompt"] == {"en": "Which is 1=1 {true}?"}
    assert [o["text"]["en"] for o in question["options"]] == ["a~b#c", "back\\slash", "x:y"]
    assert question["options"][1]["feedback"] == {"en": "line\nbreak"}
    assert parse(r"::Sym\:bols::Q{T}")["questions"][0]["id"] == "sym-bols"


def test_comments_blank_lines_bom_and_windows_line_ends_are_ignored() -> None:
    """Test that // comment lines, a byte order mark and CRLF do not change the questions."""
    text = "\ufeff// a comment\r\n\r\n::A::One{T}\r\n// between\r\n\r\n\r\n::B::Two\r\n{F}\r\n"
    bank = parse(text)
    assert [(q["id"], q["line"], q["prompt"]) for q in bank["questions"]] == [
        ("a", 3, {"en": "One"}),
        ("b", 7, {"en": "Two"}),
    ]


def test_persian_text_imports_in_its_locale_with_stable_ids() -> None:
    """Test that Persian titles, texts and categories survive, with hash ids for Persian titles."""
    path = FIXTURES / "persian.gift"
    bank = parse_gift(path.read_text("utf-8"), filename=str(path), bank_id="persian", locale="fa")
    assert bank["default_locale"] == "fa" and bank["title"] == {"fa": "Persian"}
    first, second = bank["questions"]
    assert first["id"] == gift.id_for("رضایت مشتری", "q") and first["id"].startswith("q-")
    assert first["pool"] == second["pool"] == gift.id_for("رضایت مشتری", "pool")
    assert first["prompt"] == {"fa": "آیا ریستارت کردن مودم اولین قدم مناسب است؟"}
    assert first["feedback_wrong"] == {"fa": "اول صفحهٔ وضعیت قطعی را ببینید."}
    assert second["pairs"][1]["match"] == {"fa": "زمان‌بندی خدمات میدانی"}  # keeps the ZWNJ


def test_polish_text_imports_in_its_locale() -> None:
    """Test Polish letters in titles (folded in ids), texts, feedback and categories."""
    path = FIXTURES / "polish.gift"
    bank = parse_gift(path.read_text("utf-8"), filename=str(path), bank_id="polish", locale="pl")
    assert bank["pools"] == [{"id": "zwroty-srodkow", "draw": None}]
    first, second = bank["questions"]
    assert (first["id"], second["id"]) == ("zwrot-srodkow", "lacze-swiatlowodowe")
    assert first["options"][0]["feedback"] == {
        "pl": "Tak — do 25 € na klienta w ciągu 12 miesięcy."
    }
    assert first["explanation"] == {"pl": "Powyżej 100 € decyduje zespół ds. reklamacji."}
    assert second["prompt"] == {"pl": "Jak nazywa się router dołączony do łącza?"}


def test_the_file_name_gives_bank_id_and_locale() -> None:
    """Test that returns.pl.gift is bank 'returns' in Polish; a plain name is English."""
    assert bank_id_and_locale("quizzes/returns.pl.gift") == ("returns", "pl")
    assert bank_id_and_locale("quizzes/returns.pt_BR.gift") == ("returns", "pt_BR")
    assert bank_id_and_locale("returns.gift") == ("returns", "en")
    assert bank_id_and_locale("v1.2.gift") == ("v1.2", "en")


def test_bank_settings_are_those_of_an_imported_bank() -> None:
    """Test the bank: title from its id, options shuffled, questions in file order, source."""
    bank = parse_gift("Q{T}", filename="x/goodwill_credits.gift", bank_id="goodwill_credits")
    assert {key: value for key, value in bank.items() if key != "questions"} == {
        "id": "goodwill_credits",
        "default_locale": "en",
        "title": {"en": "Goodwill credits"},
        "shuffle_questions": False,
        "shuffle_options": True,
        "pools": [],
        "source": "gift",
    }


def test_the_docstring_examples_hold() -> None:
    """Test the examples in gift.py's docstrings."""
    failures, tried = doctest.testmod(gift)
    assert failures == 0 and tried >= 4
