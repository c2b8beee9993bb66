"""Authoring inside a host app that has no CSRFProtect of its own: forms still carry and
check their tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from lms_cx.models import Module
from lms_cx.models.people import Employee
from lms_cx.services.people import set_roles
from tests.test_host_embedding import create_host_app


@pytest.fixture
def host_app(database_url: str) -> Iterator[Flask]:
    app = create_host_app(database_url)
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_trainer_in_a_host_app_creates_and_archives_with_csrf_tokens(host_app: Flask) -> None:
    """Test that the host's trainer creates a module and archives it, each POST carrying a
    token, and that a POST without a token changes nothing."""
    client = host_app.test_client()
    client.post("/login", data={"email": "kasia@portal.example"})
    client.get("/learning/learn/")  # links the host user to an employee
    with host_app.app_context():
        session = host_app.extensions["sqlalchemy"].session
        set_roles(session.scalar(sa.select(Employee)), ["trainer"])
        session.commit()

    form = client.get("/learning/trainer/modules/new").get_data(as_text=True)
    response = client.post(
        "/learning/trainer/modules/new",
        data={
            "csrf_token": token(form),
            "slug": "host-module",
            "title": "Host module",
            "track": "communication",
            "lifecycle_stage": "ongoing",
            "estimated_minutes": "10",
            "default_locale": "en",
            "bank": "",
            "feedback_mode": "immediate",
        },
    )
    assert response.status_code == 302
    module_page = client.get("/learning/trainer/modules/host-module/").get_data(as_text=True)

    client.post("/learning/trainer/modules/host-module/archive")  # no token: refused
    with host_app.app_context():
        session = host_app.extensions["sqlalchemy"].session
        assert session.scalar(sa.select(Module.archived_at)) is None

    client.post(
        "/learning/trainer/modules/host-module/archive", data={"csrf_token": token(module_page)}
    )
    with host_app.app_context():
        session = host_app.extensions["sqlalchemy"].session
        assert session.scalar(sa.select(Module.archived_at)) is not None
