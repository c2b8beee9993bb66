"""Progress is read from the projection of statements: ours and external content's alike.

The journey here (lessons read, a quiz failed then passed, the next module, the course done)
lists every statement it writes; each one passes the LRS's validation; external content that
POSTs statements about a module's activity id moves the learner's progress exactly like
ours; ``rebuild_progress`` recomputes the very same rows.
"""

from __future__ import annotations

import base64
import uuid

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Certificate, Progress, Statement
from lms_cx.services import quiz
from lms_cx.services.learning import learner_home
from lms_cx.services.lessons import open_lesson
from lms_cx.services.quiz_pages import quiz_overview
from lms_cx.xapi.credentials import create_credential
from lms_cx.xapi.projection import rebuild_progress
from lms_cx.xapi.validation import validate_statement
from tests import factories
from tests.learner.conftest import NOW

BASE = "https://lms-cx.example.com/xapi/activities"

#: Every statement the journey below writes, in storage order: (verb, object id after BASE).
JOURNEY = [
    ("attempted", "/courses/first-week"),
    ("launched", "/modules/listening"),
    ("experienced", "/modules/listening/lessons/lesson-1"),
    ("progressed", "/modules/listening"),
    ("experienced", "/modules/listening/lessons/lesson-2"),
    ("progressed", "/modules/listening"),
    ("initialized", "/modules/listening/quiz"),
    ("answered", "/questions/listening/q1"),
    ("answered", "/questions/listening/q2"),
    ("failed", "/modules/listening"),
    ("terminated", "/modules/listening/quiz"),
    ("completed", "/modules/listening"),
    ("initialized", "/modules/listening/quiz"),
    ("answered", "/questions/listening/q1"),
    ("answered", "/questions/listening/q2"),
    ("passed", "/modules/listening"),
    ("terminated", "/modules/listening/quiz"),
    ("launched", "/modules/empathy"),
    ("experienced", "/modules/empathy/lessons/lesson-1"),
    ("progressed", "/modules/empathy"),
    ("initialized", "/modules/empathy/quiz"),
    ("answered", "/questions/empathy/q1"),
    ("answered", "/questions/empathy/q2"),
    ("passed", "/modules/empathy"),
    ("terminated", "/modules/empathy/quiz"),
    ("completed", "/modules/empathy"),
    ("completed", "/courses/first-week"),
]


def take_quiz(session: Session, learner, assignment_id, module: str, right: bool, key: str):
    attempt = quiz.start_attempt(session, learner, assignment_id, module, NOW)
    answers = {"q1": "a", "q2": "b"} if right else {"q1": "c", "q2": "c"}
    for item in attempt.drawn["questions"]:
        slug = item["key"].split("/")[1]
        quiz.save_answer(
            session, learner, attempt.id, item["key"], {"answer": [answers[slug]]}, NOW
        )
    quiz.submit_attempt(session, learner, attempt.id, key, NOW)
    return attempt


def walk_the_course(session: Session, learner, small_course) -> None:
    assignment_id = small_course.assignment.id
    for lesson in ("lesson-1", "lesson-2"):
        open_lesson(session, learner, assignment_id, "listening", lesson, "en", NOW)
    open_lesson(session, learner, assignment_id, "listening", "lesson-1", "en", NOW)  # again
    take_quiz(session, learner, assignment_id, "listening", right=False, key="j1")
    take_quiz(session, learner, assignment_id, "listening", right=True, key="j2")
    open_lesson(session, learner, assignment_id, "empathy", "lesson-1", "en", NOW)
    take_quiz(session, learner, assignment_id, "empathy", right=True, key="j3")


def progress_table(session: Session) -> list[tuple]:
    session.expire_all()
    columns = [c for c in Progress.__table__.columns if c.name != "id"]
    rows = session.execute(
        sa.select(*columns).order_by(Progress.registration, Progress.activity_id)
    )
    return [tuple(row) for row in rows]


def test_journey_writes_the_listed_statements_and_each_is_valid(
    session: Session, learner, small_course, ctx
) -> None:
    """Test that the journey writes exactly the listed statements, all valid xAPI 1.0.3, all
    in the assignment's registration, and that rereading a lesson wrote nothing."""
    walk_the_course(session, learner, small_course)
    stored = session.scalars(sa.select(Statement).order_by(Statement.seq)).all()
    assert [
        (s.raw["verb"]["id"].rsplit("/", 1)[1], s.object_id.removeprefix(BASE)) for s in stored
    ] == JOURNEY
    for statement in stored:
        validate_statement(statement.raw)
        assert statement.registration == small_course.assignment.id
        assert statement.raw["actor"]["mbox"] == "mailto:ola@example.com"
        assert statement.raw["context"]["team"]["name"] == "Frontline Phone"
        assert statement.raw["context"]["language"] == "en"
    session.expire_all()
    assignment = session.get(Assignment, small_course.assignment.id)
    assert assignment.state == "completed"
    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assignment.id)
    )
    assert certificate is not None
    completed = stored[-1].raw
    assert (
        completed["result"]["extensions"]["https://w3id.org/xapi/lms-cx/v1/extensions/certificate"]
        == certificate.verification_code
    )


def test_rebuild_reproduces_the_projection_exactly(
    app: Flask, session: Session, learner, small_course, client, ctx
) -> None:
    """Test that rebuilding lms_cx_progress from the ledger gives the very same rows,
    external content's included."""
    walk_the_course(session, learner, small_course)
    post_external(
        app, session, client, learner, small_course.assignment.id, "listening", ["experienced"]
    )
    before = progress_table(session)
    assert len(before) > 10
    rebuild_progress(session)
    assert progress_table(session) == before


def post_external(
    app: Flask,
    session: Session,
    client,
    learner,
    registration: uuid.UUID,
    module: str,
    verbs: list[str],
) -> None:
    """POST statements about a module's activity id as an external tool (an H5P package) would."""
    credential, secret = create_credential(
        session,
        name=f"H5P {uuid.uuid4().hex[:6]}",
        scopes=["statements/write"],
        homepage="https://lms-cx.example.com",
    )
    session.commit()
    token = base64.b64encode(f"{credential.key}:{secret}".encode()).decode()
    statements = []
    for verb in verbs:
        statement = {
            "actor": {"objectType": "Agent", "mbox": f"mailto:{learner.email}"},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en": verb}},
            "object": {"objectType": "Activity", "id": f"{BASE}/modules/{module}"},
            "context": {"registration": str(registration)},
        }
        if verb == "passed":
            statement["result"] = {"score": {"scaled": 0.9}, "success": True}
        statements.append(statement)
    response = client.post(
        "/xapi/statements",
        json=statements,
        headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_external_content_statements_move_progress_like_ours(
    app: Flask, session: Session, learner, small_course, client, ctx
) -> None:
    """Test that an external tool's completed and passed for the first module satisfy it,
    unlock the second and show on the learner's home and the manager's projection."""
    assignment_id = small_course.assignment.id
    open_lesson(session, learner, assignment_id, "listening", "lesson-1", "en", NOW)
    home = learner_home(session, learner, "en", NOW)
    assert home.open[0].modules_done == 0

    post_external(
        app, session, client, learner, assignment_id, "listening", ["completed", "passed"]
    )

    home = learner_home(session, learner, "en", NOW)
    assert (home.open[0].modules_done, home.open[0].percent) == (1, 50)
    overview = quiz_overview(session, learner, assignment_id, "listening", "en", NOW)
    assert overview.passed and overview.refusal is not None
    # The second module is open now (its prerequisite is satisfied).
    page = open_lesson(session, learner, assignment_id, "empathy", "lesson-1", "en", NOW)
    assert page.position == 1
    row = session.scalar(
        sa.select(Progress).where(
            Progress.registration == str(assignment_id),
            Progress.activity_id == f"{BASE}/modules/listening",
        )
    )
    assert (row.employee_id, row.completion, row.success, row.best_score_scaled) == (
        learner.id,
        True,
        True,
        0.9,
    )


def test_external_content_finishing_the_last_module_completes_the_course(
    app: Flask, session: Session, learner, ctx, client
) -> None:
    """Test that when external content satisfies the only module, the learner's home
    completes the assignment and issues the certificate."""
    module = factories.learning_module(session, "h5p-module", lessons=0, questions=[])
    course = factories.learning_course(session, "h5p-course", [module], move_on="Passed")
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    from lms_cx.services.lessons import open_module

    open_module(session, learner, assigned.id, "h5p-module", "en", NOW)
    post_external(app, session, client, learner, assigned.id, "h5p-module", ["passed"])
    home = learner_home(session, learner, "en", NOW)
    assert [a.title for a in home.completed] == ["Course h5p-course"]
    assert home.completed[0].certificate_code.startswith("CX-")
    assert home.completed[0].score == 0.9


def test_an_external_statement_finishing_the_last_module_completes_the_course_at_once(
    app: Flask, session: Session, learner, ctx, client
) -> None:
    """Test that the LRS completes the assignment, issues the certificate and records the
    course's completed statement as it stores the statement, with no learner page opened."""
    module = factories.learning_module(session, "h5p-last", lessons=0, questions=[])
    course = factories.learning_course(session, "h5p-now", [module], move_on="Passed")
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    from lms_cx.services.lessons import open_module

    open_module(session, learner, assigned.id, "h5p-last", "en", NOW)
    post_external(app, session, client, learner, assigned.id, "h5p-last", ["experienced"])
    session.expire_all()
    assert session.get(Assignment, assigned.id).state == "open"

    post_external(app, session, client, learner, assigned.id, "h5p-last", ["passed"])
    session.expire_all()
    assignment = session.get(Assignment, assigned.id)
    assert assignment.state == "completed" and assignment.completed_at is not None
    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assigned.id)
    )
    assert certificate.verification_code.startswith("CX-")
    assert certificate.score_scaled == 0.9
    verbs = session.scalars(
        sa.select(Statement.verb_id)
        .where(Statement.registration == assigned.id)
        .order_by(Statement.seq)
    ).all()
    assert [verb.rsplit("/", 1)[1] for verb in verbs][-2:] == ["passed", "completed"]
    # The learner's home finds it done, and completing again changes nothing.
    home = learner_home(session, learner, "en", NOW)
    assert [a.certificate_code for a in home.completed] == [certificate.verification_code]
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
