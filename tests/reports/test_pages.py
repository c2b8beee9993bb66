"""The team readiness page, the drill-down and the one-click refresher, through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lms_cx.models import Assignment, Notification, QuizAttempt
from lms_cx.models.people import Employee
from lms_cx.services.publishing import latest_module_version
from tests import factories
from tests.conftest import make_app
from tests.reports.conftest import sign_in


def test_page_shows_summary_heatmap_chart_and_table(client, org) -> None:
    """Test that the page has the summary, both charts and a row per person with statuses."""
    sign_in(client, org.manager)
    page = client.get("/cx/manager/").get_data(as_text=True)
    assert "Ready, by track" in page and "2 of 3 ready" in page
    assert 'class="heatmap"' in page and "<svg" in page and 'role="img"' in page
    assert "Needs refresh" in page and "a certificate has expired" in page
    assert "onboarding late" in page


def test_overdue_filter_keeps_people_with_overdue_work(client, org) -> None:
    """Test that "overdue only" lists Kamran (overdue onboarding) and nobody else."""
    sign_in(client, org.manager)
    page = client.get("/cx/manager/?overdue=1").get_data(as_text=True)
    table = page[page.index('class="data readiness"') :]
    assert "کامران مرادی" in table and "Ola Zielińska" not in table


def test_status_and_track_filters_combine(client, org) -> None:
    """Test that filtering by track and status shows the matching people and only that track."""
    sign_in(client, org.manager)
    page = client.get("/cx/manager/?track=persona_awareness&status=in_progress")
    table = page.get_data(as_text=True).split('class="data readiness"')[1]
    assert "کامران مرادی" in table and "Sofia Marques" not in table
    assert "Problem solving" not in table


def test_sorting_by_a_track_column(client, org) -> None:
    """Test that a column heading link sorts, and marks the column as sorted."""
    sign_in(client, org.manager)
    page = client.get("/cx/manager/?sort=track:communication").get_data(as_text=True)
    table = page.split('class="data readiness"')[1]
    assert table.index("Sofia Marques") < table.index("Ola Zielińska")
    assert 'aria-sort="ascending"' in table


def test_large_team_is_paginated(client, org, session) -> None:
    """Test that a team of 60 shows 50 people per page with links to the other page."""
    session.add_all(
        Employee(email=f"p{n}@example.com", display_name=f"Agent {n:02d}", team_id=org.phone.id)
        for n in range(57)
    )
    session.commit()
    sign_in(client, org.manager)
    first = client.get("/cx/manager/").get_data(as_text=True)
    assert "Showing 1–50 of 60" in first and 'rel="next"' in first
    second = client.get("/cx/manager/?page=2").get_data(as_text=True)
    assert "Showing 51–60 of 60" in second and "Sofia Marques" in second


def test_drill_down_shows_assignments_attempts_certificates_and_feedback(
    client, org, session
) -> None:
    """Test that an employee's page lists what they were assigned and why, attempts, and more."""
    version = latest_module_version(session, org.course.course_modules[0].module_id)
    session.add(
        QuizAttempt(
            assignment_id=org.assignments["sofia"].id,
            employee_id=org.sofia.id,
            module_id=version.module_id,
            module_version_id=version.id,
            number=1,
            status="submitted",
            started_at=datetime(2025, 1, 20, 9, tzinfo=UTC),
            submitted_at=datetime(2025, 1, 20, 9, 30, tzinfo=UTC),
            score_scaled=0.75,
            passed=False,
        )
    )
    factories.feedback_item(
        session,
        org.sofia,
        occurred_at=datetime.now(UTC) - timedelta(days=3),
        csat=2,
        comment="Nobody could tell me why my bill went up.",
        tags=["billing"],
    )
    org.assignments["sofia"].reason = "New-hire onboarding"
    session.commit()
    sign_in(client, org.manager)
    page = client.get(f"/cx/manager/people/{org.sofia.id}").get_data(as_text=True)
    assert "Course first-weeks" in page and "New-hire onboarding" in page
    assert "Module listening" in page and "75%" in page and "Not passed" in page
    assert "CX-TEST-" in page and "Expired" in page
    assert "Nobody could tell me why my bill went up." in page
    assert "Assign refresher" in page


def test_assigning_a_refresher_creates_a_manual_assignment_once(client, org, session) -> None:
    """Test that the refresher button assigns the track's module, with a reason, only once."""
    sign_in(client, org.manager)
    path = f"/cx/manager/people/{org.kamran.id}/refresher"
    response = client.post(path, data={"track": "communication"}, follow_redirects=True)
    assert "Refresher assigned to" in response.get_data(as_text=True)
    again = client.post(path, data={"track": "communication"}, follow_redirects=True)
    assert "already has this refresher open" in again.get_data(as_text=True)
    rows = session.scalars(
        sa.select(Assignment).where(
            Assignment.employee_id == org.kamran.id, Assignment.module_id == org.refresher.id
        )
    ).all()
    assert len(rows) == 1
    assert rows[0].source == "manual" and rows[0].assigned_by_id == org.manager.id
    assert "Maria Kowal" in rows[0].reason and rows[0].reason_data["track"] == "communication"
    assert rows[0].due_at is not None
    assert session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.employee_id == org.kamran.id)
    )


def test_refresher_for_a_track_without_a_module_is_refused(client, org, session) -> None:
    """Test that a track with no published module gives a clear message and assigns nothing."""
    sign_in(client, org.manager)
    response = client.post(
        f"/cx/manager/people/{org.kamran.id}/refresher",
        data={"track": "no-such-track"},
        follow_redirects=True,
    )
    assert "There is no such competency track." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 4


def test_refresher_needs_the_csrf_token(database_url, org, session) -> None:
    """Test that with CSRF protection on, a refresher POST without its token is refused."""
    app = make_app(database_url, create_schema=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/cx/account/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/cx/account/login",
        data={"email": org.manager.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    response = client.post(
        f"/cx/manager/people/{org.kamran.id}/refresher", data={"track": "communication"}
    )
    assert response.status_code == 400
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 4
