"""A quiz answered with the keyboard alone: Tab, arrows, Space, typing and Enter, no mouse.

The quiz holds one question of each kind of control the quiz page uses (radio buttons, check
boxes, a select list, a text box), with immediate feedback, so the "Next question" links and
the final "Submit attempt" button are reached by keyboard too. Every answer is right, so the
attempt must pass with 100 %; a control a keyboard cannot reach or operate fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from lms_cx.db import get_session, utcnow
from lms_cx.models import Assignment
from tests import factories
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import LOGIN_PATH, at_path, dispose, e2e_app, serving

EMAIL = "keys@example.com"


def _options(*texts: str, right: tuple[int, ...]) -> list[dict]:
    return [
        {"id": chr(97 + index), "text": {"en": text}, "correct": index in right}
        for index, text in enumerate(texts)
    ]


QUESTIONS = [
    {
        "slug": "greeting",
        "type": "single_choice",
        "prompt": {"en": "Which greeting is best?"},
        "data": {"options": _options("Yo.", "Hello, how can I help?", "What?", right=(1,))},
    },
    {
        "slug": "listening",
        "type": "multiple_choice",
        "prompt": {"en": "Which are signs of active listening?"},
        "data": {"options": _options("Summarising", "Interrupting", "Asking", right=(0, 2))},
    },
    {
        "slug": "empathy",
        "type": "true_false",
        "prompt": {"en": "Empathy means naming the customer's situation."},
        "data": {"answer": True},
    },
    {
        "slug": "channels",
        "type": "matching",
        "prompt": {"en": "Match each channel with its pace."},
        "data": {
            "pairs": [
                {"id": "phone", "prompt": {"en": "Phone"}, "match": {"en": "Right now"}},
                {"id": "mail", "prompt": {"en": "E-mail"}, "match": {"en": "Within a day"}},
            ]
        },
    },
    {
        "slug": "refund",
        "type": "short_answer",
        "prompt": {"en": "What do we give back when a charge was wrong?"},
        "data": {"answers": [{"text": "refund", "weight": 1.0}]},
    },
]


@pytest.fixture(scope="module")
def keyboard_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return the app with a five-question quiz assigned to one learner (CSRF on)."""
    app = e2e_app(tmp_path_factory, "e2e-keyboard")
    with app.app_context():
        session = get_session()
        learner = factories.employee(session, email=EMAIL, display_name="Kay Board", locale="en")
        module = factories.learning_module(session, "keys", lessons=1, questions=QUESTIONS)
        course = factories.learning_course(session, "keys-course", [module])
        factories.assignment(session, learner, course=course, due_at=utcnow() + timedelta(7))
        session.commit()
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def live_server(keyboard_app: Flask) -> Iterator[str]:
    """Serve ``keyboard_app`` over real HTTP (overrides the suite's shared live server here)."""
    with serving(keyboard_app, "e2e-keyboard") as url:
        yield url


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus; fail if it never gets it."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def choose_radio(page: Page, radios: Locator, index: int) -> None:
    """Tab into a radio group (it lands on the first) and move to ``index`` with the arrows."""
    tab_to(page, radios.first)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")  # moves the focus and checks the radio it lands on
    expect(radios.nth(index)).to_be_checked()


def answer_by_keyboard(page: Page, question: dict) -> None:
    """Answer the question on the page rightly, with keys only, and send the answer."""
    form = page.locator("form.answer-form")
    kind, data = question["type"], question["data"]
    if kind == "single_choice":
        right = next(i for i, o in enumerate(data["options"]) if o["correct"])
        choose_radio(page, form.locator("input[name=answer]"), right)
    elif kind == "true_false":
        choose_radio(page, form.locator("input[name=answer]"), 0 if data["answer"] else 1)
    elif kind == "multiple_choice":
        for option in data["options"]:
            if option["correct"]:
                box = form.locator(f"input[name=answer][value='{option['id']}']")
                tab_to(page, box)
                page.keyboard.press("Space")
                expect(box).to_be_checked()
    elif kind == "matching":
        for pair in data["pairs"]:
            select = form.locator(f"select[name='match-{pair['id']}']")
            labels = select.locator("option").all_inner_texts()
            tab_to(page, select)
            for _ in range(labels.index(pair["match"]["en"])):
                page.keyboard.press("ArrowDown")  # a closed select steps through its options
            expect(select.locator("option:checked")).to_have_text(pair["match"]["en"])
    elif kind == "short_answer":
        tab_to(page, form.locator("input[name=answer]"))
        page.keyboard.type(data["answers"][0]["text"])
    tab_to(page, form.locator("button[type=submit]"))
    press_and_wait(page, "Enter")


@pytest.fixture(scope="module")
def quiz_path(keyboard_app: Flask) -> str:
    """Return the address of the quiz page of the learner's assignment."""
    with keyboard_app.app_context():
        assignment_id = get_session().scalar(sa.select(Assignment.id))
    return f"/cx/learn/{assignment_id}/keys/quiz"


def test_a_learner_answers_a_quiz_with_the_keyboard_alone(page: Page, quiz_path: str) -> None:
    """Test signing in, opening the quiz, answering five kinds of question, following the
    feedback links and submitting, all by keyboard; the attempt passes with 100 %."""
    page.goto(LOGIN_PATH)
    tab_to(page, page.get_by_label("Email", exact=True))
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    press_and_wait(page, "Enter")

    expect(page).to_have_url(at_path("/cx/learn/"))
    page.goto(quiz_path)
    tab_to(page, page.locator("main form button[type=submit]").first)  # start the attempt
    press_and_wait(page, "Enter")

    by_prompt = {q["prompt"]["en"]: q for q in QUESTIONS}
    for _ in range(len(QUESTIONS)):
        prompt = page.locator(".prompt").inner_text().strip()
        answer_by_keyboard(page, by_prompt[prompt])
        expect(page.locator(".feedback")).to_be_visible()
        next_link = page.locator("p.pager a.button")
        tab_to(page, next_link)
        press_and_wait(page, "Enter")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Submit attempt"))
    press_and_wait(page, "Enter")

    expect(page).to_have_url(re.compile(r"/cx/learn/attempts/[0-9a-f-]+/result$"))
    expect(page.locator(".result-verdict")).to_have_text("You passed.")
    expect(page.locator(".result-summary")).to_contain_text("100")
