"""Fixtures for the browser tests: ``live_server`` (the standalone app with the demo loaded,
served over real HTTP), ``browser`` (Debian's headless Chromium), ``page`` (a fresh context per
test, screenshotted on failure) and ``sign_in(page, key)`` through the real form. A module that
needs its own data overrides ``live_server`` with ``e2e_app``, ``load_curriculum_and_demo``,
``serving`` and ``dispose``."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from lms_cx.content.reader import read_content
from lms_cx.db import get_session
from lms_cx.services.content_sync import known_ids, sync_content
from lms_cx.services.demo import DEMO_PASSWORD, demo_email, load_demo
from lms_cx.services.publishing import publish_slugs
from tests.conftest import make_app

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parent.parent
#: Screenshots of failures and of each role's home page; kept after the run.
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOGIN_PATH = "/cx/account/login"

_phase_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so mark only those under tests/e2e.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    # Keep each phase's report on the item, so the page fixture knows whether the test failed.
    report = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


@pytest.fixture
def backend() -> str:
    """Run browser tests on SQLite only, whatever backends the rest of the suite covers."""
    return "sqlite"


def e2e_app(tmp_path_factory: pytest.TempPathFactory, name: str) -> Flask:
    """Return the standalone app on a fresh SQLite file, configured as in production (errors
    become error pages, CSRF on) except that cookies travel over plain HTTP."""
    database = tmp_path_factory.mktemp(name) / "lms_cx.sqlite"
    return make_app(
        f"sqlite:///{database}",
        TESTING=False,
        SECRET_KEY="e2e-secret-key-long-enough-for-production-checks",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        WTF_CSRF_ENABLED=True,
        SERVER_NAME=None,
    )


def load_curriculum_and_demo(session: Session) -> None:
    """Sync and publish the repository's courses and quizzes, then load the demo people."""
    content = read_content([ROOT / "courses", ROOT / "quizzes"], known_ids(session))
    sync_content(session, content)
    publish_slugs(session, list(content.courses), list(content.modules))
    load_demo(session)


def dispose(app: Flask) -> None:
    """Close the app's database connections (end of a module's or the session's app)."""
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


@contextmanager
def serving(app: Flask, name: str) -> Iterator[str]:
    """Serve ``app`` over real HTTP on a free port while the block runs; yield its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the standalone app (curriculum published, demo loaded, CSRF on); yield its URL."""
    app = e2e_app(tmp_path_factory, "e2e")
    with app.app_context():
        load_curriculum_and_demo(get_session())
    with serving(app, "e2e-live-server") as url:
        yield url
    dispose(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch Debian's headless Chromium once for the session (no Playwright download)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Yield a page in a fresh context (no cookies, en-US); screenshot it if the test fails."""
    context = browser.new_context(base_url=live_server, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    reports = request.node.stash.get(_phase_reports, {})
    if "call" in reports and reports["call"].failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()


def at_path(path: str) -> re.Pattern[str]:
    """Match a URL on the live server whose path is ``path`` (any query or fragment)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}([?#].*)?$")


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """Return ``sign_in(page, key, password=...)``: fill and send the real sign-in form."""

    def fill_and_send(page: Page, key: str, password: str = DEMO_PASSWORD) -> None:
        if not page.url.split("?")[0].endswith(LOGIN_PATH):
            page.goto(LOGIN_PATH)
        page.get_by_label("Email", exact=True).fill(demo_email(key))
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    return fill_and_send
