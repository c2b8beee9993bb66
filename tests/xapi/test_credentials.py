"""LRS credentials: scopes, authority, the create/list/revoke commands."""

from __future__ import annotations

import base64
import json
import time

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from lms_cx.db import get_session, utcnow
from lms_cx.models.xapi import LrsCredential
from lms_cx.xapi.credentials import CACHE_EXTENSION, revoke_credential
from tests.xapi.conftest import basic_auth, credential_headers, make_statement

STATEMENTS = "/xapi/statements"
STATE = "/xapi/activities/state"
STATE_PARAMS = {
    "activityId": "http://example.com/a",
    "agent": json.dumps({"mbox": "mailto:a@example.com"}),
    "stateId": "s",
}


def post(client: FlaskClient, headers: dict, body: object) -> int:
    response = client.post(
        STATEMENTS, data=json.dumps(body), headers=headers, content_type="application/json"
    )
    return response.status_code


def test_scopes_allow_and_forbid(app: Flask, client: FlaskClient) -> None:
    """Test that each scope opens its resources and the others answer 403."""
    writer = credential_headers(app, "statements/write", name="writer")
    reader = credential_headers(app, "statements/read", name="reader")
    state = credential_headers(app, "state", name="state")
    profile = credential_headers(app, "profile", name="profile")
    assert post(client, writer, make_statement()) == 200
    assert client.get(STATEMENTS, headers=writer).status_code == 403
    assert post(client, reader, make_statement()) == 403
    assert client.get(STATEMENTS, headers=reader).status_code == 200
    assert (
        client.put(
            STATE,
            query_string=STATE_PARAMS,
            data="{}",
            headers=state,
            content_type="application/json",
        ).status_code
        == 204
    )
    assert client.get(STATE, query_string=STATE_PARAMS, headers=profile).status_code == 403
    assert client.get(STATE, query_string=STATE_PARAMS, headers=reader).status_code == 403


def test_read_mine_sees_only_own_statements(app: Flask, client: FlaskClient) -> None:
    """Test that statements/read/mine returns only statements stored by the same credential."""
    mine = credential_headers(app, "statements/write", "statements/read/mine", name="mine")
    other = credential_headers(app, "statements/write", name="other")
    assert post(client, mine, make_statement(activity="mine")) == 200
    assert post(client, other, make_statement(activity="other")) == 200
    found = client.get(STATEMENTS, headers=mine).json["statements"]
    assert [s["object"]["id"].rsplit("/", 1)[1] for s in found] == ["mine"]


def test_authority_follows_the_credential(app: Flask, client: FlaskClient) -> None:
    """Test that the stored authority is the credential's Agent, whatever was sent."""
    headers = credential_headers(app, "all", name="Storyline course")
    statement = make_statement(authority={"mbox": "mailto:forged@example.com"})
    [statement_id] = client.post(
        STATEMENTS, data=json.dumps(statement), headers=headers, content_type="application/json"
    ).json
    stored = client.get(
        STATEMENTS, query_string={"statementId": statement_id}, headers=headers
    ).json
    assert stored["authority"]["name"] == "Storyline course"
    assert stored["authority"]["account"]["homePage"] == "https://lms-cx.example.com"


def test_cli_create_list_revoke(app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    """Test that `flask lms-cx lrs credentials create/list/revoke` work end to end."""
    result = runner.invoke(
        args=[
            "lms-cx",
            "lrs",
            "credentials",
            "create",
            "--name",
            "H5P",
            "--scope",
            "statements/write",
            "--scope",
            "state",
            "--key",
            "h5p-key",
            "--secret",
            "s3cret-value",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "key:    h5p-key" in result.output and "secret: s3cret-value" in result.output
    headers = basic_auth("h5p-key", "s3cret-value") | {"X-Experience-API-Version": "1.0.3"}
    assert post(client, headers, make_statement()) == 200
    generated = runner.invoke(
        args=["lms-cx", "lrs", "credentials", "create", "--name", "x", "--scope", "all"]
    )
    assert generated.exit_code == 0 and "secret: " in generated.output
    listing = runner.invoke(args=["lms-cx", "lrs", "credentials", "list"])
    assert "h5p-key  H5P  [state, statements/write]" in listing.output
    assert "active" in listing.output
    result = runner.invoke(args=["lms-cx", "lrs", "credentials", "revoke", "h5p-key"])
    assert result.exit_code == 0, result.output
    assert post(client, headers, make_statement()) == 401
    assert "revoked" in runner.invoke(args=["lms-cx", "lrs", "credentials", "list"]).output


def test_cli_refuses_bad_input(runner: FlaskCliRunner) -> None:
    """Test that unknown scopes and duplicate keys are refused with a clear message."""
    result = runner.invoke(
        args=["lms-cx", "lrs", "credentials", "create", "--name", "x", "--scope", "everything"]
    )
    assert result.exit_code != 0 and "everything" in result.output
    args = ["lms-cx", "lrs", "credentials", "create", "--name", "x", "--scope", "all", "--key", "k"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "already exists" in again.output
    result = runner.invoke(args=["lms-cx", "lrs", "credentials", "revoke", "nope"])
    assert result.exit_code != 0 and "no credential" in result.output


def _revoke_from_another_process(app: Flask, headers: dict) -> None:
    """Revoke the credential of ``headers`` in the table only, as another process would."""
    key = base64.b64decode(headers["Authorization"].split()[1]).decode().partition(":")[0]
    with app.app_context():
        session = get_session()
        session.execute(
            sa.update(LrsCredential).where(LrsCredential.key == key).values(revoked_at=utcnow())
        )
        session.commit()


def test_revocation_elsewhere_takes_effect_within_the_cache_time(
    app: Flask, client: FlaskClient
) -> None:
    """Test that a credential revoked by another process is refused once its cached row expires."""
    app.config["LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS"] = 0.3
    app.extensions.pop(CACHE_EXTENSION, None)
    headers = credential_headers(app, "all")
    assert post(client, headers, make_statement()) == 200
    _revoke_from_another_process(app, headers)
    time.sleep(0.35)
    assert post(client, headers, make_statement()) == 401


def test_credential_cache_off_reads_the_row_on_every_request(
    app: Flask, client: FlaskClient
) -> None:
    """Test that with LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS = 0 a revocation counts at once."""
    app.config["LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS"] = 0
    app.extensions.pop(CACHE_EXTENSION, None)
    headers = credential_headers(app, "all")
    assert post(client, headers, make_statement()) == 200
    _revoke_from_another_process(app, headers)
    assert post(client, headers, make_statement()) == 401


def test_revoking_in_this_process_drops_the_cached_credential(
    app: Flask, client: FlaskClient
) -> None:
    """Test that revoke_credential refuses the credential at once, however long rows are cached."""
    app.config["LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS"] = 3600
    app.extensions.pop(CACHE_EXTENSION, None)
    headers = credential_headers(app, "all")
    assert post(client, headers, make_statement()) == 200
    key = base64.b64decode(headers["Authorization"].split()[1]).decode().partition(":")[0]
    with app.app_context():
        revoke_credential(get_session(), key)
        get_session().commit()
    assert post(client, headers, make_statement()) == 401
