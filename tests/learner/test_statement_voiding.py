"""Correcting a learner's record: an administrator voids a statement recorded in error, after a
confirmation and with CSRF protection, and the learner's progress is recomputed without it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Progress, Statement
from lms_cx.services.enrolment import LearnerError, NotFound
from lms_cx.services.learning import learner_home
from lms_cx.services.lessons import open_lesson
from lms_cx.services.statement_voiding import learner_statements, void_statement
from lms_cx.xapi import vocab
from lms_cx.xapi.projection import rebuild_progress
from tests import factories
from tests.learner.conftest import NOW
from tests.learner.test_progress_from_statements import BASE, post_external

MODULE_ID = f"{BASE}/modules/listening"


def wrong_pass(app: Flask, session: Session, client, learner, small_course) -> Statement:
    """Let "external content" report the first module completed and passed; return the pass."""
    with app.test_request_context():
        open_lesson(
            session, learner, small_course.assignment.id, "listening", "lesson-1", "en", NOW
        )
    post_external(
        app, session, client, learner, small_course.assignment.id, "listening", ["completed"]
    )
    post_external(
        app, session, client, learner, small_course.assignment.id, "listening", ["passed"]
    )
    return session.scalar(
        sa.select(Statement).where(
            Statement.verb_id == vocab.ADL_VERBS + "passed", Statement.object_id == MODULE_ID
        )
    )


def module_progress(session: Session, small_course) -> Progress:
    session.expire_all()
    return session.scalar(
        sa.select(Progress).where(
            Progress.registration == str(small_course.assignment.id),
            Progress.activity_id == MODULE_ID,
        )
    )


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_an_admin_voids_a_wrong_pass_and_progress_follows(
    app: Flask, session: Session, client, login_as, learner, small_course
) -> None:
    """Test that the admin lists the learner's statements, confirms the void (a POST without
    the CSRF token is refused), and the module is no longer passed; rebuild agrees."""
    passed = wrong_pass(app, session, client, learner, small_course)
    row = module_progress(session, small_course)
    assert (row.success, row.best_score_scaled) == (True, 0.9)
    with app.test_request_context():
        assert learner_home(session, learner, "en", NOW).open[0].modules_done == 1

    login_as("admin")
    listing = client.get(f"/cx/admin/people/{learner.id}/statements")
    assert listing.status_code == 200
    void_url = f"/cx/admin/people/{learner.id}/statements/{passed.statement_id}/void"
    assert void_url in listing.get_data(as_text=True)
    confirm = client.get(void_url)
    assert confirm.status_code == 200
    assert "Void this statement?" in confirm.get_data(as_text=True)

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(void_url, data={})
        assert refused.status_code == 400  # no token: refused, nothing voided
        session.expire_all()
        assert not session.get(Statement, passed.seq).voided
        token = csrf_token(client.get(void_url).get_data(as_text=True))
        done = client.post(void_url, data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/cx/admin/people/{learner.id}/statements")

    session.expire_all()
    assert session.get(Statement, passed.seq).voided
    voiding = session.scalar(
        sa.select(Statement).where(Statement.voids_statement_id == passed.statement_id)
    )
    assert voiding.verb_id == vocab.VERB_VOIDED
    assert voiding.raw["object"] == {"objectType": "StatementRef", "id": str(passed.statement_id)}
    assert voiding.registration == small_course.assignment.id
    row = module_progress(session, small_course)
    assert (row.status, row.success, row.best_score_scaled) == ("completed", None, None)
    with app.test_request_context():
        assert learner_home(session, learner, "en", NOW).open[0].modules_done == 0

    before = {(r.activity_id, r.status, r.success) for r in session.scalars(sa.select(Progress))}
    rebuild_progress(session)
    after = {(r.activity_id, r.status, r.success) for r in session.scalars(sa.select(Progress))}
    assert after == before

    page = client.get(f"/cx/admin/people/{learner.id}/statements").get_data(as_text=True)
    assert "Voided" in page and "Voids another statement" in page
    assert void_url not in page


def test_voiding_is_refused_twice_for_a_voiding_statement_and_for_someone_else(
    app: Flask, session: Session, client, learner, small_course
) -> None:
    """Test that a voided statement, a voiding statement and another learner's statement
    cannot be voided, each with a message (or not found)."""
    passed = wrong_pass(app, session, client, learner, small_course)
    other = factories.employee(session, email="someone@example.com")
    session.commit()
    with app.test_request_context():
        void_statement(session, learner, passed.statement_id, NOW)
        with pytest.raises(LearnerError, match="voided already"):
            void_statement(session, learner, passed.statement_id, NOW)
        voiding = next(s for s in learner_statements(session, learner) if s.voiding)
        with pytest.raises(LearnerError, match="cannot be voided"):
            void_statement(session, learner, voiding.statement_id, NOW)
        with pytest.raises(NotFound):
            void_statement(session, other, passed.statement_id, NOW)
    assert (
        session.scalar(
            sa.select(sa.func.count(Statement.seq)).where(Statement.voids_statement_id.is_not(None))
        )
        == 1
    )


def test_the_record_pages_answer_404_for_unknown_people_and_statements(
    session: Session, client, login_as, learner, small_course
) -> None:
    """Test that an unknown employee or a statement outside the learner's record is 404."""
    login_as("admin")
    assert client.get("/cx/admin/people/987654/statements").status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/cx/admin/people/{learner.id}/statements/{missing}/void").status_code == 404
