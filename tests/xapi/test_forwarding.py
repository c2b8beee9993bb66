"""Forwarding: a real HTTP LRS stand-in on 127.0.0.1, stopped mid-run and started again."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import tinyhtml5
from flask import Flask
from flask.testing import FlaskCliRunner
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from lms_cx.db import get_session
from lms_cx.models.xapi import OutboxItem
from lms_cx.xapi.forwarding import ForwardSettings, drain_outbox
from lms_cx.xapi.outbox import outbox_status
from lms_cx.xapi.store import store_statements
from tests import factories
from tests.conftest import make_app
from tests.net import free_port
from tests.xapi.conftest import make_statement


class StandInLrs:
    """A tiny LRS: POST /xapi/statements stores by id; it can fail one request on purpose."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.received: Counter[str] = Counter()
        self.requests = 0
        self.fail_request: int | None = None
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.port = free_port()

    def app(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        self.requests += 1
        assert request.headers["X-Experience-API-Version"] == "1.0.3"
        assert request.authorization.username == "fwd"
        statements = json.loads(request.get_data())
        for statement in statements:
            self.received[statement["id"]] += 1
            self.stored.setdefault(statement["id"], statement)
        if self.requests == self.fail_request:
            # Stored, but the answer never says so: the sender must retry (a harmless re-send).
            return Response("overloaded", status=503)(environ, start_response)
        ids = [statement["id"] for statement in statements]
        return Response(json.dumps(ids), mimetype="application/json")(environ, start_response)

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xapi/"


@pytest.fixture
def stand_in() -> Iterator[StandInLrs]:
    lrs = StandInLrs()
    lrs.start()
    yield lrs
    with contextlib.suppress(Exception):
        lrs.stop()


def forwarding_app(database_url: str, endpoint: str) -> Flask:
    forward = [{"name": "standin", "endpoint": endpoint, "username": "fwd", "password": "pw"}]
    return make_app(
        database_url,
        LMS_CX_XAPI_FORWARD=forward,
        LMS_CX_XAPI_FORWARD_BATCH_SIZE=10,
        LMS_CX_XAPI_FORWARD_BACKOFF_SECONDS=0,
        LMS_CX_XAPI_FORWARD_TIMEOUT=2,
    )


def test_delivered_exactly_once_by_id_across_a_stop_and_restart(
    database_url: str, stand_in: StandInLrs
) -> None:
    """Test that every statement arrives exactly once by id though the LRS stops mid-run."""
    app = forwarding_app(database_url, stand_in.endpoint)
    stand_in.fail_request = 2
    with app.app_context():
        session = get_session()
        ids = []
        for start in range(0, 60, 20):
            batch = [make_statement(activity=f"lesson-{n}") for n in range(start, start + 20)]
            ids += [str(i) for i in store_statements(session, batch)]
        first = drain_outbox(session, app.config, max_batches=3)
        assert first.delivered == 10 and first.failed == 10  # batch 2 was stored, not acked
        stand_in.stop()
        while_down = drain_outbox(session, app.config)
        assert while_down.delivered == 0 and while_down.failed > 0
        assert "ConnectError" in while_down.errors[0]
        status = outbox_status(session)
        assert status.pending == 50 and status.recent_errors
        stand_in.start()
        for _ in range(10):
            report = drain_outbox(session, app.config)
            if outbox_status(session).pending == 0:
                break
        assert outbox_status(session).pending == 0
        assert set(stand_in.stored) == set(ids)
        assert all(stand_in.stored[i]["id"] == i for i in ids)
        assert max(stand_in.received.values()) == 2  # the unacknowledged batch, sent again
        items = session.scalars(sa.select(OutboxItem)).all()
        assert {item.status for item in items} == {"delivered"}
        assert report.dead == 0
        app.extensions["sqlalchemy"].engine.dispose()


def test_items_die_after_the_last_attempt_and_are_kept(database_url: str) -> None:
    """Test that an item out of attempts is marked dead with its error, not dropped."""
    app = forwarding_app(database_url, "http://127.0.0.1:9/xapi/")
    app.config["LMS_CX_XAPI_FORWARD_MAX_ATTEMPTS"] = 2
    with app.app_context():
        session = get_session()
        store_statements(session, [make_statement()])
        drain_outbox(session, app.config)
        report = drain_outbox(session, app.config)
        assert report.dead == 1
        item = session.scalars(sa.select(OutboxItem)).one()
        assert (item.status, item.attempts) == ("dead", 2)
        assert item.last_error
        app.extensions["sqlalchemy"].engine.dispose()


def test_backoff_doubles_and_is_capped() -> None:
    """Test that the retry delay doubles per attempt up to six hours."""
    settings = ForwardSettings(backoff_seconds=30)
    assert [settings.delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert settings.delay(30).total_seconds() == 6 * 3600


def test_status_and_forward_commands(database_url: str, stand_in: StandInLrs) -> None:
    """Test that `flask lms-cx xapi status` and `... forward` report and drain the queue."""
    app = forwarding_app(database_url, stand_in.endpoint)
    runner: FlaskCliRunner = app.test_cli_runner()
    with app.app_context():
        store_statements(get_session(), [make_statement(), make_statement("completed")])
    result = runner.invoke(args=["lms-cx", "xapi", "status"])
    assert "pending 2" in result.output, result.output
    result = runner.invoke(args=["lms-cx", "xapi", "forward"])
    assert "delivered 2" in result.output, result.output
    assert len(stand_in.stored) == 2
    result = runner.invoke(args=["lms-cx", "xapi", "status"])
    assert "pending 0" in result.output and "standin: pending 0, delivered 2" in result.output
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def test_concurrent_workers_send_each_statement_once(
    database_url: str, stand_in: StandInLrs
) -> None:
    """Test that two workers draining at once never send the same statement twice."""
    app = forwarding_app(database_url, stand_in.endpoint)
    with app.app_context():
        store_statements(get_session(), [make_statement(activity=f"a{n}") for n in range(80)])
        engine = app.extensions["sqlalchemy"].engine
    from sqlalchemy.orm import Session

    def work() -> None:
        with Session(engine) as own:
            drain_outbox(own, app.config)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(stand_in.stored) == 80
    assert set(stand_in.received.values()) == {1}
    engine.dispose()


def test_the_admin_page_shows_depth_oldest_item_and_errors(database_url: str) -> None:
    """Test the forwarding page: per destination counts, the oldest waiting item, the errors."""
    app = forwarding_app(database_url, "http://127.0.0.1:9/xapi/")
    with app.app_context():
        session = get_session()
        store_statements(session, [make_statement(), make_statement("completed")])
        drain_outbox(session, app.config)  # nothing listens on port 9: both items fail
        admin = factories.employee(session, roles=("admin",))
        session.commit()
        email = admin.email
    client = app.test_client()
    client.post("/cx/account/login", data={"email": email, "password": factories.PASSWORD})
    page = client.get("/cx/admin/forwarding").get_data(as_text=True)
    cells = [
        "".join(td.itertext()).strip()
        for td in tinyhtml5.parse(page, namespace_html_elements=False).iterfind(".//tbody/tr/td")
    ]
    assert cells[:5] == ["standin", "http://127.0.0.1:9/xapi/", "2", "0", "0"]
    assert "ConnectError" in page and "pw" not in cells
    assert page.count("<time datetime=") >= 2  # the oldest waiting item, and the next attempts
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
