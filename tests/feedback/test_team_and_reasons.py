"""The team's monthly view, the reason of remedial training on the learner's and manager's
pages (with links to the feedback items), and the administrators' API token page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from lms_cx.models import ApiToken, Assignment
from lms_cx.services.feedback_remedial import apply_remedial_rules
from lms_cx.services.feedback_team import team_feedback_month, team_feedback_scope
from lms_cx.services.publishing import publish_module
from tests import factories


def sign_in(client, employee) -> None:
    response = client.post(
        "/cx/account/login", data={"email": employee.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def _month_of_feedback(session, org, month_day: date) -> None:
    """Add a month of feedback: Agent 1 praised three times, Agent 2 once and one complaint."""
    at = datetime(month_day.year, month_day.month, 3, 10, tzinfo=UTC)
    agent1, agent2 = org.agents[:2]
    for offset, (who, csat, nps, comment, language) in enumerate(
        [
            (agent1, 5, 10, "Dziękuję, wszystko super.", "pl"),
            (agent1, 5, 9, "خیلی ممنونم، عالی بود.", "fa"),
            (agent1, 4, 9, None, None),
            (agent2, 4, 10, "Great service, thank you!", "en"),
            (agent2, 1, 2, "The agent was rude to me.", "en"),
            (org.outsider, 5, 10, "Outside the team.", "en"),
        ]
    ):
        factories.feedback_item(
            session,
            who,
            occurred_at=at + timedelta(hours=offset),
            csat=csat,
            nps=nps,
            comment=comment,
            language=language,
        )
    # Last month, for the trend.
    factories.feedback_item(session, agent1, occurred_at=at - timedelta(days=20), csat=2, nps=4)
    session.commit()


def test_the_month_counts_scores_themes_comments_and_recognition(session, org) -> None:
    """Test the figures of a team's month, computed here from the items above."""
    month = date(2026, 3, 1)
    _month_of_feedback(session, org, month)
    scope = team_feedback_scope(session, org.manager, None)
    view = team_feedback_month(session, scope, month, min_responses=5)
    assert view.figures.count == 5  # the outsider's item is another team's
    assert view.figures.csat.value == (5 + 5 + 4 + 4 + 1) / 5
    # Promoters 10, 9, 9, 10 of five; one detractor (2).
    assert view.figures.nps.value == 100 * (4 - 1) / 5
    assert (view.figures.positive, view.figures.negative) == (4, 1)
    assert view.recognition[0] == ("Agent 1", 3)
    assert [q.comment for q in view.complaints] == ["The agent was rude to me."]
    assert "Outside the team." not in [q.comment for q in view.praise]
    assert dict((code, count) for code, count, _neg in view.themes).get("communication") == 1
    february = next(m for m in view.trend if m.month == date(2026, 2, 1))
    assert february.count == 1 and february.csat.enough is False  # one response: too few


def test_the_team_sees_its_own_month_page(client, session, org) -> None:
    """Test an agent reads their own team's month (Polish and Persian comments), not another's."""
    today = datetime.now(UTC).date()
    _month_of_feedback(session, org, today)
    sign_in(client, org.agents[2])
    page = client.get("/cx/feedback/team")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dziękuję, wszystko super." in text and "Agent 1" in text
    assert "Outside the team." not in text
    # A team that is not theirs is simply not offered.
    assert (
        client.get(f"/cx/feedback/team?team={org.other_team.id}")
        .get_data(as_text=True)
        .count("Outside the team.")
        == 0
    )


def _remedial_setup(session, org, now):
    module = factories.learning_module(session, "remedial-tone", track="communication")
    publish_module(session, module)
    factories.remedial_rule(session, "communication", module=module, name="Tone")
    items = [
        factories.feedback_item(
            session,
            org.agents[0],
            occurred_at=now - timedelta(days=day),
            csat=1,
            comment=comment,
            language=language,
            tags=["tone"],
        )
        for day, comment, language in (
            (1, "Konsultant był niemiły; przykro mi.", "pl"),
            (2, "کارشناس بی‌ادب بود.", "fa"),
            (3, "The agent was rude to me.", "en"),
        )
    ]
    session.commit()
    (created,) = apply_remedial_rules(session, now=now)
    return session.get(Assignment, created.assignment_id), items


def test_the_learner_sees_why_with_links_to_the_feedback(client, session, org, now) -> None:
    """Test the assignment page: the reason, each comment, links that open the item."""
    assignment, items = _remedial_setup(session, org, now)
    sign_in(client, org.agents[0])
    page = client.get(f"/cx/learn/{assignment.id}/").get_data(as_text=True)
    assert "Why you were assigned this" in page
    assert "3 negative customer feedback items about Communication" in page
    assert "Konsultant był niemiły; przykro mi." in page
    for item in items:
        link = f"/cx/feedback/mine/{item.id}"
        assert link in page
        opened = client.get(link)
        assert opened.status_code == 200 and (item.comment in opened.get_data(as_text=True))
    # Someone else's feedback item is not found.
    other = factories.feedback_item(session, org.agents[1], occurred_at=now, csat=5)
    session.commit()
    assert client.get(f"/cx/feedback/mine/{other.id}").status_code == 404


def test_the_manager_sees_the_reason_on_the_drill_down(client, session, org, now) -> None:
    """Test the employee drill-down: the remedial reason with links to the feedback items."""
    _assignment, items = _remedial_setup(session, org, now)
    sign_in(client, org.manager)
    page = client.get(f"/cx/manager/people/{org.agents[0].id}").get_data(as_text=True)
    assert "3 negative customer feedback items about Communication" in page
    for item in items:
        assert f"/cx/feedback/{item.id}" in page
        assert client.get(f"/cx/feedback/{item.id}").status_code == 200


def test_an_administrator_creates_lists_and_revokes_tokens(client, session, login_as) -> None:
    """Test the token page: the secret once, then only its name; a revoked token is refused."""
    login_as("admin")
    created = client.post("/cx/feedback/tokens", data={"name": "Zendesk"})
    text = created.get_data(as_text=True)
    secret = text.split('class="secret" dir="ltr">')[1].split("<")[0]
    assert secret.startswith("lmscx_")
    listing = client.get("/cx/feedback/tokens").get_data(as_text=True)
    assert "Zendesk" in listing and secret not in listing
    headers = {"Authorization": f"Bearer {secret}"}
    payload = {"employee": "nobody@example.com", "occurred_at": "2026-03-01T10:00:00Z"}
    assert client.post("/cx/api/feedback", json=payload, headers=headers).status_code == 400
    token = session.scalar(sa.select(ApiToken).where(ApiToken.name == "Zendesk"))
    client.post(f"/cx/feedback/tokens/{token.id}/revoke")
    assert client.post("/cx/api/feedback", json=payload, headers=headers).status_code == 401
    assert client.post("/cx/feedback/tokens", data={"name": ""}).status_code == 422
