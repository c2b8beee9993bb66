"""Properties of the GIFT import, checked on generated files (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lms_cx.content.formats import BankFile
from lms_cx.content.gift import GiftError, parse_gift
from lms_cx.content.question_types import QUESTION_TYPES

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Texts mix letters (Polish, Persian), digits, spaces, punctuation and GIFT's special characters.
# Left out: line breaks (a blank line ends a question), ">" (for "->"), "[" (a [format] marker)
# and a leading "%" (a weight), which GIFT cannot escape.
CHARACTERS = st.sampled_from(list("abcXYZ019 .,!?'\"()ółźفارسی€%-~=#{}:\\/"))
TEXT = (
    st.lists(CHARACTERS, min_size=1, max_size=12)
    .map(lambda chars: "".join(chars).strip())
    .filter(lambda text: bool(text) and not text.startswith("%"))
)
FEEDBACK = st.none() | TEXT


def escape(text: str) -> str:
    """Return ``text`` written for GIFT: its special characters escaped."""
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text


def feedback(text: str | None) -> str:
    return "" if text is None else "#" + escape(text)


def feedback_field(key: str, text: str | None) -> dict[str, Any]:
    return {} if text is None else {key: {"en": text}}


@st.composite
def single_choice(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    texts = draw(st.lists(TEXT, min_size=2, max_size=6))
    right = draw(st.integers(0, len(texts) - 1))
    feedbacks = draw(st.lists(FEEDBACK, min_size=len(texts), max_size=len(texts)))
    answers = " ".join(
        ("=" if index == right else "~") + escape(text) + feedback(note)
        for index, (text, note) in enumerate(zip(texts, feedbacks, strict=True))
    )
    options = [
        {"id": chr(97 + index), "text": {"en": text}, "correct": index == right}
        | feedback_field("feedback", note)
        for index, (text, note) in enumerate(zip(texts, feedbacks, strict=True))
    ]
    return answers, {"type": "single_choice", "options": options}


@st.composite
def multiple_choice(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    texts = draw(st.lists(TEXT, min_size=2, max_size=6))
    right = draw(st.sets(st.integers(0, len(texts) - 1), min_size=1))
    penalty = draw(st.sampled_from([0, -50, -100]))
    share = float(f"{100 / len(right):g}")  # as written: 33.3333 for a third
    weights = [share if index in right else penalty for index in range(len(texts))]
    answers = "\n".join(
        f"~%{weight:g}%{escape(text)}" for text, weight in zip(texts, weights, strict=True)
    )
    options = [
        {"id": chr(97 + index), "text": {"en": text}, "correct": weight > 0, "weight": weight / 100}
        for index, (text, weight) in enumerate(zip(texts, weights, strict=True))
    ]
    return answers, {"type": "multiple_choice", "options": options}


@st.composite
def true_false(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    answer = draw(st.booleans())
    word = draw(st.sampled_from(["T", "TRUE"] if answer else ["F", "FALSE"]))
    wrong, right = draw(FEEDBACK), draw(FEEDBACK)
    written = word + (feedback(wrong) or ("#" if right is not None else "")) + feedback(right)
    fields = {"type": "true_false", "answer": answer}
    return written, fields | feedback_field("feedback_wrong", wrong) | feedback_field(
        "feedback_right", right
    )


@st.composite
def short_answer(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    texts = draw(st.lists(TEXT, min_size=1, max_size=4))
    weights = [100] + draw(st.lists(st.sampled_from([100, 50, 10, 0, -50]), min_size=3))
    answers = " ".join(
        f"=%{weight}%{escape(text)}" for text, weight in zip(texts, weights, strict=False)
    )
    expected = [
        {"text": text, "weight": weight / 100} for text, weight in zip(texts, weights, strict=False)
    ]
    return answers, {"type": "short_answer", "answers": expected}


@st.composite
def matching(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    pairs = draw(st.lists(st.tuples(TEXT, TEXT), min_size=2, max_size=5))
    answers = "\n".join(f"={escape(left)} -> {escape(right)}" for left, right in pairs)
    expected = [
        {"id": chr(97 + index), "prompt": {"en": left}, "match": {"en": right}}
        for index, (left, right) in enumerate(pairs)
    ]
    return answers, {"type": "matching", "pairs": expected}


NUMBERS = st.floats(-1e6, 1e6, allow_nan=False).map(lambda number: round(number, 3))


@st.composite
def numerical(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    if draw(st.booleans()):
        low, high = sorted(draw(st.tuples(NUMBERS, NUMBERS)))
        return f"#{low!r}..{high!r}", {
            "type": "numerical",
            "answers": [{"min": low, "max": high, "weight": 1.0}],
        }
    value, tolerance = draw(NUMBERS), abs(draw(NUMBERS))
    return f"#{value!r}:{tolerance!r}", {
        "type": "numerical",
        "answers": [{"value": value, "tolerance": tolerance, "weight": 1.0}],
    }


QUESTIONS = st.one_of(
    single_choice(), multiple_choice(), true_false(), short_answer(), matching(), numerical()
)


def validate(bank: dict[str, Any]) -> None:
    """Check a parsed bank against the models every bank must pass."""
    BankFile.model_validate(bank)
    for question in bank["questions"]:
        fields = {key: value for key, value in question.items() if key != "line"}
        QUESTION_TYPES[question["type"]].model_validate(fields)


@SETTINGS
@given(
    question=QUESTIONS,
    title=TEXT,
    prompt=TEXT,
    general=FEEDBACK,
    skipped=st.lists(st.sampled_from(["", "// comment", "   "]), max_size=3),
)
def test_well_formed_questions_round_trip(
    question: tuple[str, dict[str, Any]],
    title: str,
    prompt: str,
    general: str | None,
    skipped: list[str],
) -> None:
    """Test that a generated question of any type reads back exactly as written."""
    answers, expected = question
    explanation = "" if general is None else "####" + escape(general)
    text = "\n".join([*skipped, f"::{escape(title)}::{escape(prompt)}{{{answers}{explanation}}}"])
    bank = parse_gift(text, filename="generated.gift", bank_id="generated")
    validate(bank)
    (read,) = bank["questions"]
    assert read["line"] == len(skipped) + 1
    assert {key: value for key, value in read.items() if key not in ("id", "line", "pool")} == (
        expected | {"prompt": {"en": prompt}} | feedback_field("explanation", general)
    )


GIFTISH = st.sampled_from(
    [*"{}=~#%:->.\\ \n\tTFab01$/[]", "::", "$CATEGORY:", "//", "####", "[html]", "TRUE", ".."]
)


@SETTINGS
@given(st.text() | st.lists(GIFTISH, max_size=60).map("".join))
@example("Q{#5 ~#any other number}")
@example("::T1::Q1{=a ~b}\n::T2::Q2{=a ~b}")
def test_any_text_imports_valid_questions_or_raises_gift_error(text: str) -> None:
    """Test that any text imports as a valid bank or raises GiftError, never anything else."""
    try:
        bank = parse_gift(text, filename="any.gift", bank_id="any")
    except GiftError as error:
        lines = text.removeprefix("\ufeff").count("\n") + text.count("\r") + 1
        assert error.errors and all(1 <= line <= lines for line, _ in error.errors)
        return
    validate(bank)


@pytest.mark.parametrize("separator", ["\n\n", "\n\n// between\n\n", "\r\n\r\n"])
def test_questions_in_sequence_keep_their_order_and_lines(separator: str) -> None:
    """Test that questions separated by blank lines (and comments) each keep their own line."""
    text = separator.join(f"::Q{index}::Question {index}{{T}}" for index in range(5))
    bank = parse_gift(text, filename="seq.gift", bank_id="seq")
    step = separator.count("\n")
    assert [(q["id"], q["line"]) for q in bank["questions"]] == [
        (f"q{index}", 1 + index * step) for index in range(5)
    ]
