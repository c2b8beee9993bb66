"""Statement validation: success and failure for each rule family of xAPI 1.0.3."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lms_cx.errors import ValidationError
from lms_cx.xapi.errors import StatementError
from lms_cx.xapi.validation import validate_statement, validate_statements
from tests.xapi.conftest import golden, make_statement

REG = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"


def with_value(path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a statement with ``value`` set at dotted ``path`` (``~`` removes the key)."""
    statement = copy.deepcopy(base or make_statement())
    *parents, last = path.split(".")
    node = statement
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if value == "~":
        node.pop(last)
    else:
        node[last] = value
    return statement


@pytest.mark.parametrize("name", ["simple", "long", "substatement", "interaction"])
def test_golden_statements_are_valid(name: str) -> None:
    """Test that the specification's example statements pass validation."""
    validate_statement(golden(name))


AGENT = {"objectType": "Agent", "mbox": "mailto:sub@example.com"}
SUB = {
    "objectType": "SubStatement",
    "actor": AGENT,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
    "object": {"id": "http://example.com/meeting"},
}

VALID = [
    # actor / IFI
    ("actor", {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
    ("actor", {"openid": "http://toby.openid.example.org/"}),
    ("actor", {"account": {"homePage": "http://www.example.com", "name": "1625378"}}),
    ("actor", {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}),
    ("actor", {"objectType": "Group", "mbox": "mailto:team@example.com"}),
    ("actor.mbox", "mailto:UPPER@Example.COM"),
    # IRIs
    ("verb.id", "urn:example:verbs:did"),
    ("object.id", "http://example.com/ünïcode/activity"),
    # language maps
    ("verb.display", {"en-US": "did", "zh-Hant-TW": "做", "fa": "انجام داد"}),
    ("object.definition.description", {"pl": "opis"}),
    # timestamps
    ("timestamp", "2024-05-01T09:30:00Z"),
    ("timestamp", "2024-05-01T09:30:00.123456+03:30"),
    ("timestamp", "2024-05-01T09:30:00.5"),
    ("timestamp", "2024-05-01T09:30:00+0200"),
    # durations
    ("result.duration", "PT4H35M59.14S"),
    ("result.duration", "P3Y1M29DT4H35M59.14S"),
    ("result.duration", "P4W"),
    ("result.duration", "P16559.14S"),
    ("result.duration", "PT0S"),
    # scores
    ("result.score", {"scaled": -1, "raw": 0, "min": 0, "max": 10}),
    ("result.score", {"scaled": 1.0}),
    ("result.score", {"raw": -5, "min": -10, "max": 0}),
    ("result.response", ""),
    # extensions
    ("result.extensions", {"http://example.com/ext": None}),
    ("context.extensions", {"urn:x:ext": {"nested": [1, None, "x"]}}),
    # context
    ("context", {"registration": REG, "revision": "2", "platform": "web", "language": "en-GB"}),
    ("context.contextActivities", {"parent": {"id": "http://example.com/p"}}),
    ("context.team", {"objectType": "Group", "mbox": "mailto:team@example.com"}),
    ("context.statement", {"objectType": "StatementRef", "id": REG}),
    ("context.instructor", {"objectType": "Group", "member": [{"mbox": "mailto:i@example.com"}]}),
    ("context.instructor", {"objectType": "Group", "mbox": "mailto:instructors@example.com"}),
    # SubStatements: an Agent or Group object, a Group instructor
    ("object", {**SUB, "object": {"objectType": "Agent", "mbox": "mailto:o@example.com"}}),
    ("object", {**SUB, "object": {"objectType": "Group", "mbox": "mailto:g@example.com"}}),
    ("object", {**SUB, "context": {"instructor": {"objectType": "Group", "member": [AGENT]}}}),
    # version, authority
    ("version", "1.0"),
    ("version", "1.0.0"),
    ("version", "1.0.3"),
    ("version", "1.0.99"),
    ("authority", {"objectType": "Agent", "mbox": "mailto:lrs@example.com"}),
    (
        "authority",
        {
            "objectType": "Group",
            "member": [
                {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "4f2c"}},
                {"mbox": "mailto:bob@example.com"},
            ],
        },
    ),
    ("id", "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"),
]


@pytest.mark.parametrize(("path", "value"), VALID, ids=[f"{p}={v!r}"[:60] for p, v in VALID])
def test_valid_values_are_accepted(path: str, value: Any) -> None:
    """Test that values the specification allows pass validation."""
    validate_statement(with_value(path, value))


INVALID = [
    # actor / IFI
    ("actor", {"name": "No IFI"}, "actor", "exactly one inverse functional identifier"),
    (
        "actor",
        {"mbox": "mailto:a@example.com", "openid": "http://o.example.com"},
        "actor",
        "found 2",
    ),
    ("actor.mbox", "a@example.com", "actor.mbox", "mailto"),
    ("actor.mbox", "mailto:nobody", "actor.mbox", "mailto"),
    ("actor", {"mbox_sha1sum": "not-a-hash"}, "actor.mbox_sha1sum", "SHA-1"),
    ("actor.objectType", "agent", "actor.objectType", "'Agent'"),
    ("actor", {"account": {"homePage": "no scheme", "name": "x"}}, "actor.account.homePage", "IRI"),
    ("actor", {"account": {"homePage": "http://a.example.com"}}, "actor.account.name", "required"),
    ("actor", {"objectType": "Group"}, "actor.member", "Anonymous Group"),
    (
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@e.com"}]},
        "actor.member[0]",
        "must not contain Groups",
    ),
    ("actor.member", [], "actor.member", "not a property"),
    ("actor", "~", "actor", "required"),
    # IRIs
    ("verb.id", "not an iri", "verb.id", "IRI"),
    ("verb.id", "", "verb.id", "IRI"),
    ("object.id", "activity-without-scheme", "object.id", "IRI"),
    ("object.definition.type", "type", "object.definition.type", "IRI"),
    # language maps
    ("verb.display", {"not a tag": "did"}, "verb.display.not a tag", "language tag"),
    ("verb.display", {"en": 3}, "verb.display.en", "string"),
    ("verb.display", "did", "verb.display", "JSON object"),
    ("context.language", "english please", "context.language", "language tag"),
    # timestamps
    ("timestamp", "2024-05-01", "timestamp", "ISO 8601"),
    ("timestamp", "yesterday", "timestamp", "ISO 8601"),
    ("timestamp", 1714555800, "timestamp", "ISO 8601"),
    ("timestamp", "2024-05-01T09:30:00-00:00", "timestamp", "ISO 8601"),
    ("timestamp", "2024-13-01T09:30:00Z", "timestamp", "ISO 8601"),
    # durations
    ("result.duration", "1 hour", "result.duration", "ISO 8601 duration"),
    ("result.duration", "P4W1D", "result.duration", "ISO 8601 duration"),
    ("result.duration", "PT", "result.duration", "ISO 8601 duration"),
    ("result.duration", 3600, "result.duration", "ISO 8601 duration"),
    # scores
    ("result.score", {"scaled": 1.5}, "result.score.scaled", "between -1 and 1"),
    ("result.score", {"scaled": "0.5"}, "result.score.scaled", "number"),
    ("result.score", {"raw": 11, "max": 10}, "result.score.raw", "greater than max"),
    ("result.score", {"raw": -1, "min": 0}, "result.score.raw", "less than min"),
    ("result.score", {"min": 10, "max": 10}, "result.score.min", "less than max"),
    ("result.score", {"raw": True}, "result.score.raw", "number"),
    ("result.success", "true", "result.success", "true or false"),
    ("result.completion", 1, "result.completion", "true or false"),
    # extensions
    ("result.extensions", {"not an iri": 1}, "result.extensions.not an iri", "IRIs"),
    ("context.extensions", {"": 1}, "context.extensions.", "IRIs"),
    ("object.definition.extensions", {"key": 1}, "object.definition.extensions.key", "IRIs"),
    # context
    ("context.registration", "not-a-uuid", "context.registration", "UUID"),
    ("context.registration", "ec531277b57b4c158d91d292c5b2b8f7", "context.registration", "UUID"),
    ("context.team", {"mbox": "mailto:t@example.com"}, "context.team.objectType", "'Group'"),
    ("context.contextActivities", {"sibling": []}, "context.contextActivities.sibling", "not a"),
    (
        "context.contextActivities",
        {"parent": {"id": "x"}},
        "context.contextActivities.parent.id",
        "IRI",
    ),
    ("context.statement", {"id": REG}, "context.statement.objectType", "StatementRef"),
    ("context.contextActivities", {}, "context.contextActivities", "at least one"),
    ("object.definition", {}, "object.definition", "at least one"),
    ("context.unknown", 1, "context.unknown", "not a property"),
    # nulls and unknown properties
    ("result.response", None, "result.response", "null"),
    ("object.definition.name", None, "object.definition.name", "null"),
    ("colour", "blue", "colour", "not a property"),
    ("object.definition.colour", "blue", "object.definition.colour", "Extra inputs"),
    ("object.definition.interactionType", "essay", "interactionType", "interaction type"),
    ("object.definition.interactionType", [], "interactionType", "interaction type"),
    # version, authority, id
    ("version", "2.0.0", "version", "1.0.x"),
    ("version", 1.0, "version", "1.0.x"),
    ("id", "not-a-uuid", "id", "UUID"),
    (
        "authority",
        {"objectType": "Group", "member": [{"mbox": "mailto:a@e.com"}]},
        "authority.member",
        "exactly two",
    ),
    ("authority", {"name": "nobody"}, "authority", "inverse functional identifier"),
    (
        "authority",
        {
            "objectType": "Group",
            "mbox": "mailto:g@e.com",
            "member": [AGENT, {"openid": "http://o"}],
        },
        "authority",
        "anonymous",
    ),
    # attachments
    ("attachments", {}, "attachments", "array"),
    (
        "attachments",
        [
            {
                "usageType": "http://e.com/u",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": "12",
                "sha2": "a" * 64,
            }
        ],
        "attachments[0].length",
        "whole number",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://e.com/u",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": 12,
            }
        ],
        "attachments[0].sha2",
        "required",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "message"), INVALID, ids=[f"{p}={v!r}"[:60] for p, v, *_ in INVALID]
)
def test_invalid_values_are_refused_naming_the_property(
    path: str, value: Any, field: str, message: str
) -> None:
    """Test that a value the specification forbids raises an error naming its property."""
    with pytest.raises(StatementError) as caught:
        validate_statement(with_value(path, value))
    assert field in (caught.value.field or ""), str(caught.value)
    assert message in caught.value.message, str(caught.value)


def test_statement_error_is_a_validation_error_with_status_400() -> None:
    """Test that StatementError is lms_cx's ValidationError and answers 400."""
    with pytest.raises(ValidationError) as caught:
        validate_statement(with_value("verb.id", "nope"))
    assert caught.value.status == 400


def test_agent_as_object_needs_object_type() -> None:
    """Test that an Agent object without objectType is read as an Activity and refused."""
    statement = with_value("object", {"mbox": "mailto:a@example.com"})
    with pytest.raises(StatementError, match="object"):
        validate_statement(statement)
    validate_statement(with_value("object", {"objectType": "Agent", "mbox": "mailto:a@e.com"}))


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_revision_and_platform_only_with_an_activity_object(key: str) -> None:
    """Test that context.revision/platform are refused unless the object is an Activity."""
    agent_object = {"objectType": "Agent", "mbox": "mailto:a@example.com"}
    statement = with_value("object", agent_object, with_value(f"context.{key}", "x"))
    with pytest.raises(StatementError) as caught:
        validate_statement(statement)
    assert caught.value.field == f"context.{key}"
    validate_statement(with_value(f"context.{key}", "x"))


def test_substatement_limits() -> None:
    """Test that a SubStatement may not nest, nor carry id, stored, version or authority."""
    sub = golden("substatement")
    nested = copy.deepcopy(sub)
    nested["object"]["object"] = copy.deepcopy(sub["object"])
    with pytest.raises(StatementError) as caught:
        validate_statement(nested)
    assert caught.value.field == "object.object.objectType"
    for key, value in [("id", REG), ("stored", "2024-01-01T00:00:00Z"), ("version", "1.0.0")]:
        bad = copy.deepcopy(sub)
        bad["object"][key] = value
        with pytest.raises(StatementError) as caught:
            validate_statement(bad)
        assert caught.value.field == f"object.{key}"


def test_voiding_statement_needs_a_statement_ref() -> None:
    """Test that a statement with the voided verb must have a StatementRef object."""
    voiding = make_statement("voided")
    with pytest.raises(StatementError, match="StatementRef"):
        validate_statement(voiding)
    voiding["object"] = {"objectType": "StatementRef", "id": REG}
    validate_statement(voiding)


def test_batch_error_names_the_statement_index() -> None:
    """Test that in a batch the error names the offending statement's index."""
    batch = [make_statement(), make_statement(), with_value("actor.mbox", "bad")]
    with pytest.raises(StatementError) as caught:
        validate_statements(batch)
    assert caught.value.index == 2
    assert str(caught.value).startswith("statements[2].actor.mbox: ")


def test_not_an_object_is_refused() -> None:
    """Test that a statement that is not a JSON object is refused."""
    with pytest.raises(StatementError, match="JSON object"):
        validate_statements([make_statement(), "statement"])
