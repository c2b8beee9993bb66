"""Fixtures of the LRS tests: golden statements, a statement builder, app-context sessions."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.db import get_session

GOLDEN = Path(__file__).parent / "golden"

ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "https://lms-cx.example.com/xapi/activities/"


def golden(name: str) -> dict[str, Any]:
    """Return a fresh copy of the golden statement ``golden/<name>.json``."""
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def make_statement(
    verb: str = "experienced",
    activity: str = "lesson-1",
    *,
    email: str = "learner@example.com",
    registration: str | None = None,
    result: dict[str, Any] | None = None,
    timestamp: str | None = None,
    statement_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return a valid statement: ``email`` did ADL ``verb`` on ``activity``."""
    statement: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Learner", "mbox": f"mailto:{email}"},
        "verb": {"id": verb if "://" in verb else ADL + verb, "display": {"en": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity if "://" in activity else ACTIVITIES + activity,
            "definition": {"name": {"en": activity}},
        },
    }
    if statement_id is not None:
        statement["id"] = statement_id
    if registration is not None:
        statement["context"] = {"registration": registration}
    if result is not None:
        statement["result"] = result
    if timestamp is not None:
        statement["timestamp"] = timestamp
    statement.update(copy.deepcopy(extra))
    return statement


@pytest.fixture
def statement() -> Callable[..., dict[str, Any]]:
    """Return the statement builder ``make_statement``."""
    return make_statement


@pytest.fixture
def app_session(app: Flask) -> Iterator[Session]:
    """Yield the app's own session inside an app context (config and forwarding apply)."""
    with app.app_context():
        yield get_session()


def basic_auth(key: str, secret: str) -> dict[str, str]:
    """Return the Authorization header of HTTP Basic credentials."""
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def new_id() -> str:
    """Return a fresh statement id."""
    return str(uuid.uuid4())


def credential_headers(app: Flask, *scopes: str, name: str = "client") -> dict[str, str]:
    """Create a credential with ``scopes``; return xAPI request headers that use it."""
    from lms_cx.xapi.credentials import create_credential

    with app.app_context():
        session = get_session()
        credential, secret = create_credential(
            session, name=name, scopes=list(scopes), homepage="https://lms-cx.example.com"
        )
        session.commit()
        key = credential.key
    return basic_auth(key, secret) | {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def headers(app: Flask) -> dict[str, str]:
    """Return request headers of a credential with the ``all`` scope."""
    return credential_headers(app, "all")
