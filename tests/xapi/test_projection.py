"""The progress projection: statuses, scores, attempts, times, employees, voiding, rebuild."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from lms_cx.models.progress import Progress
from lms_cx.xapi.store import store_statements
from tests import factories
from tests.xapi.conftest import ACTIVITIES, golden, make_statement

REG = "0b3c7a52-9a4e-4a55-a1e1-6c3f3e1c1d10"
QUIZ = ACTIVITIES + "quiz"


def progress(session: Session, activity: str = QUIZ, registration: str = REG) -> Progress:
    session.expire_all()
    return session.scalars(
        sa.select(Progress).where(
            Progress.activity_id == activity, Progress.registration == registration
        )
    ).one()


def at(minute: int) -> str:
    return f"2024-05-01T09:{minute:02d}:00Z"


def quiz(verb: str, minute: int, **kwargs: Any) -> dict[str, Any]:
    return make_statement(verb, "quiz", registration=REG, timestamp=at(minute), **kwargs)


def test_attempted_then_passed(session: Session) -> None:
    """Test that attempts count starts and a pass sets status, success and passed_at."""
    store_statements(session, [quiz("attempted", 1), quiz("answered", 2)])
    row = progress(session)
    assert (row.status, row.attempts, row.success, row.completion) == ("attempted", 1, None, None)
    store_statements(session, [quiz("passed", 5, result={"score": {"scaled": 0.9}})])
    row = progress(session)
    assert (row.status, row.success, row.best_score_scaled) == ("passed", True, 0.9)
    assert row.passed_at.isoformat() == "2024-05-01T09:05:00+00:00"
    assert row.first_activity_at.minute == 1 and row.last_activity_at.minute == 5


def test_a_pass_is_not_undone_by_a_later_fail(session: Session) -> None:
    """Test that success stays true and best score stays the highest after a failed retry."""
    store_statements(session, [quiz("passed", 1, result={"score": {"scaled": 0.8}})])
    store_statements(session, [quiz("failed", 2, result={"score": {"scaled": 0.4}})])
    row = progress(session)
    assert (row.status, row.success) == ("passed", True)
    assert (row.best_score_scaled, row.last_score_scaled) == (0.8, 0.4)


def test_failed_then_completed_stays_failed(session: Session) -> None:
    """Test that a failure outranks a completion in the status."""
    store_statements(session, [quiz("failed", 1), quiz("completed", 2)])
    row = progress(session)
    assert (row.status, row.success, row.completion) == ("failed", False, True)
    assert row.completed_at.minute == 2


def test_completion_from_result_and_verb(session: Session) -> None:
    """Test that result.completion true completes, and completed_at is the earliest."""
    store_statements(
        session, [quiz("completed", 7), quiz("experienced", 3, result={"completion": True})]
    )
    row = progress(session)
    assert (row.status, row.completion, row.completed_at.minute) == ("completed", True, 3)


def test_raw_score_is_scaled(session: Session) -> None:
    """Test that raw/min/max become a scaled score when scaled is absent."""
    store_statements(
        session, [quiz("answered", 1, result={"score": {"raw": 15, "min": 10, "max": 20}})]
    )
    assert progress(session).last_score_scaled == 0.5
    store_statements(session, [quiz("answered", 2, result={"score": {"raw": 8, "max": 10}})])
    assert progress(session).best_score_scaled == 0.8


def test_attempts_count_attempted_and_initialized_not_launched(session: Session) -> None:
    """Test that launched does not count as an attempt but initialized and attempted do."""
    store_statements(session, [quiz("launched", 1), quiz("initialized", 2), quiz("attempted", 3)])
    assert progress(session).attempts == 2


def test_statements_without_registration_use_empty_key(session: Session) -> None:
    """Test that a statement without registration is projected under ''."""
    store_statements(session, [make_statement("completed", "lesson-1")])
    assert progress(session, ACTIVITIES + "lesson-1", "").status == "completed"


def test_non_activity_objects_are_not_projected(session: Session) -> None:
    """Test that statements about agents or statements make no progress rows."""
    agent = {"objectType": "Agent", "mbox": "mailto:other@example.com"}
    store_statements(session, [make_statement(object=agent), golden("substatement")])
    assert session.scalar(sa.select(sa.func.count()).select_from(Progress)) == 0


def test_employee_is_resolved_by_mbox_and_account(session: Session) -> None:
    """Test that the actor's mbox or account on our home page names the employee."""
    employee = factories.employee(session, email="agent.smith@example.com")
    session.commit()
    by_mail = quiz("attempted", 1)
    by_mail["actor"]["mbox"] = "mailto:agent.smith@EXAMPLE.com"
    by_account = make_statement("attempted", "lesson-2", registration=REG)
    by_account["actor"] = {
        "account": {"homePage": "https://lms-cx.example.com", "name": str(employee.id)}
    }
    stranger = make_statement("attempted", "lesson-3", registration=REG)
    stranger["actor"] = {
        "account": {"homePage": "https://elsewhere.example", "name": str(employee.id)}
    }
    store_statements(session, [by_mail, by_account, stranger])
    assert progress(session).employee_id == employee.id
    assert progress(session, ACTIVITIES + "lesson-2").employee_id == employee.id
    assert progress(session, ACTIVITIES + "lesson-3").employee_id is None


def test_voiding_recomputes_the_key_from_what_remains(session: Session) -> None:
    """Test that voiding a pass recomputes the row from the remaining statements."""
    ids = store_statements(
        session,
        [
            quiz("attempted", 1),
            quiz("failed", 2, result={"score": {"scaled": 0.3}}),
            quiz("passed", 3, result={"score": {"scaled": 0.9}}),
        ],
    )
    ref = {"objectType": "StatementRef", "id": str(ids[2])}
    store_statements(session, [make_statement("voided", object=ref)])
    row = progress(session)
    assert (row.status, row.best_score_scaled, row.passed_at) == ("failed", 0.3, None)
    assert row.last_statement_id == ids[1]


def test_voiding_the_only_statement_removes_the_row(session: Session) -> None:
    """Test that a key with no remaining statements has no progress row."""
    [only] = store_statements(session, [quiz("attempted", 1)])
    ref = {"objectType": "StatementRef", "id": str(only)}
    store_statements(session, [make_statement("voided", object=ref)])
    assert session.scalar(sa.select(sa.func.count()).select_from(Progress)) == 0


COLUMNS = [c.name for c in Progress.__table__.columns if c.name != "id"]


def snapshot(session: Session) -> list[tuple]:
    session.expire_all()
    rows = session.execute(sa.select(*[Progress.__table__.c[name] for name in COLUMNS])).all()
    return sorted(tuple(row) for row in rows)


def test_rebuild_gives_exactly_the_same_rows(session: Session, runner: FlaskCliRunner) -> None:
    """Test that `flask lms-cx progress rebuild` recomputes the incremental rows exactly."""
    employee = factories.employee(session, email="rebuild@example.com")
    session.commit()
    other = "7d1f6c55-5a8d-4c3e-9d6e-2f8a1b7c9e01"
    statements = [
        quiz("attempted", 1, email="rebuild@example.com"),
        quiz("failed", 2, email="rebuild@example.com", result={"score": {"raw": 3, "max": 10}}),
        quiz("attempted", 3, email="rebuild@example.com"),
        quiz("passed", 4, email="rebuild@example.com", result={"score": {"scaled": 0.85}}),
        make_statement("completed", "lesson-1", registration=other, timestamp=at(5)),
        make_statement("experienced", "lesson-2", timestamp=at(6), result={"completion": False}),
        golden("long"),
        golden("interaction"),
    ]
    ids = []
    for statement in statements:
        ids += store_statements(session, [statement])
    ref = {"objectType": "StatementRef", "id": str(ids[3])}
    store_statements(session, [make_statement("voided", object=ref)])
    before = snapshot(session)
    assert len(before) == 5
    assert any(row[COLUMNS.index("employee_id")] == employee.id for row in before)
    result = runner.invoke(args=["lms-cx", "progress", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "5 rows" in result.output
    assert snapshot(session) == before
