"""The Statement data model rules of xAPI 1.0.3 (part two, 2.2-2.4 and 4) checked by hand.

These are the rules where ralph's pydantic models are lax or stricter than the
specification: JSON types (pydantic coerces ``"12"`` to a number), null values, IFI counts,
``objectType`` rules, timestamps and durations (pydantic's timedelta has no years), score
bounds, context rules and SubStatement limits. Each failure raises ``RuleError`` with the
path of the offending property, so the LRS's 400 names it.
"""

from __future__ import annotations

from typing import Any

from lms_cx.xapi import formats
from lms_cx.xapi.rule_base import RuleError, _fail, _iri, _object, _string, _uuid, dotted
from lms_cx.xapi.rules_actors import check_actor, check_agent, check_authority, check_group
from lms_cx.xapi.vocab import VERB_VOIDED

__all__ = ["RuleError", "check_actor", "check_statement", "dotted"]

STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
SCORE_KEYS = ("scaled", "raw", "min", "max")
ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)


def check_timestamp(value: Any, path: list[str | int]) -> None:
    """Check an ISO 8601 timestamp (part two, 4.5)."""
    if formats.parse_timestamp(value) is None:
        _fail(path, "must be an ISO 8601 timestamp, e.g. 2024-05-01T09:30:00.000Z")


def check_language_map(value: Any, path: list[str | int]) -> None:
    """Check a language map: RFC 5646 tags to strings (part two, 4.2)."""
    _object(value, path)
    for tag, text in value.items():
        if not formats.is_language_tag(tag):
            _fail([*path, tag], "is not an RFC 5646 language tag")
        _string(text, [*path, tag])


def check_extensions(value: Any, path: list[str | int]) -> None:
    """Check an extensions map: keys are IRIs, values anything (part two, 4.1)."""
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    for key in value:
        if not formats.is_iri(key):
            _fail([*path, key], "extension keys must be IRIs")


def check_verb(value: Any, path: list[str | int]) -> None:
    """Check a Verb: an IRI id and an optional display language map (2.4.3)."""
    verb = _object(value, path, frozenset({"id", "display"}))
    if "id" not in verb:
        _fail([*path, "id"], "is required")
    _iri(verb["id"], [*path, "id"])
    if "display" in verb:
        check_language_map(verb["display"], [*path, "display"])


def check_activity(value: Any, path: list[str | int]) -> None:
    """Check an Activity: an IRI id and an optional definition (2.4.4.1)."""
    activity = _object(value, path, frozenset({"objectType", "id", "definition"}))
    if activity.get("objectType", "Activity") != "Activity":
        _fail([*path, "objectType"], "must be 'Activity'")
    if "id" not in activity:
        _fail([*path, "id"], "is required")
    _iri(activity["id"], [*path, "id"])
    if "definition" in activity:
        definition = _object(activity["definition"], [*path, "definition"])
        if not definition:
            # 2.4.4.1: a definition holds at least one of its properties.
            _fail([*path, "definition"], "must hold at least one property (name, type...)")
        for key in ("name", "description"):
            if key in definition:
                check_language_map(definition[key], [*path, "definition", key])
        interaction_type = definition.get("interactionType", "choice")
        if not isinstance(interaction_type, str) or interaction_type not in INTERACTION_TYPES:
            _fail([*path, "definition", "interactionType"], "is not an interaction type of 2.4.4.1")
        for key in ("type", "moreInfo"):
            if key in definition:
                _iri(definition[key], [*path, "definition", key])
        if "extensions" in definition:
            check_extensions(definition["extensions"], [*path, "definition", "extensions"])


def check_statement_ref(value: Any, path: list[str | int]) -> None:
    """Check a StatementRef: objectType and a statement id (2.4.4.3)."""
    ref = _object(value, path, frozenset({"objectType", "id"}))
    if ref.get("objectType") != "StatementRef":
        _fail([*path, "objectType"], "must be 'StatementRef'")
    if "id" not in ref:
        _fail([*path, "id"], "is required")
    _uuid(ref["id"], [*path, "id"])


def check_object(value: Any, path: list[str | int], *, in_substatement: bool = False) -> None:
    """Check a statement's object by its objectType (2.4.4)."""
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        check_activity(value, path)
    elif object_type == "Agent":
        check_agent(value, path, object_type_required=True)
    elif object_type == "Group":
        check_group(value, path)
    elif object_type == "StatementRef":
        check_statement_ref(value, path)
    elif object_type == "SubStatement":
        if in_substatement:
            _fail([*path, "objectType"], "a SubStatement must not contain a SubStatement")
        check_statement(value, path, substatement=True)
    else:
        _fail([*path, "objectType"], f"unknown objectType {object_type!r}")


def check_result(value: Any, path: list[str | int]) -> None:
    """Check a Result: score bounds, booleans, response, duration (2.4.5)."""
    result = _object(value, path, RESULT_KEYS)
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            _fail([*path, key], "must be true or false")
    if "response" in result:
        _string(result["response"], [*path, "response"])
    if "duration" in result and not formats.is_duration(result["duration"]):
        _fail([*path, "duration"], "must be an ISO 8601 duration, e.g. PT1H30M or PT42.5S")
    if "extensions" in result:
        check_extensions(result["extensions"], [*path, "extensions"])
    if "score" in result:
        _check_score(result["score"], [*path, "score"])


def _check_score(value: Any, path: list[str | int]) -> None:
    score = _object(value, path, frozenset(SCORE_KEYS))
    for key, number in score.items():
        if not formats.is_number(number):
            _fail([*path, key], "must be a number")
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        _fail([*path, "scaled"], "must be between -1 and 1")
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and low >= high:
        _fail([*path, "min"], "must be less than max")
    if raw is not None and low is not None and raw < low:
        _fail([*path, "raw"], "must not be less than min")
    if raw is not None and high is not None and raw > high:
        _fail([*path, "raw"], "must not be greater than max")


def check_context(value: Any, path: list[str | int], object_type: str) -> None:
    """Check a Context; revision and platform only with an Activity object (2.4.6)."""
    context = _object(value, path, CONTEXT_KEYS)
    if "registration" in context:
        _uuid(context["registration"], [*path, "registration"])
    if "instructor" in context:
        check_actor(context["instructor"], [*path, "instructor"])
    if "team" in context:
        check_group(context["team"], [*path, "team"])
    for key in ("revision", "platform"):
        if key in context:
            _string(context[key], [*path, key])
            if object_type != "Activity":
                _fail([*path, key], "is allowed only when the object is an Activity")
    if "language" in context and not formats.is_language_tag(context["language"]):
        _fail([*path, "language"], "is not an RFC 5646 language tag")
    if "statement" in context:
        check_statement_ref(context["statement"], [*path, "statement"])
    if "extensions" in context:
        check_extensions(context["extensions"], [*path, "extensions"])
    if "contextActivities" in context:
        where = [*path, "contextActivities"]
        activities = _object(context["contextActivities"], where, frozenset(CONTEXT_ACTIVITY_KEYS))
        if not activities:
            # 2.4.6.2: one or more of parent, grouping, category, other.
            _fail(where, "must hold at least one of parent, grouping, category or other")
        for key, entry in activities.items():
            entries = entry if isinstance(entry, list) else [entry]
            for index, activity in enumerate(entries):
                at = [*where, key, index] if isinstance(entry, list) else [*where, key]
                check_activity(activity, at)


def check_attachment(value: Any, path: list[str | int]) -> None:
    """Check an Attachment's header (2.4.11)."""
    attachment = _object(value, path, ATTACHMENT_KEYS)
    for key in ("usageType", "display", "contentType", "length", "sha2"):
        if key not in attachment:
            _fail([*path, key], "is required")
    _iri(attachment["usageType"], [*path, "usageType"])
    check_language_map(attachment["display"], [*path, "display"])
    if "description" in attachment:
        check_language_map(attachment["description"], [*path, "description"])
    _string(attachment["contentType"], [*path, "contentType"])
    length = attachment["length"]
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        _fail([*path, "length"], "must be a whole number of octets")
    if not isinstance(attachment["sha2"], str) or not formats.SHA2_PATTERN.match(
        attachment["sha2"]
    ):
        _fail([*path, "sha2"], "must be the hex SHA-2 hash of the attachment")
    if "fileUrl" in attachment:
        _iri(attachment["fileUrl"], [*path, "fileUrl"])


def check_statement(value: Any, path: list[str | int], *, substatement: bool = False) -> None:
    """Check a Statement (or a SubStatement's narrower set of properties)."""
    statement = _object(value, path, SUBSTATEMENT_KEYS if substatement else STATEMENT_KEYS)
    for key in ("actor", "verb", "object"):
        if key not in statement:
            _fail([*path, key], "is required")
    if "id" in statement:
        _uuid(statement["id"], [*path, "id"])
    check_actor(statement["actor"], [*path, "actor"])
    check_verb(statement["verb"], [*path, "verb"])
    check_object(statement["object"], [*path, "object"], in_substatement=substatement)
    object_type = statement["object"].get("objectType", "Activity")
    if statement["verb"]["id"] == VERB_VOIDED and object_type != "StatementRef":
        _fail([*path, "object", "objectType"], "a voiding statement's object is a StatementRef")
    if "result" in statement:
        check_result(statement["result"], [*path, "result"])
    if "context" in statement:
        check_context(statement["context"], [*path, "context"], object_type)
    for key in ("timestamp", "stored"):
        if key in statement:
            check_timestamp(statement[key], [*path, key])
    if "authority" in statement:
        check_authority(statement["authority"], [*path, "authority"])
    version = statement.get("version", "1.0.0")
    if not (isinstance(version, str) and formats.VERSION_PATTERN.match(version)):
        _fail([*path, "version"], "must be 1.0 or a 1.0.x version, e.g. 1.0.3")
    if "attachments" in statement:
        if not isinstance(statement["attachments"], list):
            _fail([*path, "attachments"], "must be an array")
        for index, attachment in enumerate(statement["attachments"]):
            check_attachment(attachment, [*path, "attachments", index])
