"""The tables refuse bad rows by themselves, and typed columns round-trip faithfully."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx import models
from lms_cx.db import Base

TEHRAN = timezone(timedelta(hours=3, minutes=30))


@pytest.fixture
def session() -> Iterator[Session]:
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def add_employee(session: Session, email: str = "ada@example.com") -> models.Employee:
    employee = models.Employee(email=email, display_name="Ada")
    session.add(employee)
    session.flush()
    return employee


def add_module(session: Session) -> models.Module:
    track = models.Track(code="communication", title={"en": "Communication"})
    module = models.Module(slug="active-listening", track=track, title={"en": "Active listening"})
    session.add(module)
    session.flush()
    return module


def feedback(employee: models.Employee, **values) -> models.FeedbackItem:
    return models.FeedbackItem(employee_id=employee.id, occurred_at=datetime.now(UTC), **values)


def test_every_table_is_prefixed_lms_cx():
    """Test that every table lives under the lms_cx_ prefix, so host tables never collide."""
    assert Base.metadata.tables
    assert all(name.startswith("lms_cx_") for name in Base.metadata.tables)


def test_every_model_has_a_docstring():
    """Test that each exported model explains itself."""
    for name in models.__all__:
        assert getattr(models, name).__doc__, name


def test_unknown_role_is_refused(session):
    """Test that an employee cannot hold a role lms_cx does not know."""
    employee = add_employee(session)
    session.add(models.EmployeeRole(employee_id=employee.id, role="superuser"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_csat_outside_one_to_five_is_refused(session):
    """Test that a CSAT of 6 is refused by the database."""
    employee = add_employee(session)
    session.add(feedback(employee, csat=6))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


@pytest.mark.parametrize("scores", [{"nps": 11}, {"nps": -1}, {"ces": 0}, {"ces": 8}])
def test_nps_and_ces_outside_their_scales_are_refused(session, scores):
    """Test that NPS must lie in 0..10 and CES in 1..7."""
    employee = add_employee(session)
    session.add(feedback(employee, **scores))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_feedback_item_on_every_scale_boundary_is_accepted(session):
    """Test that the scales' end points are valid scores."""
    employee = add_employee(session)
    session.add_all(
        [feedback(employee, csat=1, nps=0, ces=1), feedback(employee, csat=5, nps=10, ces=7)]
    )
    session.flush()


def test_duplicate_feedback_from_one_source_is_refused(session):
    """Test that (source, external_id) identifies an imported feedback item once."""
    employee = add_employee(session)
    session.add(feedback(employee, source="zendesk", external_id="T-1"))
    session.flush()
    session.add(feedback(employee, source="zendesk", external_id="T-1"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_manual_feedback_without_external_id_may_repeat(session):
    """Test that items without an external id never collide with each other."""
    employee = add_employee(session)
    session.add_all([feedback(employee, csat=2), feedback(employee, csat=3)])
    session.flush()
    assert {item.source for item in session.scalars(sa.select(models.FeedbackItem))} == {"manual"}


def test_aware_datetime_round_trips_as_utc(session):
    """Test that a datetime stored in any zone reads back as the same instant in UTC."""
    employee = add_employee(session)
    occurred = datetime(2025, 3, 21, 9, 30, tzinfo=TEHRAN)
    session.add(feedback(employee, csat=4))
    session.flush()
    item = session.scalars(sa.select(models.FeedbackItem)).one()
    item.occurred_at = occurred
    session.commit()
    session.expire_all()

    loaded = session.scalars(sa.select(models.FeedbackItem)).one().occurred_at

    assert loaded == occurred
    assert loaded.utcoffset() == timedelta(0)
    assert loaded.hour == 6


def test_naive_datetime_is_refused(session):
    """Test that a naive datetime cannot be stored (its zone would be a guess)."""
    employee = add_employee(session)
    session.add(models.FeedbackItem(employee_id=employee.id, occurred_at=datetime(2025, 1, 1)))
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        session.flush()


def test_assignment_id_is_a_uuid_that_round_trips(session):
    """Test that an assignment's id (its xAPI registration) is a UUID, stored and loaded intact."""
    employee = add_employee(session)
    module = add_module(session)
    registration = uuid.uuid4()
    session.add(models.Assignment(id=registration, employee_id=employee.id, module_id=module.id))
    session.commit()
    session.expire_all()

    loaded = session.get(models.Assignment, registration)

    assert isinstance(loaded.id, uuid.UUID)
    assert loaded.id == registration
    assert loaded.state == "open"


def test_assignment_gets_a_fresh_uuid_by_default(session):
    """Test that new assignments get distinct random UUIDs."""
    employee = add_employee(session)
    module = add_module(session)
    first = models.Assignment(employee_id=employee.id, module_id=module.id)
    second = models.Assignment(employee_id=employee.id, module_id=module.id)
    session.add_all([first, second])
    session.flush()
    assert isinstance(first.id, uuid.UUID)
    assert first.id != second.id


def test_assignment_without_course_or_module_is_refused(session):
    """Test that an assignment must point at something to learn."""
    employee = add_employee(session)
    session.add(models.Assignment(employee_id=employee.id))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_unknown_move_on_value_is_refused(session):
    """Test that a course module's moveOn is one of cmi5's values."""
    module = add_module(session)
    course = models.Course(slug="onboarding", title={"en": "Onboarding"})
    course.course_modules.append(models.CourseModule(module=module, move_on="Attempted"))
    session.add(course)
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_quiz_submission_key_is_used_once(session):
    """Test that two attempts cannot share a submission key (submission is exactly-once)."""
    employee = add_employee(session)
    module = add_module(session)
    version = models.ModuleVersion(module_id=module.id, version=1, content_hash="0" * 64)
    assignment = models.Assignment(employee_id=employee.id, module_id=module.id)
    session.add_all([version, assignment])
    session.flush()
    for number in (1, 2):
        session.add(
            models.QuizAttempt(
                assignment_id=assignment.id,
                employee_id=employee.id,
                module_id=module.id,
                module_version_id=version.id,
                number=number,
                submission_key="submit-1",
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_statement_seq_increases_on_sqlite(session):
    """Test that statements get increasing sequence numbers on SQLite too."""
    now = datetime.now(UTC)
    statements = [
        models.Statement(
            statement_id=uuid.uuid4(),
            raw={"verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}},
            timestamp=now,
            verb_id="http://adlnet.gov/expapi/verbs/experienced",
            actor_ifi="mbox:mailto:ada@example.com",
            object_type="Activity",
            object_id="https://example.com/activity/1",
        )
        for _ in range(3)
    ]
    session.add_all(statements)
    session.flush()
    seqs = [statement.seq for statement in statements]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 3


def test_progress_row_is_unique_per_registration_actor_and_activity(session):
    """Test that the projection keeps one row per (registration, actor, activity)."""
    row = {"actor_ifi": "mbox:mailto:ada@example.com", "activity_id": "https://example.com/a"}
    session.add(models.Progress(**row))
    session.flush()
    session.add(models.Progress(**row))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
