"""Canonical activity definitions, kept from the statements that mention them.

xAPI 1.0.3, part three, 2.5: the LRS keeps its own definition of each activity and SHOULD
update it from statements. lms_cx merges what each stored statement says (its language
maps key by key, other properties replaced), whoever sent it.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models.xapi_documents import Activity
from lms_cx.xapi.index import column_key
from lms_cx.xapi.rules import CONTEXT_ACTIVITY_KEYS

LANGUAGE_MAP_KEYS = ("name", "description")
_RECENT_SIZE = 5000
#: Definitions this process stored or found lately (activity key -> canonical definition).
#: A cache only for skipping work: a definition that would change anything goes to the table.
_recent: dict[str, dict[str, Any]] = {}
_DEFINITIONS_OF = sa.select(
    Activity.__table__.c.activity_id, Activity.__table__.c.definition
).where(Activity.__table__.c.activity_id.in_(sa.bindparam("ids", expanding=True)))


def mentioned_definitions(statement: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return ``(activity id, definition)`` for every activity in ``statement`` with one."""
    found: list[tuple[str, dict[str, Any]]] = []
    parts = [statement]
    if statement["object"].get("objectType") == "SubStatement":
        parts.append(statement["object"])
    for part in parts:
        target = part["object"]
        if target.get("objectType", "Activity") == "Activity" and target.get("definition"):
            found.append((target["id"], target["definition"]))
        activities = (part.get("context") or {}).get("contextActivities") or {}
        for key in CONTEXT_ACTIVITY_KEYS:
            for activity in activities.get(key) or []:
                if activity.get("definition"):
                    found.append((activity["id"], activity["definition"]))
    return found


def merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Return ``old`` updated by ``new``: language maps merged, other properties replaced."""
    merged = copy.deepcopy(old)
    for key, value in new.items():
        if key in LANGUAGE_MAP_KEYS and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def remember_definitions(session: Session, statements: list[dict[str, Any]]) -> None:
    """Merge the activity definitions of newly stored ``statements`` into ``lms_cx_activity``."""
    incoming: dict[str, dict[str, Any]] = {}
    for statement in statements:
        for activity_id, definition in mentioned_definitions(statement):
            key = column_key(activity_id)
            if key not in incoming and _recent.get(key) == definition:
                continue  # what the table already holds: merging it would change nothing
            incoming[key] = merge_definition(incoming.get(key, {}), definition)
    # Skip what this process has already stored unchanged (most statements repeat the
    # definition their activity already has).
    incoming = {
        key: definition
        for key, definition in incoming.items()
        if _recent.get(key) is None or merge_definition(_recent[key], definition) != _recent[key]
    }
    if not incoming:
        return
    table = Activity.__table__
    known = dict(session.execute(_DEFINITIONS_OF, {"ids": list(incoming)}).all())
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    missing = [
        {"activity_id": key, "definition": incoming[key]}
        for key in sorted(incoming)
        if key not in known
    ]
    if missing:
        # One statement for all new activities, in a fixed order (no deadlock between writers).
        session.execute(
            insert(Activity.__table__).on_conflict_do_nothing(index_elements=["activity_id"]),
            missing,
        )
    for key in sorted(set(incoming) & set(known)):
        merged = merge_definition(known[key], incoming[key])
        if merged != known[key]:
            session.execute(
                sa.update(table)
                .where(table.c.activity_id == key)
                .values(definition=merged, updated_at=utcnow())
            )
        else:
            _remember(key, merged)  # only what the table is known to hold (nothing to undo)


def _remember(key: str, definition: dict[str, Any]) -> None:
    if len(_recent) >= _RECENT_SIZE:
        _recent.pop(next(iter(_recent)))
    _recent[key] = definition
