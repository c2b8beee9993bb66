"""Secrets never reach a log: passwords, LRS credential secrets, API tokens, SMTP passwords.

Every flow that handles a secret runs with logging captured at DEBUG from every logger, on
success and on failure (failures are where code tends to log what it was given). Neither the
secret nor its Base64 form (HTTP Basic) may appear in any record, nor in errors kept for people
to read (a tick's mail failures, the forwarding outbox's last errors).
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from lms_cx.db import get_session
from lms_cx.models.xapi import OutboxItem
from lms_cx.services.feedback_tokens import create_api_token
from lms_cx.services.tick import run_tick
from lms_cx.xapi.credentials import create_credential
from lms_cx.xapi.store import store_statements
from tests import factories
from tests.conftest import make_app
from tests.lifecycle.conftest import _Collector
from tests.net import free_port
from tests.xapi.conftest import make_statement

PASSWORD = "S3cret-pass-phrase"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every logger's records at DEBUG."""
    caplog.set_level(logging.DEBUG)
    return caplog


def leaked(caplog: pytest.LogCaptureFixture, *secrets: str) -> list[str]:
    """Return the records (formatted, with arguments and exception) holding any secret."""
    forms = {form for secret in secrets for form in (secret, _basic(secret))}
    found = []
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + str(record.exc_info or "")
        text += logging.Formatter().format(record)
        found += [f"{record.name}: {text[:200]}" for form in forms if form in text]
    return found


def _basic(secret: str) -> str:
    return base64.b64encode(secret.encode()).decode()


def test_signing_in_never_logs_the_password(client, session, logs) -> None:
    """Test right, wrong and locked-out sign-ins: the password is in no record."""
    person = factories.employee(session)
    session.commit()
    wrong = PASSWORD + "-wrong"
    for password in (wrong, factories.PASSWORD, *[wrong] * 6, factories.PASSWORD):
        client.post("/cx/account/login", data={"email": person.email, "password": password})
        client.post("/cx/account/logout")
    assert leaked(logs, wrong, factories.PASSWORD) == []


def test_lrs_credentials_never_logged(app: Flask, client, logs) -> None:
    """Test the LRS with right and wrong secrets and a bad statement: no secret logged."""
    with app.app_context():
        from lms_cx.db import get_session

        credential, secret = create_credential(
            get_session(), name="tool", scopes=["all"], homepage="https://tool.example.com"
        )
        get_session().commit()
        key = credential.key
    wrong = secret[::-1]
    for given, status in ((secret, 200), (wrong, 401)):
        token = base64.b64encode(f"{key}:{given}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
        assert client.get("/xapi/statements", headers=headers).status_code == status
        client.post("/xapi/statements", json={"actor": "not an agent"}, headers=headers)
        client.put("/xapi/activities/state?stateId=x", data=b"{", headers=headers)
    assert leaked(logs, secret, wrong, f"{key}:{secret}", f"{key}:{wrong}") == []


def test_api_tokens_never_logged(client, session, logs) -> None:
    """Test the feedback API with a right and a wrong token, good and bad bodies."""
    secret = create_api_token(session, "Help desk").secret
    session.commit()
    wrong = secret[:-4] + "abcd"
    for token, status in ((secret, 422), (wrong, 401)):
        headers = {"Authorization": f"Bearer {token}"}
        answer = client.post("/cx/api/feedback", json={"items": [{"csat": 9}]}, headers=headers)
        assert answer.status_code in (status, 400), answer.get_data(as_text=True)
        client.post("/cx/api/feedback", data=b"not json", headers=headers)
    assert leaked(logs, secret, wrong) == []


class _Refusing(_Collector):
    """An SMTP server that asks for a login and refuses every password."""


def _refuse(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=False, handled=False)


@pytest.mark.parametrize("password", [PASSWORD, PASSWORD + "-zażółć"])
def test_smtp_password_never_logged(app: Flask, session, logs, password: str) -> None:
    """Test a digest run against a server that refuses the login: the password is neither
    logged nor in the failure the tick reports."""
    controller = Controller(
        _Refusing(),
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_refuse,
        auth_require_tls=False,
    )
    controller.start()
    try:
        app.config.update(
            LMS_CX_MAIL_HOST="127.0.0.1",
            LMS_CX_MAIL_PORT=controller.port,
            LMS_CX_MAIL_USERNAME="lms",
            LMS_CX_MAIL_PASSWORD=password,
            LMS_CX_MAIL_DIGEST_HOUR=0,
        )
        learner = factories.employee(session)
        module = factories.learning_module(session, "due")
        now = datetime.now(UTC).replace(hour=12)
        factories.assignment(session, learner, module=module, due_at=now - timedelta(days=1))
        session.commit()
        with app.app_context():
            report = run_tick(session, now)
    finally:
        controller.stop()
    assert report.mail_failures, "the server refused the login, so the digest must fail"
    assert not any(password in failure for failure in report.mail_failures)
    assert leaked(logs, password) == []


@pytest.fixture
def refusing_lrs() -> Iterator[tuple[str, list[str]]]:
    """Run an LRS on 127.0.0.1 that refuses every request (401); yield its endpoint and the
    Authorization headers it was sent."""
    seen: list[str] = []

    def refuse(environ: dict, start_response) -> list[bytes]:
        seen.append(Request(environ).headers.get("Authorization", ""))
        answer = Response("Unauthorized", status=401, headers={"WWW-Authenticate": "Basic"})
        return answer(environ, start_response)

    server = make_server("127.0.0.1", 0, refuse, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/xapi/", seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("password", [PASSWORD, PASSWORD + "-zażółć"])
def test_forwarding_password_never_logged(
    database_url: str, refusing_lrs: tuple[str, list[str]], logs, password: str
) -> None:
    """Test a forwarding drain against an LRS that refuses and one that is unreachable: the
    password is in no record, no stored last error and nothing the CLI prints."""
    refusing, seen = refusing_lrs
    forward = [
        {"name": name, "endpoint": endpoint, "username": "fwd", "password": password}
        for name, endpoint in (
            ("refusing", refusing),
            ("unreachable", f"http://127.0.0.1:{free_port()}/xapi/"),
        )
    ]
    app = make_app(
        database_url,
        LMS_CX_XAPI_FORWARD=forward,
        LMS_CX_XAPI_FORWARD_BACKOFF_SECONDS=0,
        LMS_CX_XAPI_FORWARD_MAX_ATTEMPTS=2,
        LMS_CX_XAPI_FORWARD_TIMEOUT=2,
    )
    try:
        with app.app_context():
            store_statements(get_session(), [make_statement(activity=f"l-{n}") for n in range(3)])
        runner = app.test_cli_runner()
        printed = [runner.invoke(args=["lms-cx", "xapi", "forward"]) for _ in range(2)]
        printed.append(runner.invoke(args=["lms-cx", "xapi", "status"]))
        with app.app_context():
            errors = get_session().scalars(sa.select(OutboxItem.last_error)).all()
    finally:
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()
    basic = _basic(f"fwd:{password}")
    assert seen and all(header == f"Basic {basic}" for header in seen), "the LRS was asked"
    assert len(errors) == 6 and all(errors), errors
    assert any("HTTP 401" in error for error in errors)
    assert any("ConnectError" in error for error in errors)
    kept = "\n".join([*errors, *(result.output for result in printed)])
    assert "HTTP 401" in kept and "ConnectError" in kept
    assert password not in kept and basic not in kept and _basic(password) not in kept
    assert leaked(logs, password, f"fwd:{password}") == []
