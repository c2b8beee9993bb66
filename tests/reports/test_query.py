"""Reading the readiness table's filters, sort and page from the URL, and applying them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lms_cx.reports.readiness import EmployeeReadiness, TrackReadiness
from lms_cx.reports.readiness_query import (
    ReadinessQuery,
    filter_rows,
    paginate,
    sort_rows,
)

CODES = ["communication", "problem_solving"]


def person(name: str, overdue: int = 0, **tracks: str) -> EmployeeReadiness:
    return EmployeeReadiness(
        employee_id=hash(name) % 1000,
        display_name=name,
        email=f"{name.lower()}@example.com",
        team_id=1,
        team_name="Team",
        hire_date=date(2025, 1, 1),
        days_since_hire=10,
        open_count=overdue,
        overdue_count=overdue,
        last_activity_at=datetime(2026, 1, 1, tzinfo=UTC),
        csat_average=None,
        csat_count=0,
        tracks={code: TrackReadiness(status, 1, 0) for code, status in tracks.items()},
    )


def test_malformed_arguments_fall_back_to_defaults() -> None:
    """Test that a broken query string gives the default query rather than an error."""
    query = ReadinessQuery.from_args(
        {"team": "x1", "status": "bogus", "page": "-3", "overdue": "yes", "dir": "up"}
    )
    assert query == ReadinessQuery()


def test_unknown_track_and_sort_are_dropped() -> None:
    """Test that a track or sort column that does not exist is ignored."""
    query = ReadinessQuery.from_args({"track": "nope", "sort": "track:nope"}).known(CODES)
    assert (query.track, query.sort) == (None, "name")
    query = ReadinessQuery.from_args({"sort": "track:communication"}).known(CODES)
    assert query.sort == "track:communication"


def test_args_round_trip_and_leave_defaults_out() -> None:
    """Test that a query's arguments read back as the same query, without default values."""
    query = ReadinessQuery(team=3, status="ready", overdue=True, sort="csat", descending=True)
    assert ReadinessQuery.from_args({k: str(v) for k, v in query.args().items()}) == query
    assert ReadinessQuery().args() == {}
    assert "dir" not in query.sorted_by("csat")


def test_status_filter_matches_any_track_unless_one_is_chosen() -> None:
    """Test that a status alone matches any track, and with a track only that track."""
    rows = [
        person("Ada", communication="ready", problem_solving="not_started"),
        person("Bo", communication="not_started", problem_solving="ready"),
    ]
    any_track = filter_rows(rows, ReadinessQuery(status="not_started"), CODES)
    assert [r.display_name for r in any_track] == ["Ada", "Bo"]
    one = filter_rows(rows, ReadinessQuery(status="ready", track="communication"), CODES)
    assert [r.display_name for r in one] == ["Ada"]


def test_overdue_only_keeps_people_with_overdue_work() -> None:
    """Test that the overdue filter keeps only people with an overdue assignment."""
    rows = [person("Ada"), person("Bo", overdue=2)]
    assert [r.display_name for r in filter_rows(rows, ReadinessQuery(overdue=True), CODES)] == [
        "Bo"
    ]


def test_sorting_by_track_puts_the_worst_status_first() -> None:
    """Test that sorting by a track orders by status, worst (needs refresh) first."""
    rows = [
        person("Ada", communication="ready"),
        person("Bo", communication="needs_refresh"),
        person("Cy", communication="in_progress"),
    ]
    order = sort_rows(rows, ReadinessQuery(sort="track:communication"))
    assert [r.display_name for r in order] == ["Bo", "Cy", "Ada"]
    order = sort_rows(rows, ReadinessQuery(sort="track:communication", descending=True))
    assert [r.display_name for r in order] == ["Ada", "Cy", "Bo"]


def test_pages_hold_fifty_rows_and_clamp_past_the_end() -> None:
    """Test that pages hold 50 rows and a page number past the end shows the last page."""
    rows = [person(f"P{n:03d}") for n in range(120)]
    page = paginate(rows, 2)
    assert (len(page.rows), page.pages, page.first_index, page.last_index) == (50, 3, 51, 100)
    last = paginate(rows, 9)
    assert (last.number, len(last.rows), last.total) == (3, 20, 120)
