"""Fixtures for the readiness reports: a small care department with known progress.

``org`` builds, at ``NOW``: the department "Customer Care" with sub-teams "Frontline Phone"
and "Digital Channels", managed by Maria; a team "Sales" she does not manage; a published
onboarding course with one module per track; and four people:

- Ola (phone): every module satisfied — ready in every track;
- Kamran (digital): communication satisfied, persona awareness started, overdue;
- Sofia (phone): every module satisfied, but her certificate expired — needs refresh;
- Piotr (sales): outside Maria's teams.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Course, Module
from lms_cx.models.people import Employee, Team
from lms_cx.services.publishing import latest_course_version, publish_module
from tests import factories

#: "Now" in these tests.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

#: The onboarding course's modules, one per track, in course order.
MODULES = (
    ("listening", "communication"),
    ("personas", "persona_awareness"),
    ("complaints", "problem_solving"),
    ("catalogue", "product_knowledge"),
)


@dataclass
class Org:
    """The department, its people and what they were assigned."""

    care: Team
    phone: Team
    digital: Team
    sales: Team
    manager: Employee
    ola: Employee
    kamran: Employee
    sofia: Employee
    piotr: Employee
    course: Course
    refresher: Module
    assignments: dict[str, Assignment]


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """Push a request context (reports read the app's config and translate labels)."""
    with app.test_request_context("/cx/manager/"):
        yield app


def pinned_course(session: Session, learner: Employee, course: Course, **fields) -> Assignment:
    """Assign ``course`` to ``learner`` and pin its newest version, as starting it would."""
    row = factories.assignment(session, learner, course=course, **fields)
    row.course_version_id = latest_course_version(session, course.id).id
    row.started_at = row.assigned_at
    session.flush()
    return row


def satisfy_all(session: Session, assignment: Assignment, at: datetime, score: float = 0.9):
    """Record every module of the course as completed and passed at ``at``."""
    for slug, _track in MODULES:
        factories.progress(
            session, assignment, slug, completion=True, success=True, score=score, at=at
        )


@pytest.fixture
def org(session: Session, app: Flask) -> Org:
    """Return the care department described above (committed)."""
    with app.test_request_context("/"):
        return build_org(session)


def build_org(session: Session) -> Org:
    """Build the care department (needs an app context)."""
    care = factories.team(session, "Customer Care")
    phone = factories.team(session, "Frontline Phone", parent=care)
    digital = factories.team(session, "Digital Channels", parent=care)
    sales = factories.team(session, "Sales")
    manager = factories.employee(
        session, roles=("manager", "learner"), team=care, manages=[care], display_name="Maria Kowal"
    )
    hired = date(2025, 12, 1)
    ola = factories.employee(session, team=phone, display_name="Ola Zielińska", hire_date=hired)
    kamran = factories.employee(session, team=digital, display_name="کامران مرادی", hire_date=hired)
    sofia = factories.employee(session, team=phone, display_name="Sofia Marques", hire_date=hired)
    piotr = factories.employee(session, team=sales, display_name="Piotr Lewandowski")
    modules = [factories.learning_module(session, slug, track=track) for slug, track in MODULES]
    course = factories.learning_course(session, "first-weeks", modules)
    refresher = factories.learning_module(session, "de-escalation", track="communication")
    refresher.lifecycle_stage = "ongoing"
    publish_module(session, refresher)
    due = NOW - timedelta(days=10)
    assignments = {
        "ola": pinned_course(session, ola, course, due_at=due, source="onboarding"),
        "kamran": pinned_course(session, kamran, course, due_at=due, source="onboarding"),
        "sofia": pinned_course(session, sofia, course, due_at=due, source="onboarding"),
        "piotr": pinned_course(session, piotr, course, due_at=due, source="onboarding"),
    }
    satisfy_all(session, assignments["ola"], NOW - timedelta(days=20), score=0.95)
    satisfy_all(session, assignments["piotr"], NOW - timedelta(days=20))
    factories.progress(
        session,
        assignments["kamran"],
        "listening",
        completion=True,
        success=True,
        score=0.85,
        at=NOW - timedelta(days=40),
    )
    factories.progress(session, assignments["kamran"], "personas", at=NOW - timedelta(days=2))
    satisfy_all(session, assignments["sofia"], NOW - timedelta(days=400), score=0.8)
    for name in ("ola", "sofia", "piotr"):
        assignments[name].state = "completed"
    assignments["ola"].completed_at = NOW - timedelta(days=20)
    assignments["sofia"].completed_at = NOW - timedelta(days=400)
    factories.certificate(
        session,
        assignments["sofia"],
        issued_at=NOW - timedelta(days=400),
        expires_at=NOW - timedelta(days=35),
    )
    session.commit()
    return Org(
        care,
        phone,
        digital,
        sales,
        manager,
        ola,
        kamran,
        sofia,
        piotr,
        course,
        refresher,
        assignments,
    )


def sign_in(client, employee: Employee) -> None:
    """Sign ``client`` in as ``employee`` (made by the factories, so with their password)."""
    response = client.post(
        "/cx/account/login", data={"email": employee.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
