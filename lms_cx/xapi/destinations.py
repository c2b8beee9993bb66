"""The external LRSs statements are forwarded to (``LMS_CX_XAPI_FORWARD``).

Each entry is a dict::

    {"name": "corporate-lrs",                       # optional, defaults to the endpoint
     "endpoint": "https://lrs.example.com/xapi/",
     "username": "key", "password": "secret",       # HTTP Basic (optional)
     "filter": {"verbs": ["http://adlnet.gov/expapi/verbs/completed"],   # optional
                "activity_prefix": "https://lms-cx.example.com/xapi/activities/"}}

A statement is queued for a destination when it passes the destination's filter (every
given condition must hold). The setting may also be a JSON string (from the environment).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lms_cx.errors import ConfigurationError


@dataclass(frozen=True)
class Destination:
    """One external LRS and the statements it receives."""

    name: str
    endpoint: str
    username: str | None = None
    password: str | None = None
    verbs: frozenset[str] = field(default_factory=frozenset)
    activity_prefix: str | None = None

    def accepts(self, statement: dict[str, Any]) -> bool:
        """Return True when ``statement`` passes this destination's filter."""
        if self.verbs and statement["verb"]["id"] not in self.verbs:
            return False
        if self.activity_prefix is not None:
            target = statement["object"]
            is_activity = target.get("objectType", "Activity") == "Activity"
            if not is_activity or not str(target["id"]).startswith(self.activity_prefix):
                return False
        return True


def forward_destinations(config: Mapping[str, Any]) -> list[Destination]:
    """Return the destinations of ``LMS_CX_XAPI_FORWARD``, raising on a malformed entry."""
    entries = config.get("LMS_CX_XAPI_FORWARD") or []
    if isinstance(entries, str):
        try:
            entries = json.loads(entries)
        except ValueError:
            raise ConfigurationError("LMS_CX_XAPI_FORWARD is not valid JSON") from None
    destinations = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping) or not entry.get("endpoint"):
            raise ConfigurationError(
                f"LMS_CX_XAPI_FORWARD entry {number} needs an 'endpoint' (see docs/lrs.md)"
            )
        rules = entry.get("filter") or {}
        destinations.append(
            Destination(
                name=str(entry.get("name") or entry["endpoint"]),
                endpoint=str(entry["endpoint"]),
                username=entry.get("username"),
                password=entry.get("password"),
                verbs=frozenset(rules.get("verbs") or ()),
                activity_prefix=rules.get("activity_prefix"),
            )
        )
    names = [destination.name for destination in destinations]
    if len(set(names)) != len(names):
        raise ConfigurationError("LMS_CX_XAPI_FORWARD has two destinations with the same name")
    return destinations
