"""Fixtures: ``database_url`` and ``app`` on SQLite and (when configured) PostgreSQL, ``client``,
``runner``, ``login_as(role)``; PostgreSQL tests fail loudly in CI rather than skip."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from lms_cx import create_app
from lms_cx.db import Base, get_session
from lms_cx.models.people import Employee
from tests import factories

PG_URL = os.environ.get("LMS_CX_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
#: An empty instance folder for every test app, so a developer's instance/lms_cx.cfg (the
#: demo writes one) never changes what the tests see.
EMPTY_INSTANCE = tempfile.mkdtemp(prefix="lms_cx-test-instance-")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError(
            "CI is set but LMS_CX_TEST_DATABASE_URL is not: CI must not skip PostgreSQL tests."
        )
    if PG_URL:
        try:
            with sa.create_engine(PG_URL).connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.OperationalError as error:
            raise pytest.UsageError(
                f"LMS_CX_TEST_DATABASE_URL={PG_URL} does not answer: {error.orig}"
            ) from None


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Name the database backend a test runs on."""
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'lms_cx.sqlite'}"
        return
    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_app(database_url: str, *, create_schema: bool = True, **config: object) -> Flask:
    """Return a standalone test app on ``database_url``, with lms_cx's tables unless told not."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "LMS_CX_DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "lms.test",
    }
    settings.update(config)
    app = create_app(settings, instance_path=EMPTY_INSTANCE)
    if not create_schema:
        return app
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        Base.metadata.create_all(engine)
        from lms_cx.services.tracks import ensure_default_tracks

        ensure_default_tracks(get_session())
    return app


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """Yield the standalone app on each backend.

    No app context stays pushed: each test request gets its own, as in production (Flask-Login
    and lms_cx cache the current user in ``g``).
    """
    app = make_app(database_url)
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """Yield a session on the app's database for arranging and checking data."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login_as(session: Session, client: FlaskClient) -> Callable[..., Employee]:
    """Sign ``client`` in as a new employee holding ``roles``; return the employee."""

    def login(*roles: str, **fields: object) -> Employee:
        employee = factories.employee(session, roles=roles or ("learner",), **fields)
        session.commit()
        response = client.post(
            "/cx/account/login",
            data={"email": employee.email, "password": factories.PASSWORD},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return employee

    return login
