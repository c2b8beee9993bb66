"""A Python xAPI client (httpx) against the LRS served live on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.xapi.conftest import credential_headers, make_statement, new_id


@pytest.fixture
def live_lrs(app: Flask) -> Iterator[str]:
    """Serve the app on a free local port; yield the LRS endpoint."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/xapi/"
    server.shutdown()
    thread.join()


def test_python_client_sends_fetches_and_queries(app: Flask, live_lrs: str) -> None:
    """Test that an httpx client stores, fetches, pages and queries statements, and state."""
    headers = credential_headers(app, "all")
    with httpx.Client(base_url=live_lrs, headers=headers, timeout=10) as lrs:
        assert lrs.get("about").json()["version"] == ["1.0.3"]
        statement_id = new_id()
        put = lrs.put(
            "statements",
            params={"statementId": statement_id},
            json=make_statement("attempted", "quiz"),
        )
        assert put.status_code == 204
        batch = [
            make_statement("answered", f"quiz/q{n}", result={"success": n % 2 == 0})
            for n in range(5)
        ]
        ids = lrs.post("statements", json=batch).json()
        assert len(ids) == 5
        fetched = lrs.get("statements", params={"statementId": statement_id}).json()
        assert fetched["verb"]["id"].endswith("/attempted")
        agent = json.dumps({"mbox": "mailto:learner@example.com"})
        verb = "http://adlnet.gov/expapi/verbs/answered"
        seen, url, params = [], "statements", {"agent": agent, "verb": verb, "limit": 2}
        while url:
            page = lrs.get(url, params=params).json()
            seen += [s["id"] for s in page["statements"]]
            url, params = page.get("more"), None
            if url:
                url = httpx.URL(live_lrs).join(url)
        assert seen == ids[::-1]
        state = {
            "activityId": "https://lms-cx.example.com/xapi/activities/quiz",
            "agent": agent,
            "stateId": "resume",
        }
        assert lrs.put("activities/state", params=state, json={"q": 3}).status_code == 204
        assert lrs.get("activities/state", params=state).json() == {"q": 3}
