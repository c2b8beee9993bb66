"""The columns and index rows extracted from a prepared statement for querying.

``lms_cx_statement`` keeps the raw JSON plus the values the Statement resource filters on;
``lms_cx_statement_activity`` and ``lms_cx_statement_agent`` list every activity and agent a
statement mentions, so ``related_activities`` / ``related_agents`` queries are index scans.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from lms_cx.xapi.agents import actor_key, agent_ifi
from lms_cx.xapi.formats import parse_timestamp
from lms_cx.xapi.rules import CONTEXT_ACTIVITY_KEYS
from lms_cx.xapi.vocab import VERB_VOIDED

#: Longest value the indexed string columns hold; longer IRIs are stored as their hash.
MAX_KEY_LENGTH = 500


def column_key(text: str) -> str:
    """Return ``text``, or ``sha1:<hex>`` when it is longer than the indexed columns hold.

    Queries pass their parameters through the same function, so very long IRIs still match.
    """
    if len(text) <= MAX_KEY_LENGTH:
        return text
    return "sha1:" + hashlib.sha1(text.encode()).hexdigest()


def object_key(target: dict[str, Any]) -> tuple[str, str]:
    """Return the ``(object_type, object_id)`` columns of a statement's object."""
    object_type = target.get("objectType", "Activity")
    if object_type in ("Agent", "Group"):
        return object_type, column_key(actor_key(target))
    if object_type == "SubStatement":
        return object_type, ""
    if object_type == "StatementRef":
        return object_type, str(uuid.UUID(target["id"]))
    return object_type, column_key(str(target["id"]))


def statement_columns(prepared: dict[str, Any]) -> dict[str, Any]:
    """Return the ``lms_cx_statement`` column values of a prepared statement."""
    object_type, object_id = object_key(prepared["object"])
    registration = (prepared.get("context") or {}).get("registration")
    is_voiding = prepared["verb"]["id"] == VERB_VOIDED
    authority_ifi = agent_ifi(prepared["authority"]) if prepared.get("authority") else None
    return {
        "statement_id": uuid.UUID(prepared["id"]),
        "raw": prepared,
        "stored": parse_timestamp(prepared["stored"]),
        "timestamp": parse_timestamp(prepared["timestamp"]),
        "verb_id": column_key(prepared["verb"]["id"]),
        "actor_ifi": column_key(actor_key(prepared["actor"])),
        "object_type": object_type,
        "object_id": object_id,
        "registration": uuid.UUID(registration) if registration else None,
        "voids_statement_id": uuid.UUID(prepared["object"]["id"]) if is_voiding else None,
        "authority_ifi": column_key(authority_ifi) if authority_ifi else None,
    }


def activity_rows(prepared: dict[str, Any]) -> set[tuple[str, str]]:
    """Return ``(activity_id, relation)`` for every activity the statement mentions."""
    rows: set[tuple[str, str]] = set()
    _collect_activities(prepared, rows, substatement=False)
    target = prepared["object"]
    if target.get("objectType") == "SubStatement":
        _collect_activities(target, rows, substatement=True)
    return rows


def _collect_activities(statement: dict[str, Any], rows: set, *, substatement: bool) -> None:
    target = statement["object"]
    if target.get("objectType", "Activity") == "Activity":
        rows.add((column_key(target["id"]), "substatement" if substatement else "object"))
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    for relation in CONTEXT_ACTIVITY_KEYS:
        entries = activities.get(relation) or []
        for activity in entries if isinstance(entries, list) else [entries]:
            rows.add((column_key(activity["id"]), "substatement" if substatement else relation))


def agent_rows(prepared: dict[str, Any]) -> set[tuple[str, str]]:
    """Return ``(agent_ifi, relation)`` for every agent or group the statement mentions.

    Relations: ``actor``, ``object``, ``member`` (of the actor's or object's group),
    ``authority``, ``instructor``, ``team`` and ``substatement``.
    """
    rows: set[tuple[str, str]] = set()
    _collect_agents(prepared, rows, substatement=False)
    target = prepared["object"]
    if target.get("objectType") == "SubStatement":
        _collect_agents(target, rows, substatement=True)
    if prepared.get("authority"):
        _add_agent(prepared["authority"], "authority", rows)
    return rows


def _collect_agents(statement: dict[str, Any], rows: set, *, substatement: bool) -> None:
    def relation(name: str) -> str:
        return "substatement" if substatement else name

    _add_agent(statement["actor"], relation("actor"), rows)
    target = statement["object"]
    if target.get("objectType") in ("Agent", "Group"):
        _add_agent(target, relation("object"), rows)
    context = statement.get("context") or {}
    for key in ("instructor", "team"):
        if key in context:
            _add_agent(context[key], relation(key), rows)


def _add_agent(agent: dict[str, Any], relation: str, rows: set) -> None:
    """Index an agent, and a group's members: ``member`` for the actor's or object's group
    (the ``agent`` filter matches them, part three, 2.1.3), else the group's own relation."""
    rows.add((column_key(actor_key(agent)), relation))
    member_relation = "member" if relation in ("actor", "object") else relation
    for member in agent.get("member") or []:
        ifi = agent_ifi(member)
        if ifi is not None:
            rows.add((column_key(ifi), member_relation))
