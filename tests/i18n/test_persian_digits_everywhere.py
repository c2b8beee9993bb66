"""Plain counts on the trainer, inbox, rules and learner pages: Persian readers see them in
Persian digits, English readers exactly as before."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.models import AssignmentRule
from lms_cx.models.people import Employee
from lms_cx.services.notifications import NewNotification, add_notifications
from tests import factories
from tests.lifecycle.conftest import day

LOCALES = pytest.mark.parametrize(
    ("locale", "digits"), [("fa", "۰۱۲۳۴۵۶۷۸۹"), ("en", "0123456789")], ids=["fa", "en"]
)


def shown(html: str, pattern: str) -> str:
    """Return the one spot of ``html`` that ``pattern`` (one group) finds."""
    found = re.findall(pattern, html, re.S)
    assert len(found) == 1, (pattern, found)
    return found[0]


def in_digits(number: int, digits: str) -> str:
    return "".join(digits[int(figure)] for figure in str(number))


def ascii_digits_in(text: str) -> bool:
    return re.search(r"[0-9]", text) is not None


@LOCALES
def test_trainer_module_list_counts_lessons_and_questions(
    client: FlaskClient, login_as: Callable[..., Employee], session: Session, locale, digits
) -> None:
    """Test that the module list writes a module's 7 lessons and 2 questions in the reader's
    digits, while the link to the module keeps its Latin address."""
    login_as("trainer", locale=locale)
    factories.learning_module(session, "seven-lessons", lessons=7)
    session.commit()
    html = client.get("/cx/trainer/modules/").get_data(as_text=True)
    row = shown(html, r'<tr>\s*<td><a href="[^"]*/seven-lessons/?">.*?</tr>')
    counts = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert counts == [in_digits(7, digits), in_digits(2, digits), "—"]
    if locale == "fa":
        assert not any(ascii_digits_in(count) for count in counts)


@LOCALES
def test_inbox_counts_unread_notifications(
    client: FlaskClient,
    login_as: Callable[..., Employee],
    session: Session,
    app: Flask,
    locale,
    digits,
) -> None:
    """Test that the inbox's unread count (3) is in the reader's digits."""
    me = login_as("learner", locale=locale)
    with app.app_context():
        add_notifications(
            session,
            [
                NewNotification(me.id, "reminder.due_soon", f"Subject {key}", "", None, key)
                for key in ("a", "b", "c")
            ],
            day(0),
        )
        session.commit()
    html = client.get("/cx/inbox/").get_data(as_text=True)
    lead = shown(html, r'<p class="lead">(.*?)</p>')
    assert in_digits(3, digits) in lead
    if locale == "fa":
        assert not ascii_digits_in(lead)


@LOCALES
def test_rules_list_counts_assignments_a_rule_made(
    client: FlaskClient, login_as: Callable[..., Employee], session: Session, locale, digits
) -> None:
    """Test that a rule that made 3 assignments, 2 still open, reads "3 (2)" in the reader's
    digits, while its switch keeps its Latin form value."""
    login_as("admin", locale=locale)
    module = factories.learning_module(session, "ruled")
    rule = AssignmentRule(name="Everyone on hire", module_id=module.id, trigger="on_hire")
    session.add(rule)
    session.flush()
    for state in ("open", "open", "completed"):
        made = factories.assignment(session, factories.employee(session), module=module)
        made.rule_id = rule.id
        made.state = state
    session.commit()
    html = client.get("/cx/rules/").get_data(as_text=True)
    row = shown(html, r'<tr>\s*<td><a href="/cx/rules/\d+/edit">Everyone on hire</a>.*?</tr>')
    assert f"<td>{in_digits(3, digits)} ({in_digits(2, digits)})</td>" in row
    assert 'name="active" value="0"' in row


@LOCALES
def test_learner_module_page_shows_progress_in_the_readers_digits(
    client: FlaskClient, login_as: Callable[..., Employee], session: Session, locale, digits
) -> None:
    """Test that after one of four lessons the progress bar's text is 25% in the reader's
    digits, while the bar's value attribute stays 25."""
    learner = login_as("learner", locale=locale)
    module = factories.learning_module(session, "four-lessons", lessons=4, questions=[])
    course = factories.learning_course(session, "four", [module])
    assignment = factories.assignment(session, learner, course=course)
    session.commit()
    base = f"/cx/learn/{assignment.id}/four-lessons"
    assert client.get(f"{base}/lessons/lesson-1").status_code == 200
    html = client.get(f"{base}/").get_data(as_text=True)
    bar = shown(html, r'(<progress max="100" value="\d+"[^>]*>[^<]*</progress>)')
    assert 'value="25"' in bar
    fallback = shown(bar, r">([^<]*)</progress>")
    assert fallback == in_digits(25, digits) + ("٪" if locale == "fa" else "%")
