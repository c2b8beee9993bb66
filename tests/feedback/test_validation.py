"""The one feedback validator that CSV rows and REST JSON share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lms_cx.services.feedback_dates import parse_timestamp
from lms_cx.services.feedback_validation import FeedbackValidator

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", datetime(2026, 2, 28, 23, 0, tzinfo=UTC)),
        ("2026-03-01 14:05", datetime(2026, 3, 1, 13, 5, tzinfo=UTC)),
        ("2026-03-01T14:05:00Z", datetime(2026, 3, 1, 14, 5, tzinfo=UTC)),
        ("2026-03-01T14:05:00+03:30", datetime(2026, 3, 1, 10, 35, tzinfo=UTC)),
        ("01.03.2026 9:05", datetime(2026, 3, 1, 8, 5, tzinfo=UTC)),
        ("1.3.2026", datetime(2026, 2, 28, 23, 0, tzinfo=UTC)),
        ("2026/03/01 14:05", datetime(2026, 3, 1, 13, 5, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_in_the_given_zone_unless_they_carry_one(text, expected) -> None:
    """Test the accepted date formats, zone-less ones read in the uploader's zone."""
    assert parse_timestamp(text, WARSAW) == expected


@pytest.mark.parametrize("text", ["03/01/2026", "31.02.2026", "yesterday", "2026-13-01", ""])
def test_ambiguous_or_impossible_dates_are_refused(text) -> None:
    """Test that US/UK slash dates, impossible dates and words are not guessed at."""
    assert parse_timestamp(text, UTC) is None


def test_json_values_and_csv_strings_validate_alike(session, org, now) -> None:
    """Test that the same item as JSON types or as CSV text gives the same record."""
    validator = FeedbackValidator(session, default_source="x", now=now)
    when = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    from_json, problems = validator.validate(
        {"employee": "A1", "occurred_at": when, "csat": 4, "nps": 8, "tags": ["Wait Time"]}
    )
    assert problems == []
    other = FeedbackValidator(session, default_source="x", now=now)
    from_csv, problems = other.validate(
        {"employee": "A1", "occurred_at": when, "csat": "4", "nps": "8", "tags": "wait-time"}
    )
    assert problems == []
    assert from_json == from_csv
    assert from_json.tags == ("wait_time",)


def test_every_problem_of_a_row_is_reported(session, org, now) -> None:
    """Test that one row with several bad fields yields one problem per field."""
    validator = FeedbackValidator(session, default_source="x", now=now)
    future = (now + timedelta(days=3)).isoformat()
    record, problems = validator.validate(
        {"employee": "A1", "occurred_at": future, "csat": True, "ces": 0, "source": "a b"}, line=7
    )
    assert record is None
    assert {(p.line, p.field) for p in problems} == {
        (7, "occurred_at"),
        (7, "csat"),
        (7, "ces"),
        (7, "source"),
    }


def test_an_item_needs_a_score_or_a_comment(session, org, now) -> None:
    """Test that a row naming only the employee and the date is refused."""
    validator = FeedbackValidator(session, default_source="x", now=now)
    record, problems = validator.validate({"employee": "A1", "occurred_at": "2026-01-01"})
    assert record is None and "csat" in problems[0].message


def test_employees_are_found_by_external_id_or_email_case_insensitively(session, org, now) -> None:
    """Test that the employee column takes an external id or any-case email."""
    validator = FeedbackValidator(session, default_source="x", now=now)
    agent = org.agents[1]
    for value in (agent.external_id, agent.email.upper()):
        record, problems = validator.validate(
            {"employee": value, "occurred_at": "2026-01-01", "csat": 3, "external_id": value}
        )
        assert problems == [] and record.employee_id == agent.id
    record, problems = validator.validate(
        {"employee_email": agent.external_id, "occurred_at": "2026-01-01", "csat": 3}
    )
    assert record is None and problems[0].field == "employee_email"
