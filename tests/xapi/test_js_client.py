"""A JavaScript xAPI client (@xapi/xapi, run by node) against the LRS served live."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lms_cx.db import get_session
from lms_cx.xapi.credentials import create_credential

CLIENT = Path(__file__).parent / "js"


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


def test_xapi_js_client_round_trip(app: Flask, live_lrs: str) -> None:
    """Test that @xapi/xapi sends, fetches, pages, voids and stores state against the LRS."""
    if shutil.which("node") is None or not (CLIENT / "node_modules" / "@xapi").is_dir():
        pytest.fail("the JavaScript client is not installed: run `npm ci` in tests/xapi/js")
    with app.app_context():
        credential, secret = create_credential(
            get_session(), name="js", scopes=["all"], homepage="https://lms-cx.example.com"
        )
        get_session().commit()
        key = credential.key
    run = subprocess.run(
        ["node", "client_roundtrip.mjs", live_lrs, key, secret],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["about"]["version"] == ["1.0.3"]
    assert found["fetched"]["id"] == found["single"][0]
    assert found["paged"] == found["batch"][::-1]
    assert found["voided"] == found["batch"][0]
    # The voided statement is gone; the voiding statement targets a match, so it is returned.
    assert found["batch"][0] not in found["afterVoid"]
    assert found["afterVoid"][1:] == found["batch"][1:][::-1]
    assert found["stored"] == {"page": 3}
    assert found["canonical"]["definition"]["name"] == {"en-US": "q1"}
