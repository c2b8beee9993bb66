"""Who sees whose readiness: managers their teams and sub-teams, admins everyone, no one else."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms_cx.models import Assignment
from tests import factories
from tests.reports.conftest import sign_in

#: Every readiness route, with the method it answers.
TEAM_ROUTES = [
    ("get", "/cx/manager/"),
    ("get", "/cx/manager/readiness.csv"),
    ("get", "/cx/manager/readiness.pdf"),
]
ORGANISATION_ROUTES = [
    ("get", "/cx/manager/organisation"),
    ("get", "/cx/manager/organisation.csv"),
    ("get", "/cx/manager/organisation.pdf"),
]


def person_routes(employee_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/cx/manager/people/{employee_id}"),
        ("post", f"/cx/manager/people/{employee_id}/refresher"),
    ]


def call(client, method: str, path: str):
    if method == "post":
        return client.post(path, data={"track": "communication"})
    return client.get(path)


def test_manager_sees_their_teams_and_sub_teams_only(client, org) -> None:
    """Test that the manager's page lists the sub-teams' people, not another team's, not them."""
    sign_in(client, org.manager)
    page = client.get("/cx/manager/").get_data(as_text=True)
    assert "Ola Zielińska" in page and "کامران مرادی" in page and "Sofia Marques" in page
    assert "Piotr Lewandowski" not in page
    assert page.count("Maria Kowal") == 1  # the header only


def test_picking_a_sub_team_narrows_the_page(client, org) -> None:
    """Test that the team filter shows that team (and its sub-teams) only."""
    sign_in(client, org.manager)
    page = client.get(f"/cx/manager/?team={org.digital.id}").get_data(as_text=True)
    assert "کامران مرادی" in page and "Ola Zielińska" not in page


@pytest.mark.parametrize(("method", "path"), TEAM_ROUTES)
def test_guessing_another_teams_id_is_not_found(client, org, method, path) -> None:
    """Test that a team outside the manager's scope answers 404 on the page and exports."""
    sign_in(client, org.manager)
    assert call(client, method, f"{path}?team={org.sales.id}").status_code == 404
    assert call(client, method, f"{path}?team=999999").status_code == 404


@pytest.mark.parametrize("route", [0, 1])
def test_guessing_another_teams_employee_is_not_found(client, org, session, route) -> None:
    """Test that an employee outside the scope, unknown or inactive, answers 404."""
    sign_in(client, org.manager)
    org.sofia.is_active = False
    session.commit()
    for employee_id in (org.piotr.id, 999999, org.sofia.id, org.manager.id):
        method, path = person_routes(employee_id)[route]
        assert call(client, method, path).status_code == 404, employee_id
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 4  # nothing assigned


def test_sub_team_manager_sees_their_sub_team_only(client, org, session) -> None:
    """Test that a manager of one sub-team sees neither the sibling team nor the parent."""
    lead = factories.employee(session, roles=("manager",), manages=[org.digital])
    session.commit()
    sign_in(client, lead)
    page = client.get("/cx/manager/").get_data(as_text=True)
    assert "کامران مرادی" in page and "Ola Zielińska" not in page
    assert client.get(f"/cx/manager/people/{org.ola.id}").status_code == 404
    assert client.get(f"/cx/manager/?team={org.care.id}").status_code == 404


@pytest.mark.parametrize("roles", [("learner",), ("trainer", "learner")])
def test_learners_and_trainers_are_refused(client, org, login_as, roles) -> None:
    """Test that every readiness route answers 403 to learners and trainers."""
    login_as(*roles)
    for method, path in [*TEAM_ROUTES, *ORGANISATION_ROUTES, *person_routes(org.ola.id)]:
        assert call(client, method, path).status_code == 403, path


def test_managers_are_refused_the_organisation_report(client, org) -> None:
    """Test that the organisation-wide report is for administrators only."""
    sign_in(client, org.manager)
    for method, path in ORGANISATION_ROUTES:
        assert call(client, method, path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(client, org) -> None:
    """Test that readiness routes redirect anonymous visitors to the sign-in page."""
    for method, path in [*TEAM_ROUTES, *ORGANISATION_ROUTES, *person_routes(org.ola.id)]:
        response = call(client, method, path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_admins_see_everyone(client, org, login_as) -> None:
    """Test that an administrator sees every team's people, their pages and the organisation."""
    login_as("admin")
    page = client.get("/cx/manager/").get_data(as_text=True)
    assert "Piotr Lewandowski" in page and "Ola Zielińska" in page
    assert client.get(f"/cx/manager/people/{org.piotr.id}").status_code == 200
    assert client.get(f"/cx/manager/?team={org.sales.id}").status_code == 200
    organisation = client.get("/cx/manager/organisation").get_data(as_text=True)
    assert "Sales" in organisation and "Customer Care" in organisation
