"""The demo organisation: people, teams, feedback, sign-ins, loaded once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms_cx.db import utcnow
from lms_cx.models import Assignment, Course, FeedbackItem, ReviewCycle
from lms_cx.models.people import Employee, Team
from lms_cx.services.demo import (
    DEMO_PASSWORD,
    FEEDBACK_DAYS,
    PEOPLE,
    REVIEW_CYCLE_NAME,
    demo_email,
    load_demo,
)


def test_demo_creates_the_organisation_once(session) -> None:
    """Test that loading the demo twice creates everything once and then changes nothing."""
    first = load_demo(session)
    counts = (
        session.scalar(sa.select(sa.func.count(Employee.id))),
        session.scalar(sa.select(sa.func.count(Team.id))),
        session.scalar(sa.select(sa.func.count(FeedbackItem.id))),
    )
    second = load_demo(session)
    assert first.created and not second.created
    assert counts[0] == len(PEOPLE)
    assert counts[1] == 3  # the department and its two teams
    assert counts[2] == first.feedback_items > 100
    assert (
        session.scalar(sa.select(sa.func.count(Employee.id))),
        session.scalar(sa.select(sa.func.count(Team.id))),
        session.scalar(sa.select(sa.func.count(FeedbackItem.id))),
    ) == counts


def test_demo_feedback_spans_months_and_three_languages(session) -> None:
    """Test that the demo feedback covers a few months, in English, Polish and Persian."""
    load_demo(session)
    oldest = session.scalar(sa.select(sa.func.min(FeedbackItem.occurred_at)))
    languages = set(session.scalars(sa.select(FeedbackItem.language).distinct()))
    assert utcnow() - oldest > timedelta(days=FEEDBACK_DAYS - 10)
    assert {"en", "pl", "fa"} <= languages
    assert session.scalar(sa.select(sa.func.count()).where(FeedbackItem.csat <= 2)) > 0


def test_demo_new_hires_have_different_hire_dates(session) -> None:
    """Test that the new hires span their first days to their first months."""
    load_demo(session)
    hires = session.scalars(sa.select(Employee.hire_date).where(Employee.job_role == "agent"))
    days = sorted((utcnow().date() - hired).days for hired in hires)
    assert days[0] < 10 and days[-1] > 365 and len(set(days)) == len(days)


def test_demo_manager_manages_both_teams_through_the_department(session) -> None:
    """Test that the demo manager sees both teams through the nesting of teams."""
    from lms_cx.services.people import team_ids_managed_by

    load_demo(session)
    manager = session.scalar(sa.select(Employee).where(Employee.email == demo_email("manager")))
    names = set(
        session.scalars(
            sa.select(Team.name).where(Team.id.in_(team_ids_managed_by(session, manager)))
        )
    )
    assert names == {"Customer Care", "Frontline Phone", "Digital Channels"}


def test_demo_assigns_loaded_courses_once(session) -> None:
    """Test that onboarding goes to new hires and the refresher to veterans when loaded."""
    session.add_all(
        [
            Course(slug="cx-onboarding", title={"en": "Onboarding"}, lifecycle_stage="onboarding"),
            Course(slug="cx-refresher", title={"en": "Refresher"}, lifecycle_stage="ongoing"),
        ]
    )
    session.commit()
    assert load_demo(session).assignments == 8
    assert load_demo(session).assignments == 0
    overdue = session.scalar(
        sa.select(sa.func.count()).where(Assignment.due_at < utcnow(), Assignment.state == "open")
    )
    assert overdue >= 2


def test_every_demo_login_reaches_its_home(app, session) -> None:
    """Test that each printed demo sign-in works and lands on a page that renders."""
    load_demo(session)
    for key, name, *_rest in PEOPLE:
        client = app.test_client()
        response = client.post(
            "/cx/account/login", data={"email": demo_email(key), "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, key
        home = client.get("/cx/", follow_redirects=True)
        assert home.status_code == 200, key
        assert name in home.get_data(as_text=True)


def test_demo_manager_home_lists_the_team(app, session) -> None:
    """Test that the demo manager's home lists team members, not the manager."""
    load_demo(session)
    client = app.test_client()
    client.post(
        "/cx/account/login", data={"email": demo_email("manager"), "password": DEMO_PASSWORD}
    )
    page = client.get("/cx/manager/").get_data(as_text=True)
    assert "Sofia Marques" in page and "Ali Hosseini" in page
    assert page.count("Agnieszka Wiśniewska") == 1  # the header only


def test_demo_command_prints_the_sign_ins(runner) -> None:
    """Test that `flask lms-cx demo load` prints every sign-in and the password."""
    result = runner.invoke(args=["lms-cx", "demo", "load"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    for key, *_rest in PEOPLE:
        assert demo_email(key) in result.output


def test_demo_opens_one_review_cycle_of_the_agents(session) -> None:
    """Test that the demo has a review cycle with a packet per agent, and only one."""
    load_demo(session)
    load_demo(session)
    cycles = session.scalars(sa.select(ReviewCycle)).all()
    assert [(cycle.name, cycle.status) for cycle in cycles] == [(REVIEW_CYCLE_NAME, "open")]
    agents = session.scalars(sa.select(Employee.id).where(Employee.job_role == "agent")).all()
    assert sorted(packet.employee_id for packet in cycles[0].packets) == sorted(agents)
    assert len(agents) == 8
