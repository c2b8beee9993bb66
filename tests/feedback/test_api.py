"""The REST endpoint for live feedback: bearer tokens, the shared validation, JSON errors."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms_cx.models import ApiToken, FeedbackImport, FeedbackItem
from lms_cx.services.feedback_tokens import create_api_token, revoke_api_token
from tests import factories
from tests.conftest import make_app

URL = "/cx/api/feedback"


def _item(now, **fields) -> dict:
    return {
        "employee": "A1",
        "occurred_at": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "channel": "chat",
        "csat": 2,
        "comment": "Czekałem godzinę na odpowiedź",
        "source": "zendesk",
        "external_id": "ZD-1",
        **fields,
    }


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_requests_without_a_valid_token_get_401(client, session, org, now, api_token) -> None:
    """Test that no token, a malformed one, an unknown one and a revoked one all get 401."""
    body = _item(now)
    assert client.post(URL, json=body).status_code == 401
    assert client.post(URL, json=body, headers={"Authorization": "Basic abc"}).status_code == 401
    unknown = client.post(URL, json=body, headers=_auth("lmscx_" + "x" * 43))
    assert unknown.status_code == 401
    assert unknown.get_json()["error"] == "unauthorized"
    assert unknown.headers["WWW-Authenticate"].startswith("Bearer")
    token = session.scalar(sa.select(ApiToken))
    revoke_api_token(session, token.id)
    assert client.post(URL, json=body, headers=_auth(api_token)).status_code == 401
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0


def test_a_token_without_the_scope_gets_403(client, session, org, now) -> None:
    """Test that a token lacking feedback:write is refused."""
    token = create_api_token(session, "Reader", scopes=["feedback:write"])
    row = session.get(ApiToken, token.id)
    row.scopes = ["reviews:read"]
    session.commit()
    assert client.post(URL, json=_item(now), headers=_auth(token.secret)).status_code == 403


def test_tokens_are_stored_hashed(session) -> None:
    """Test that the database never holds the token itself."""
    token = create_api_token(session, "Help desk")
    row = session.get(ApiToken, token.id)
    assert token.secret.startswith("lmscx_") and token.secret not in row.token_hash
    assert len(row.token_hash) == 64


def test_one_item_is_created_then_updated_with_themes(client, session, org, now, api_token) -> None:
    """Test that posting an item creates it (201) and posting it changed updates it (200)."""
    created = client.post(URL, json=_item(now), headers=_auth(api_token))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "created" and body["external_id"] == "ZD-1"
    assert body["themes"] == [{"track": "problem_solving", "reason": "keyword:pl:czekał:Czekałem"}]
    again = client.post(URL, json=_item(now), headers=_auth(api_token))
    assert (again.status_code, again.get_json()["status"]) == (200, "unchanged")
    changed = client.post(URL, json=_item(now, csat=1, tags=["tone"]), headers=_auth(api_token))
    assert changed.get_json()["status"] == "updated"
    assert changed.get_json()["themes"] == [{"track": "communication", "reason": "tag:tone"}]
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 1
    assert session.scalar(sa.select(ApiToken.last_used_at)) is not None


def test_invalid_items_get_400_naming_each_field(client, session, org, now, api_token) -> None:
    """Test that the API validates like the CSV import and names every bad field."""
    response = client.post(
        URL,
        json=_item(now, employee="nobody", csat=9, nps="x", occurred_at="tomorrow", colour="red"),
        headers=_auth(api_token),
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid_feedback"
    assert {error["field"] for error in body["errors"]} == {
        "employee",
        "csat",
        "nps",
        "occurred_at",
        "colour",
    }
    not_json = client.post(URL, data="csat=1", headers=_auth(api_token))
    assert not_json.status_code == 400 and not_json.get_json()["error"] == "invalid_json"
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0


def test_a_batch_is_all_or_nothing(client, session, org, now, api_token) -> None:
    """Test that a batch with one bad item stores nothing, and a good batch stores all."""
    good = [_item(now, external_id=f"ZD-{n}") for n in range(3)]
    bad = [*good, _item(now, external_id="ZD-9", csat=0)]
    refused = client.post(URL, json={"items": bad}, headers=_auth(api_token))
    assert refused.status_code == 400
    assert [error["field"] for error in refused.get_json()["errors"]] == ["items[3].csat"]
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0
    stored = client.post(URL, json=good, headers=_auth(api_token))
    assert stored.status_code == 201
    body = stored.get_json()
    assert (body["created"], body["updated"], body["unchanged"]) == (3, 0, 0)
    assert session.get(FeedbackImport, body["import_id"]).rows_total == 3


def test_the_api_applies_remedial_rules(client, session, org, now, api_token) -> None:
    """Test that live feedback crossing a threshold assigns remedial training at once."""
    module = factories.track_module(session, "fcr", "problem_solving")
    factories.remedial_rule(session, "problem_solving", module=module)
    session.commit()
    items = [_item(now, external_id=f"ZD-{n}") for n in range(3)]
    body = client.post(URL, json={"items": items}, headers=_auth(api_token)).get_json()
    assert body["remedial_assignments"] == 1


def test_the_api_works_with_csrf_protection_on(database_url) -> None:
    """Test that the token-authenticated API is exempt from CSRF while forms stay protected."""
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        agent = factories.employee(session)
        agent.external_id = "A1"
        session.commit()
        secret = create_api_token(session, "Help desk").secret
        now = agent.created_at
    response = app.test_client().post(URL, json=_item(now), headers=_auth(secret))
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def test_the_api_is_exempt_when_the_host_set_up_csrf_first(database_url) -> None:
    """Test that a host app whose CSRFProtect predates lms_cx still lets the API through."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from lms_cx import LmsCx
    from lms_cx.db import Base
    from lms_cx.services.tracks import ensure_default_tracks

    app = Flask("host")
    app.config.update(
        SECRET_KEY="host-secret-key-for-tests", TESTING=True, LMS_CX_DATABASE_URL=database_url
    )
    CSRFProtect(app)
    LmsCx(app)
    with app.app_context():
        Base.metadata.create_all(app.extensions["sqlalchemy"].engine)
        session = app.extensions["sqlalchemy"].session
        ensure_default_tracks(session)
        agent = factories.employee(session)
        agent.external_id = "A1"
        session.commit()
        secret = create_api_token(session, "Help desk").secret
        now = agent.created_at
    response = app.test_client().post(URL, json=_item(now), headers=_auth(secret))
    assert response.status_code == 201, response.get_data(as_text=True)
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
