"""Validate statements against xAPI 1.0.3 before anything is stored.

Two passes: ``rules`` checks by hand what ralph's pydantic models get wrong for an LRS
(JSON types, nulls, IFIs, timestamps, durations, scores, context rules, voiding), then
ralph's ``BaseXapiStatement`` checks the rest of the structure (unknown properties,
interaction definitions, IRIs, language tags). Ralph sees a copy with the already-checked
values taken out, because it is stricter than the specification there (it rejects the
empty ``response``, durations in years, special-use e-mail domains) and its dump would
rewrite scores as strings; the original JSON is what gets stored.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import rfc3987
from langcodes import tag_is_valid
from pydantic import ValidationError as PydanticValidationError
from pydantic import model_validator
from ralph.models.xapi.base import common as ralph_common
from ralph.models.xapi.base.statements import BaseXapiStatement

from lms_cx.xapi.errors import StatementError
from lms_cx.xapi.rules import RuleError, check_statement, dotted

#: How many distinct IRIs and language tags the memoised checks remember per process.
_MEMO_SIZE = 65_536


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _valid_iri(text: str) -> None:
    rfc3987.parse(text, rule="IRI")  # raises ValueError; errors are not remembered


def _memoised_parse(string: str, rule: str = "IRI") -> Any:
    if rule != "IRI":
        return rfc3987.parse(string, rule=rule)
    _valid_iri(string)
    return string  # ralph's validator ignores what parse returns


# Ralph runs RFC 3987's and RFC 5646's regular expressions on every IRI and language tag of
# every statement: half of its validation time, spent on the same few hundred activity ids,
# verbs and tags again and again. Both checks depend on the string alone, so they are
# memoised in ralph's module (the names its validators look up at call time).
ralph_common.parse = _memoised_parse
ralph_common.tag_is_valid = functools.lru_cache(maxsize=_MEMO_SIZE)(tag_is_valid)

#: Stands in for mbox values in ralph's copy: the rules have checked the real ones.
_PLACEHOLDER_SHA1 = "0" * 40
#: Stands in for a SubStatement's Agent or Group object in ralph's copy (2.4.4.3 allows
#: them; ralph's model does not): the rules have checked the real one.
_PLACEHOLDER_REF = {"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000000"}


class _RalphStatement(BaseXapiStatement):
    """Ralph's statement model without its empty-value check.

    The specification rejects nulls (checked by the rules) but only says statements SHOULD
    NOT carry empty objects; revision/platform with a non-Activity object is a rule too.
    """

    @model_validator(mode="before")
    @classmethod
    def check_absence_of_empty_and_invalid_values(cls, values: Any) -> Any:
        """Accept empty values here (the rules decide what is refused)."""
        return values


def validate_statement(statement: Any, index: int | None = None) -> None:
    """Raise ``StatementError`` naming the property when ``statement`` breaks a rule.

    ``index`` is the statement's position in a batch; the error's field then starts with
    ``statements[index]``.
    """
    prefix: list[str | int] = [] if index is None else [f"statements[{index}]"]
    nul = _nul_path(statement, []) if _may_hold_nul(statement) else None
    if nul is not None:
        # Valid JSON ("\\u0000"), but no database text column can hold it.
        raise StatementError(
            "must not contain a NUL character", dotted(prefix + nul) or None, index
        )
    try:
        check_statement(statement, [])
    except RuleError as error:
        raise StatementError(error.message, dotted(prefix + error.path) or None, index) from None
    try:
        _RalphStatement.model_validate(_ralph_copy(statement))
    except PydanticValidationError as error:
        path, message = _first_error(error, statement)
        raise StatementError(message, dotted(prefix + path) or None, index) from None


def _may_hold_nul(statement: Any) -> bool:
    """Return False when ``statement`` surely holds no NUL character.

    JSON encoding escapes NUL as ``\\u0000`` in C, far faster than walking the statement in
    Python; only a statement that may hold one is walked to find where.
    """
    if not isinstance(statement, dict):
        return False
    try:
        return "\\u0000" in json.dumps(statement)
    except (TypeError, ValueError):
        return True


def _nul_path(node: Any, path: list[str | int]) -> list[str | int] | None:
    """Return the path of the first key or text in ``node`` holding a NUL character."""
    if isinstance(node, str):
        return path if "\x00" in node else None
    if isinstance(node, dict):
        for key, value in node.items():
            found = path + [key] if "\x00" in key else _nul_path(value, path + [key])
            if found is not None:
                return found
    if isinstance(node, list):
        for position, item in enumerate(node):
            found = _nul_path(item, path + [position])
            if found is not None:
                return found
    return None


def validate_statements(statements: Any) -> None:
    """Validate a batch: a JSON array of statements (every one must pass)."""
    if not isinstance(statements, list):
        raise StatementError("must be a statement or an array of statements", "statements")
    for index, statement in enumerate(statements):
        validate_statement(statement, index if len(statements) > 1 else None)


def _ralph_copy(statement: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``statement`` without the values the rules have already checked.

    Taken out: timestamps, stored, authority, version, result duration/score/response, the
    context's instructor; a SubStatement's Agent or Group object becomes a placeholder
    StatementRef; every mbox becomes a placeholder ``mbox_sha1sum`` (the rules checked the
    address, and ralph's e-mail validation is slow and refuses special-use domains). One
    pass, no deep copy.
    """
    clone = _sanitised(statement, ())
    for key in ("stored", "authority"):
        clone.pop(key, None)
    return clone


_DROPPED = {
    ("timestamp",),
    ("version",),  # ralph refuses "1.0", which 2.4.10 allows
    # Ralph takes an instructor for an Agent only; 2.4.6 allows a Group (the rules check both).
    ("context", "instructor"),
    ("object", "context", "instructor"),
    ("result", "duration"),
    ("result", "score"),
    ("result", "response"),
    ("object", "timestamp"),
    ("object", "result", "duration"),
    ("object", "result", "score"),
    ("object", "result", "response"),
}

#: Properties whose values hold no Agent and none of ``_DROPPED``: ralph sees them as sent.
_NO_AGENT_INSIDE = frozenset(
    {"verb", "definition", "contextActivities", "extensions", "attachments"}
)


def _sanitised(node: Any, path: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_sanitised(item, path) for item in node]
    if not isinstance(node, dict):
        return node
    copy_: dict[str, Any] = {}
    for key, value in node.items():
        if (*path, key) in _DROPPED:
            continue
        if (*path, key) == ("object", "object") and _is_actor(value):
            copy_[key] = _PLACEHOLDER_REF  # ralph's SubStatement takes no Agent or Group
        elif key == "mbox" and isinstance(value, str):
            copy_["mbox_sha1sum"] = _PLACEHOLDER_SHA1
        elif key in _NO_AGENT_INSIDE:
            copy_[key] = value  # nothing to take out or replace: no copy needed
        else:
            copy_[key] = _sanitised(value, (*path, key) if len(path) < 2 else path)
            if copy_[key] == {} and key == "result":
                del copy_[key]  # only checked values were in it
    return copy_


def _is_actor(value: Any) -> bool:
    return isinstance(value, dict) and value.get("objectType") in ("Agent", "Group")


def _first_error(error: PydanticValidationError, statement: Any) -> tuple[list[str | int], str]:
    """Return the path (within the original JSON) and message of ralph's most precise error.

    Pydantic's locations include the names of union members; only the parts that exist in
    the statement are kept. Of several errors (one per union member) the deepest wins.
    """
    best: tuple[list[str | int], str] = ([], "is not a valid statement")
    for detail in error.errors():
        node, path = statement, []
        for part in detail["loc"]:
            in_dict = isinstance(node, dict) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if in_dict or in_list:
                node = node[part]
                path.append(part)
        if len(path) > len(best[0]) or not best[0]:
            best = (path, detail["msg"])
    return best
