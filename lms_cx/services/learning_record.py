"""Describe what a learner did as learning events, and record them as xAPI statements.

The services call ``record_events`` inside their own transaction: the statements, their
progress rows (the projection) and the service's own rows commit together or not at all.
An event already recorded (same statement id) is skipped, so repeating an action, a page
reload or a retried request never adds a statement twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from lms_cx.models import CourseVersion, ModuleVersion, Statement
from lms_cx.models.people import Employee, Team
from lms_cx.xapi.statements import (
    Event,
    StatementSettings,
    build_statement,
    iso_timestamp,
    statement_id,
)
from lms_cx.xapi.store import internal_authority, store_statements


def statement_settings() -> StatementSettings:
    """Return the current app's statement settings."""
    return StatementSettings.from_config(current_app.config)


def learner_part(session: Session, employee: Employee) -> dict[str, Any]:
    """Return the ``learner`` part of an event: identity, locale and team."""
    team = session.get(Team, employee.team_id) if employee.team_id else None
    return {
        "account": str(employee.id),
        "email": employee.email,
        "name": employee.display_name,
        "locale": employee.locale or current_app.config["LMS_CX_DEFAULT_LOCALE"],
        "team": {"key": team.external_id or str(team.id), "name": team.name} if team else None,
    }


def course_part(version: CourseVersion | None) -> dict[str, Any] | None:
    """Return the ``course`` part of an event from the pinned course version."""
    if version is None:
        return None
    snapshot = version.snapshot
    return {
        "slug": snapshot["slug"],
        "version": version.version,
        "title": snapshot.get("title") or {},
        "description": snapshot.get("description") or {},
    }


def module_part(version: ModuleVersion) -> dict[str, Any]:
    """Return the ``module`` part of an event from the pinned module version."""
    snapshot = version.snapshot
    return {
        "slug": snapshot["slug"],
        "version": version.version,
        "track": snapshot.get("track"),
        "title": snapshot.get("title") or {},
        "description": snapshot.get("description") or {},
    }


def event(name: str, key: str, when: datetime, **parts: Any) -> Event:
    """Return an event named ``name``; ``key`` makes it unique (and its statement id stable)."""
    return {"event": name, "key": key, "timestamp": iso_timestamp(when), **parts}


def record_events(session: Session, events: list[Event]) -> list[uuid.UUID]:
    """Store the statements of ``events`` not yet recorded, in the caller's transaction.

    Return the ids of the statements stored now.
    """
    if not events:
        return []
    settings = statement_settings()
    statements = {statement_id(e): build_statement(e, settings) for e in events}
    known = set(
        session.scalars(
            sa.select(Statement.statement_id).where(Statement.statement_id.in_(statements))
        )
    )
    new = [statement for sid, statement in statements.items() if sid not in known]
    if not new:
        return []
    return store_statements(
        session, new, authority=internal_authority(current_app.config), commit=False
    )
