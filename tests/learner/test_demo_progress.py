"""The demo people's learning: recorded through the learner's services on the shipped
curriculum, so homes, reports and certificates show real progress; loading again adds nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.content.reader import read_content
from lms_cx.db import utcnow
from lms_cx.models import Assignment, Certificate, Course, Progress, QuizAttempt, Statement
from lms_cx.models.people import Employee
from lms_cx.services.content_sync import known_ids, sync_content
from lms_cx.services.demo import demo_email, load_demo
from lms_cx.services.learning import learner_home
from lms_cx.services.publishing import publish_slugs
from lms_cx.xapi.projection import rebuild_progress
from lms_cx.xapi.validation import validate_statement

ROOT = Path(__file__).resolve().parents[2]


def person(session: Session, key: str) -> Employee:
    return session.scalar(sa.select(Employee).where(Employee.email == demo_email(key)))


def home_of(session: Session, key: str):  # noqa: ANN201
    return learner_home(session, person(session, key), "en", utcnow())


def test_the_demo_learners_have_real_progress_and_a_second_load_adds_nothing(
    session: Session, ctx
) -> None:
    """Test that the demo leaves a finished refresher with its certificate, onboarding paths
    at different stages (one overdue, one stuck at the 90% bar), valid statements and a
    projection that a rebuild reproduces; loading again records nothing more."""
    content = read_content([ROOT / "courses", ROOT / "quizzes"], known_ids(session))
    sync_content(session, content)
    publish_slugs(session, list(content.courses), list(content.modules))

    summary = load_demo(session)
    assert summary.learners_with_progress == 8

    ewa = home_of(session, "ewa.nowicka")
    assert [a.title for a in ewa.completed] == ["Customer care refresher"]
    assert ewa.completed[0].certificate_code.startswith("CX-")
    assert ewa.completed[0].score >= 0.9

    nasrin = home_of(session, "nasrin.jafari").open
    onboarding = next(a for a in nasrin if a.title == "Customer care onboarding")
    assert (onboarding.modules_done, onboarding.modules_total) == (10, 11)
    assert onboarding.overdue
    kamran = next(a for a in home_of(session, "kamran.moradi").open if a.kind == "course")
    assert (kamran.modules_done, kamran.overdue) == (2, False)
    ola = home_of(session, "ola.zielinska").open[0]
    assert ola.started and ola.modules_done == 0 and ola.resume is not None

    attempts = dict(
        session.execute(
            sa.select(QuizAttempt.passed, sa.func.count(QuizAttempt.id)).group_by(
                QuizAttempt.passed
            )
        ).all()
    )
    assert attempts[True] > 20 and attempts[False] >= 5
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 1

    statements = session.scalars(sa.select(Statement).order_by(Statement.seq)).all()
    assert len(statements) > 500
    assert max(s.timestamp for s in statements) < utcnow()
    for statement in statements:
        validate_statement(statement.raw)

    def projection() -> list[tuple]:
        return sorted(
            (r.registration, r.activity_id, r.status, r.best_score_scaled, r.completed_at)
            for r in session.scalars(sa.select(Progress))
        )

    before = projection()
    rebuild_progress(session)
    assert projection() == before

    again = load_demo(session)
    assert again.learners_with_progress == 0
    assert session.scalar(sa.select(sa.func.count(Statement.seq))) == len(statements)
    refresher = session.scalar(
        sa.select(Assignment.state)
        .join(Course, Course.id == Assignment.course_id)
        .where(Assignment.employee_id == person(session, "ewa.nowicka").id)
    )
    assert refresher == "completed"
