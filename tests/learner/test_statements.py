"""Statements are built from learning events by one registry, checked against golden files.

Each ``golden/<name>.event.json`` is an event as a service describes it; the statement it
must become is ``golden/<name>.statement.json``. Regenerate after a deliberate change with
``LMS_CX_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/learner/test_statements.py`` and
review the diff.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from lms_cx.xapi import vocab
from lms_cx.xapi.statements import (
    TRANSFORMERS,
    StatementSettings,
    Transformer,
    build_statement,
    iso_duration,
    register,
    statement_id,
)
from lms_cx.xapi.validation import validate_statement

GOLDEN = Path(__file__).parent / "golden"
SETTINGS = StatementSettings(
    activity_base="https://lms.brightwave.example/xapi/activities",
    actor_ifi="mbox",
    account_homepage="https://lms.brightwave.example",
)
CASES = sorted(path.name.removesuffix(".event.json") for path in GOLDEN.glob("*.event.json"))


def load_event(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.event.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CASES)
def test_event_becomes_its_golden_statement(name: str) -> None:
    """Test that each golden event builds exactly its golden statement."""
    statement = build_statement(load_event(name), SETTINGS)
    expected_path = GOLDEN / f"{name}.statement.json"
    if os.environ.get("LMS_CX_UPDATE_GOLDEN"):
        expected_path.write_text(
            json.dumps(statement, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    assert statement == json.loads(expected_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CASES)
def test_golden_statement_is_valid_xapi(name: str) -> None:
    """Test that each golden statement passes the LRS's xAPI 1.0.3 validation."""
    validate_statement(json.loads((GOLDEN / f"{name}.statement.json").read_text(encoding="utf-8")))


def test_every_verb_the_profile_promises_has_a_transformer() -> None:
    """Test that the registry covers the ADL verbs of issue 4, and each event has a golden file."""
    verbs = {cls.verb for cls in TRANSFORMERS.values()}
    assert verbs == {
        vocab.VERB_LAUNCHED,
        vocab.VERB_INITIALIZED,
        vocab.VERB_EXPERIENCED,
        vocab.VERB_ANSWERED,
        vocab.VERB_ATTEMPTED,
        vocab.VERB_PASSED,
        vocab.VERB_FAILED,
        vocab.VERB_COMPLETED,
        vocab.VERB_PROGRESSED,
        vocab.VERB_TERMINATED,
        vocab.VERB_VOIDED,
    }
    assert set(TRANSFORMERS) <= {name.split(".scenario")[0] for name in CASES}


def test_statement_ids_are_uuid5_of_event_name_and_key() -> None:
    """Test that building an event twice gives the same id, and another key another id."""
    event = load_event("lesson.experienced")
    first = build_statement(event, SETTINGS)
    assert build_statement(event, SETTINGS)["id"] == first["id"]
    assert uuid.UUID(first["id"]).version == 5
    assert first["id"] == str(statement_id(event))
    other = build_statement({**event, "key": event["key"] + "-other"}, SETTINGS)
    assert other["id"] != first["id"]


def test_actor_is_an_account_when_configured() -> None:
    """Test that LMS_CX_XAPI_ACTOR_IFI="account" names the employee id on the homepage."""
    settings = StatementSettings(
        activity_base=SETTINGS.activity_base,
        actor_ifi="account",
        account_homepage="https://hr.brightwave.example",
    )
    statement = build_statement(load_event("module.launched"), settings)
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Ola Zielińska",
        "account": {"homePage": "https://hr.brightwave.example", "name": "4"},
    }
    validate_statement(statement)


def test_settings_come_from_the_app_config() -> None:
    """Test that the LMS_CX_XAPI_* keys become the settings (a trailing slash dropped)."""
    settings = StatementSettings.from_config(
        {
            "LMS_CX_XAPI_ACTIVITY_BASE": "https://x.example/acts/",
            "LMS_CX_XAPI_ACTOR_IFI": "account",
            "LMS_CX_XAPI_ACCOUNT_HOMEPAGE": "https://x.example",
        }
    )
    assert settings == StatementSettings("https://x.example/acts", "account", "https://x.example")


def test_module_statement_without_a_course_has_no_parent() -> None:
    """Test that a module assigned on its own has no course parent or grouping."""
    event = {**load_event("lesson.experienced"), "course": None}
    activities = build_statement(event, SETTINGS)["context"]["contextActivities"]
    assert "grouping" not in activities
    assert activities["parent"][0]["id"].endswith("/modules/comm-active-listening")


def test_learner_without_a_team_has_no_context_team() -> None:
    """Test that context.team is left out for a learner in no team."""
    event = load_event("module.launched")
    event["learner"] = {**event["learner"], "team": None}
    assert "team" not in build_statement(event, SETTINGS)["context"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (5, "PT5S"), (61.5, "PT1M1.5S"), (3600, "PT1H"), (3723.25, "PT1H2M3.25S")],
)
def test_durations_are_iso_8601(seconds: float, text: str) -> None:
    """Test that durations are written as ISO 8601 (PT#H#M#S)."""
    assert iso_duration(seconds) == text


def test_unknown_event_is_named_in_the_error() -> None:
    """Test that an event nobody registered raises naming the event."""
    with pytest.raises(KeyError, match="badge.earned"):
        build_statement({"event": "badge.earned", "key": "x"}, SETTINGS)


def test_registering_an_event_twice_is_refused() -> None:
    """Test that a second transformer for the same event raises."""
    with pytest.raises(ValueError, match="already registered"):
        register("lesson.experienced")(type("Again", (Transformer,), {}))
