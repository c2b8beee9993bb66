"""Object URLs against the signed-in person's scope (IDOR), beyond the role matrix.

The route matrix checks roles with ids nobody owns; here the objects are real and belong to
someone else. Each URL is tried by its owner (who gets in, so the URL is right) and by an
intruder of the same role (who gets 404, as if the object did not exist), and a refused
POST changes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.models import Notification, QuizAttempt, QuizResponse
from lms_cx.models.people import Employee
from lms_cx.services import quiz
from lms_cx.services.lessons import open_lesson
from lms_cx.services.notifications import NewNotification, add_notifications
from tests import factories

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Owned:
    """What the owner has: ids of an assignment, attempts, a certificate, a notification."""

    owner: Employee
    intruder: Employee
    urls: list[tuple[str, str, int]]  # method, URL, the owner's status
    open_attempt: str
    notification_id: int


def sign_in(client: FlaskClient, person: Employee) -> None:
    client.post("/cx/account/logout")
    response = client.post(
        "/cx/account/login", data={"email": person.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


@pytest.fixture
def owned(app: Flask, session: Session) -> Owned:
    """A learner with an assignment in progress, a finished attempt, a certificate and a
    notification; and another learner of the same team."""
    team = factories.team(session, "Phone")
    owner = factories.employee(session, team=team, locale="en")
    intruder = factories.employee(session, team=team, locale="en")
    module = factories.learning_module(session, "owned", lessons=1)
    course = factories.learning_course(session, "owned-course", [module])
    assigned = factories.assignment(session, owner, course=course, due_at=NOW + timedelta(7))
    session.commit()
    with app.test_request_context("/cx/learn/"):
        open_lesson(session, owner, assigned.id, "owned", "lesson-1", "en", NOW)
        done = quiz.start_attempt(session, owner, assigned.id, "owned", NOW)
        for drawn in done.drawn["questions"]:
            quiz.save_answer(session, owner, done.id, drawn["key"], {"answer": ["a"]}, NOW)
        quiz.submit_attempt(session, owner, done.id, f"idor-{done.id}", NOW)
        open_attempt = quiz.start_attempt(session, owner, assigned.id, "owned", NOW)
        add_notifications(
            session,
            [NewNotification(owner.id, "reminder", "Due soon", "Finish it", None, "idor-1")],
            NOW,
        )
    certificate = factories.certificate(session, assigned, issued_at=NOW, expires_at=None)
    session.commit()
    notification_id = session.scalar(
        sa.select(Notification.id).where(Notification.employee_id == owner.id)
    )
    key = open_attempt.drawn["questions"][0]["key"]
    base = f"/cx/learn/{assigned.id}"
    attempt = f"/cx/learn/attempts/{open_attempt.id}"
    return Owned(
        owner=owner,
        intruder=intruder,
        urls=[
            ("GET", f"{base}/", 200),
            ("GET", f"{base}/continue", 302),
            ("GET", f"{base}/owned/", 200),
            ("GET", f"{base}/owned/lessons/lesson-1", 200),
            ("GET", f"{base}/owned/quiz", 200),
            ("GET", attempt, 200),
            ("GET", f"/cx/learn/attempts/{done.id}/result", 200),
            ("GET", f"/cx/learn/certificates/{certificate.verification_code}.pdf", 200),
            ("POST", f"{attempt}/answer?key={key}", 302),
            ("POST", f"{attempt}/submit", 302),
            ("POST", f"/cx/inbox/{notification_id}/read", 302),
        ],
        open_attempt=str(open_attempt.id),
        notification_id=notification_id,
    )


def _send(client: FlaskClient, method: str, url: str):
    path, _, query = url.partition("?")
    data = {"answer": "b", "question": query.removeprefix("key="), "submission_key": "idor"}
    return client.open(path, method=method, data=data if method == "POST" else None)


def test_a_learner_cannot_reach_another_learners_objects(client, session, owned) -> None:
    """Test every object URL of one learner: 404 for another learner, nothing changed."""
    sign_in(client, owned.intruder)
    answers_before = session.scalar(sa.select(sa.func.count()).select_from(QuizResponse))
    failures = []
    for method, url, _status in owned.urls:
        response = _send(client, method, url)
        if method == "GET" and response.status_code == 302:
            # "Continue" only points somewhere; where it points must refuse the intruder too.
            response = client.get(response.headers["Location"])
        if response.status_code not in (403, 404):
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    session.expire_all()
    attempt = session.get(QuizAttempt, uuid.UUID(owned.open_attempt))
    assert attempt.submitted_at is None
    assert session.scalar(sa.select(sa.func.count()).select_from(QuizResponse)) == answers_before
    assert session.get(Notification, owned.notification_id).read_at is None


def test_the_owner_reaches_each_of_those_urls(client, owned) -> None:
    """Test the URLs above with their owner, so a 404 means refused, not mistyped."""
    sign_in(client, owned.owner)
    failures = []
    for method, url, status in owned.urls:
        if method == "POST":
            continue  # the owner's own POSTs would change the objects the intruder tried
        response = _send(client, method, url)
        if response.status_code != status:
            failures.append(f"{method} {url}: {response.status_code}, wanted {status}")
    assert not failures, "\n".join(failures)


def test_a_trainer_cannot_import_another_trainers_previewed_upload(
    client, session, login_as
) -> None:
    """Test that the token of a previewed feedback file works for its uploader only."""
    agent = factories.employee(session)
    agent.external_id = "A1"
    session.commit()
    uploader = login_as("trainer")
    csv = b"employee,occurred_at,csat\nA1,2026-01-05 10:00,1\n"
    from io import BytesIO

    page = client.post(
        "/cx/feedback/import",
        data={"file": (BytesIO(csv), "feedback.csv"), "source": "helpdesk", "encoding": ""},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    token = re.search(r"/cx/feedback/import/([\w-]+)", page)
    assert token, page
    other = factories.employee(session, roles=("trainer",))
    session.commit()
    sign_in(client, other)
    before = session.scalar(sa.text("SELECT count(*) FROM lms_cx_feedback_item"))
    response = client.post(f"/cx/feedback/import/{token[1]}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/import")
    assert session.scalar(sa.text("SELECT count(*) FROM lms_cx_feedback_item")) == before
    sign_in(client, uploader)
    response = client.post(f"/cx/feedback/import/{token[1]}")
    assert session.scalar(sa.text("SELECT count(*) FROM lms_cx_feedback_item")) == before + 1
