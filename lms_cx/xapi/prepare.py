"""What the LRS adds to a statement before storing it, and how two statements are compared.

xAPI 1.0.3, part two, 2.3.1: the LRS assigns ``id``, ``stored``, ``timestamp``,
``authority`` and ``version``, and returns every ``contextActivities`` value as an array.
Everything else is kept exactly as sent. Two statements with the same id are the same when
they differ only in what those exceptions allow (2.3.1, Statement Comparison Requirements).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime
from typing import Any

from lms_cx.xapi.agents import normalise_mbox
from lms_cx.xapi.formats import format_timestamp, parse_timestamp
from lms_cx.xapi.rules import CONTEXT_ACTIVITY_KEYS
from lms_cx.xapi.vocab import DEFAULT_STATEMENT_VERSION


def prepare_statement(
    statement: dict[str, Any], *, stored: datetime, authority: dict[str, Any]
) -> dict[str, Any]:
    """Return a copy of a valid statement with the properties the LRS sets filled in.

    ``authority`` replaces whatever authority the statement carried: the LRS vouches only
    for what the credential (or lms_cx itself) asserts (2.4.9). The copy shares the parts
    it leaves unchanged with ``statement``, and ``authority`` with the rest of the batch
    (a deep copy cost more than the rest of the preparation); none is changed afterwards.
    """
    prepared = _with_own_context(statement)
    prepared["id"] = str(uuid.UUID(prepared["id"])) if "id" in prepared else str(uuid.uuid4())
    prepared["stored"] = format_timestamp(stored)
    prepared.setdefault("timestamp", prepared["stored"])
    prepared["authority"] = authority
    prepared.setdefault("version", DEFAULT_STATEMENT_VERSION)
    normalise_context_activities(prepared)
    if isinstance(prepared["object"], dict) and prepared["object"].get("objectType") == (
        "SubStatement"
    ):
        prepared["object"] = _with_own_context(prepared["object"])
        normalise_context_activities(prepared["object"])
    return prepared


def _with_own_context(statement: dict[str, Any]) -> dict[str, Any]:
    """Return a shallow copy of ``statement`` whose contextActivities may be rewritten."""
    copied = dict(statement)
    context = copied.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        copied["context"] = context | {"contextActivities": dict(context["contextActivities"])}
    return copied


def normalise_context_activities(statement: dict[str, Any]) -> None:
    """Turn each single contextActivities Activity into an array of one (2.4.6.2)."""
    activities = (statement.get("context") or {}).get("contextActivities")
    if not isinstance(activities, dict):
        return
    for key in CONTEXT_ACTIVITY_KEYS:
        if isinstance(activities.get(key), dict):
            activities[key] = [activities[key]]


def comparable(statement: dict[str, Any]) -> dict[str, Any]:
    """Return the part of a statement that must match for two statements to be the same.

    Left out: the properties the LRS may set (id, stored, timestamp, authority, version),
    verb displays and activity definitions (not part of the statement, 2.3.1), and the
    order of Group members; e-mail domains compare case-insensitively.
    """
    clone = copy.deepcopy(statement)
    for key in ("id", "stored", "timestamp", "authority", "version"):
        clone.pop(key, None)
    normalise_context_activities(clone)
    _drop_definitions(clone)
    if isinstance(clone.get("object"), dict) and clone["object"].get("objectType") == (
        "SubStatement"
    ):
        sub = clone["object"]
        sub.pop("timestamp", None)
        normalise_context_activities(sub)
        _drop_definitions(sub)
    return _canonical(clone)


def same_statement(stored_raw: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Return True when ``incoming`` is a re-send of the stored statement (a no-op)."""
    if comparable(stored_raw) != comparable(incoming):
        return False
    if "timestamp" in incoming:
        return parse_timestamp(incoming["timestamp"]) == parse_timestamp(stored_raw["timestamp"])
    return True


def _drop_definitions(statement: dict[str, Any]) -> None:
    verb = statement.get("verb")
    if isinstance(verb, dict):
        verb.pop("display", None)
    target = statement.get("object")
    if isinstance(target, dict) and target.get("objectType", "Activity") == "Activity":
        target.pop("definition", None)
        target.pop("objectType", None)
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    for entries in activities.values():
        for activity in entries if isinstance(entries, list) else [entries]:
            activity.pop("definition", None)
            activity.pop("objectType", None)


def _canonical(node: Any) -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "mbox" and isinstance(value, str):
                result[key] = normalise_mbox(value)
            elif key == "member" and isinstance(value, list):
                members = [_canonical(member) for member in value]
                result[key] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
            else:
                result[key] = _canonical(value)
        return result
    if isinstance(node, list):
        return [_canonical(item) for item in node]
    return node
