"""Fixtures for the learner's side: an app context, a learner in a team, a small course."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Course, Module
from lms_cx.models.people import Employee
from tests import factories

#: The moment "now" in these tests (quiz deadlines and due dates are relative to it).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """Push a request context (services read the app's config and translate messages)."""
    with app.test_request_context("/cx/learn/"):
        yield app


@pytest.fixture
def learner(session: Session) -> Employee:
    """Return a learner in the team "Frontline Phone" (committed)."""
    team = factories.team(session, "Frontline Phone")
    person = factories.employee(
        session, team=team, email="ola@example.com", display_name="Ola Nowak", locale="en"
    )
    session.commit()
    return person


@dataclass
class SmallCourse:
    """Two modules; the second requires the first; one assignment to the learner."""

    course: Course
    first: Module
    second: Module
    assignment: Assignment


@pytest.fixture
def small_course(session: Session, learner: Employee) -> SmallCourse:
    """Return a published two-module course assigned to ``learner``.

    Tests that call services also take ``ctx``; tests that send requests through the client
    must not hold ``ctx`` while they do (the client would share its ``g``), so they wrap
    their service calls in ``app.test_request_context()``.
    """
    first = factories.learning_module(session, "listening", lessons=2, attempts_limit=3)
    second = factories.learning_module(
        session, "empathy", track="persona_awareness", lessons=1, personas=["henryk"]
    )
    course = factories.learning_course(
        session, "first-week", [first, second], requires={"empathy": ["listening"]}
    )
    assigned = factories.assignment(
        session, learner, course=course, due_at=NOW + timedelta(days=30), source="onboarding"
    )
    session.commit()
    return SmallCourse(course, first, second, assigned)


@pytest.fixture
def signed_in(client, learner: Employee):
    """Sign the test client in as ``learner``; return the client."""
    response = client.post(
        "/cx/account/login", data={"email": learner.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return client


def finish_module(session: Session, learner: Employee, assignment_id, module: str, lessons: int):
    """Read every lesson of ``module`` and pass its quiz (q1: a, q2: b, else a)."""
    from lms_cx.services import quiz
    from lms_cx.services.lessons import open_lesson

    for number in range(1, lessons + 1):
        open_lesson(session, learner, assignment_id, module, f"lesson-{number}", "en", NOW)
    attempt = quiz.start_attempt(session, learner, assignment_id, module, NOW)
    for item in attempt.drawn["questions"]:
        right = {"q1": "a", "q2": "b"}.get(item["key"].split("/")[1], "a")
        quiz.save_answer(session, learner, attempt.id, item["key"], {"answer": [right]}, NOW)
    quiz.submit_attempt(session, learner, attempt.id, f"finish-{attempt.id}", NOW)
