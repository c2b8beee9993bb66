"""Fixtures of lifecycle automation: a simulated clock, a local SMTP server, app settings."""

from __future__ import annotations

import email
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.net import free_port

#: Day 0 of the simulated clock: a Monday, 09:00 UTC (after the default digest hour).
DAY_ZERO = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(number: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """Return the simulated moment ``number`` days after day 0."""
    return DAY_ZERO.replace(hour=hour, minute=minute, second=second) + timedelta(days=number)


def date_of(number: int) -> date:
    """Return the calendar date of simulated day ``number``."""
    return day(number).date()


@dataclass
class _Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[_Collector]:
    """Run a local SMTP server for the test; yield what it received."""
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    collector.port = controller.port  # type: ignore[attr-defined]
    yield collector
    controller.stop()


@pytest.fixture
def lifecycle_app(app: Flask, smtp_server: _Collector) -> Flask:
    """Return the app with a short reminder schedule and mail through the local server."""
    app.config.update(
        LMS_CX_REMINDER_DAYS_BEFORE=(7, 1),
        LMS_CX_REMINDER_ON_DUE_DATE=True,
        LMS_CX_REMINDER_OVERDUE_EVERY_DAYS=7,
        LMS_CX_ESCALATION_AFTER_DAYS=10,
        LMS_CX_RECERTIFICATION_LEAD_DAYS=14,
        LMS_CX_MAIL_HOST="127.0.0.1",
        LMS_CX_MAIL_PORT=smtp_server.port,  # type: ignore[attr-defined]
        LMS_CX_MAIL_FROM="training@brightwave.example",
        LMS_CX_MAIL_BASE_URL="https://lms.example.com",
        LMS_CX_MAIL_DIGEST_HOUR=8,
    )
    return app


@pytest.fixture
def ctx(lifecycle_app: Flask) -> Iterator[Flask]:
    """Push an app context (texts, links and settings need one) around the test."""
    with lifecycle_app.app_context():
        yield lifecycle_app
