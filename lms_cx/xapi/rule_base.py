"""What every xAPI rule module shares: the error with a property path, and small checks."""

from __future__ import annotations

from typing import Any

from lms_cx.xapi import formats


class RuleError(Exception):
    """A rule broken at ``path`` (a list of keys and indexes)."""

    def __init__(self, path: list[str | int], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def dotted(path: list[str | int]) -> str:
    """Return ``["context", "team", "member", 0]`` as ``context.team.member[0]``."""
    text = ""
    for position, part in enumerate(path):
        # By position, not by ``text``: an empty first key ("") must still be followed by a dot.
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if position else part)
    return text


def _fail(path: list[str | int], message: str) -> None:
    raise RuleError(path, message)


def _object(value: Any, path: list[str | int], allowed: frozenset[str] | None = None) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    for key, item in value.items():
        if allowed is not None and key not in allowed:
            _fail([*path, key], "is not a property the specification allows here")
        if item is None:
            _fail([*path, key], "must not be null")
    return value


def _string(value: Any, path: list[str | int]) -> None:
    if not isinstance(value, str):
        _fail(path, "must be a string")


def _iri(value: Any, path: list[str | int]) -> None:
    if not formats.is_iri(value):
        _fail(path, "must be an IRI with a scheme (RFC 3987)")


def _uuid(value: Any, path: list[str | int]) -> None:
    if not formats.is_uuid(value):
        _fail(path, "must be a UUID in standard string form")
