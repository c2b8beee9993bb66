"""GIFT import errors: every problem of a file, each with its line, and nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms_cx.content.gift import GiftError, parse_gift

FIXTURES = Path(__file__).parent / "fixtures"
# Each case starts with a good question, so the broken one is on line 3 or later.
GOOD = "::Fine::A good question.{T}\n\n"


def errors_of(text: str, bank_id: str = "bank") -> list[tuple[int, str]]:
    with pytest.raises(GiftError) as caught:
        parse_gift(text, filename="bank.gift", bank_id=bank_id)
    return caught.value.errors


def test_three_broken_questions_are_all_reported_at_their_lines() -> None:
    """Test that every broken question of three_broken.gift is named, at its line."""
    path = FIXTURES / "three_broken.gift"
    with pytest.raises(GiftError) as caught:
        parse_gift(path.read_text("utf-8"), filename=str(path), bank_id="three_broken")
    assert caught.value.errors == [
        (
            2,
            'multiple choice question "Refund limit" has no right answer '
            "(mark one with =, or give the right answers weights like ~%50%)",
        ),
        (
            6,
            'question "Describe the call" is an essay ({}): essay questions are not supported; '
            "remove the question or give it answers",
        ),
        (
            8,
            'answer 3 of multiple choice question "Fibre speed" has the weight %150%; '
            "use a number from -100 to 100, like %50%",
        ),
    ]
    assert str(caught.value).splitlines()[0] == (
        f'{path}:2: multiple choice question "Refund limit" has no right answer '
        "(mark one with =, or give the right answers weights like ~%50%)"
    )


REFUSED = {
    "description": (
        "Just some text without answers.",
        [
            (
                3,
                'question "Just some text without answers." has no {answers}: description '
                "items are not supported; remove the text, comment it out with //, "
                "or give it answers",
            )
        ],
    ),
    "essay": (
        "::Essay::Tell us about it.{\n}",
        [
            (
                3,
                'question "Essay" is an essay ({}): essay questions are not supported; '
                "remove the question or give it answers",
            )
        ],
    ),
    "title not closed": (
        "::Half title\nText{T}",
        [(3, "the question title is not closed; end it with ::")],
    ),
    "brace not closed": (
        "::Open::Pick one{\n=a\n~b",
        [
            (
                3,
                'question "Open": this { is never closed with } '
                "(a blank line ends a question, so keep its answers together)",
            )
        ],
    ),
    "blank line inside answers": (
        "::Split::Pick one{\n=a\n\n~b\n}",
        [
            (
                3,
                'question "Split": this { is never closed with } '
                "(a blank line ends a question, so keep its answers together)",
            ),
            (7, r'question "~b }" has a } with no { before it; write a literal } as \}'),
        ],
    ),
    "brace inside answers": (
        "::Nested::Pick{=a {b} ~c}",
        [(3, r'question "Nested" has a { inside its answers; write a literal { as \{')],
    ),
    "brace before answers": (
        "::Early::Pick } one{=a ~c}",
        [(3, r'question "Early" has a } before its answers; write a literal } as \}')],
    ),
    "brace after answers": (
        "::Late::Pick{=a ~c}\nthen }",
        [(4, r'question "Late" has a } after its answers; write a literal } as \}')],
    ),
    "two questions without a blank line": (
        "::One::First{T}\n::Two::Second{F}",
        [
            (
                4,
                'question "One" has a second {answers}: put a blank line between questions '
                r"(and write a literal { as \{)",
            )
        ],
    ),
    "no text": (
        "::Bare::{T}",
        [(3, 'question "Bare" has no text before its answers')],
    ),
    "text before answers": (
        "::Stray::Pick{\nmaybe\n=a\n~b\n}",
        [
            (
                4,
                'question "Stray": "maybe" is not an answer; start each answer with = (right) '
                "or ~ (wrong)",
            )
        ],
    ),
    "empty answer": (
        "::Empty::Pick{=a ~ ~c}",
        [(3, 'answer 2 of multiple choice question "Empty" is empty')],
    ),
    "two right answers": (
        "::Two right::Pick{=a =b ~c}",
        [
            (
                3,
                'multiple choice question "Two right" has 2 right answers (= or %100%); learners '
                "pick one, so keep one =, or for choose-all-that-apply write no = and weight "
                "the answers, like ~%50%a ~%50%b ~%-100%c",
            )
        ],
    ),
    "weighted right answer": (
        "::Half right::Pick{=%50%a ~b}",
        [
            (
                3,
                'answer 1 of multiple choice question "Half right" is marked = (the right answer, '
                "full marks) but weighted 50%; give partial credit to a ~ answer instead, "
                "like ~%50%",
            )
        ],
    ),
    "weights not adding up": (
        "::Sum::Pick all{\n~%50%a\n~%30%b\n~%-100%c\n}",
        [
            (
                3,
                'the weights of the right answers of multiple choice question "Sum" add up '
                "to 80%; make them add up to 100%",
            )
        ],
    ),
    "weight not a number": (
        "::Odd::Pick{\n=a\n~%half%b\n}",
        [
            (
                5,
                'answer 2 of multiple choice question "Odd" has the weight %half%; '
                "use a number from -100 to 100, like %50%",
            )
        ],
    ),
    "one answer": (
        "::Lonely::Pick{~%100%a}",
        [(3, 'multiple choice question "Lonely" needs two answers')],
    ),
    "arrow in multiple choice": (
        "::Mixed::Pick{=a -> b ~c}",
        [
            (
                3,
                'answer 1 of multiple choice question "Mixed" contains "->", which only '
                "matching questions use (and they have no ~ answers)",
            )
        ],
    ),
    "three true/false feedbacks": (
        "::TF::Say{T#wrong#right#more}",
        [
            (
                3,
                'true/false question "TF" has more than two feedbacks (#wrong#right); '
                r"write a # inside feedback as \#",
            )
        ],
    ),
    "short answer without full marks": (
        "::Partly::Name it{=%50%Hub =%25%Router}",
        [
            (
                3,
                'short answer question "Partly" has no answer worth full marks; '
                "write one as =answer or =%100%answer",
            )
        ],
    ),
    "short answer with an empty answer": (
        "::Blank::Name it{=Hub =}",
        [(3, 'answer 2 of short answer question "Blank" is empty')],
    ),
    "matching with one pair": (
        "::Pair::Match{=a -> b}",
        [(3, 'matching question "Pair" needs at least two pairs')],
    ),
    "matching without arrow": (
        "::Arrow::Match{\n=a -> b\n=c d\n}",
        [(5, 'pair 2 of matching question "Arrow" has no "->"; write it as =prompt -> match')],
    ),
    "matching with an extra wrong match": (
        "::Extra::Match{\n=a -> b\n=c -> d\n= -> e\n}",
        [
            (
                6,
                'pair 3 of matching question "Extra" has nothing before ->; extra wrong '
                "matches are not supported",
            )
        ],
    ),
    "matching with feedback": (
        "::Fb::Match{\n=a -> b#nice\n=c -> d\n}",
        [
            (
                4,
                'pair 1 of matching question "Fb": matching pairs take no %weight% or '
                "#feedback (use ####)",
            )
        ],
    ),
    "numerical not a number": (
        "::Num::How many?{#eight}",
        [(3, "answer 1 of numerical question \"Num\" is 'eight', which is not a number")],
    ),
    "numerical negative tolerance": (
        "::Tol::How many?{#8:-1}",
        [
            (
                3,
                "answer 1 of numerical question \"Tol\" is '8:-1'; write it as "
                "number:tolerance, like 3.14:0.01",
            )
        ],
    ),
    "numerical range backwards": (
        "::Range::How many?{#\n=5..1\n}",
        [
            (
                4,
                "answer 1 of numerical question \"Range\" is the range '5..1'; write it as "
                "min..max, like 1..5",
            )
        ],
    ),
    "numerical without an answer": (
        "::None::How many?{#}",
        [(3, 'numerical question "None" has no answer after #')],
    ),
    "numerical without full marks": (
        "::Half::How many?{#=%50%8}",
        [
            (
                3,
                'numerical question "Half" has no answer worth full marks; '
                "write one as =number or =%100%number",
            )
        ],
    ),
    "numerical with a number after ~": (
        "::Other::How many?{#=8 ~7#close}",
        [(3, 'numerical question "Other": ~ takes only #feedback, no number')],
    ),
    "empty category": (
        "$CATEGORY:\n\nQ{T}",
        [(3, "$CATEGORY: names no category; write $CATEGORY: path/name")],
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_each_refusal_names_the_question_and_line(case: str) -> None:
    """Test the message and line of each kind of broken or unsupported question."""
    text, expected = REFUSED[case]
    assert errors_of(GOOD + text) == expected


def test_a_file_without_questions_is_an_error() -> None:
    """Test that an empty or comments-only file is refused rather than imported empty."""
    message = "the file has no questions (a question is text followed by {answers})"
    assert errors_of("") == [(1, message)]
    assert errors_of("// only a comment\n\n// and another\n") == [(1, message)]


def test_a_file_name_that_is_no_bank_id_is_an_error() -> None:
    """Test that a bank id from a file name like 'Customer Service.gift' is refused."""
    assert errors_of("Q{T}", bank_id="Customer Service") == [
        (
            1,
            "the file name gives the question bank id 'Customer Service'; rename the file "
            "to lowercase letters, digits, - and _ (like customer-service.gift)",
        )
    ]


def test_every_problem_of_a_file_is_reported_in_line_order() -> None:
    """Test that problems in several questions are all listed, sorted by line."""
    text = "::A::One{=a =b ~c}\n\n::B::Two{#x}\n\n::C::Three{T}\n\n::D::Four{}\n"
    assert [line for line, _ in errors_of(text)] == [1, 3, 7]
