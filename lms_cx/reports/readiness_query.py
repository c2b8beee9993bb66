"""What the manager asked the readiness table for: filters, sort order and page, from the URL.

Unknown or malformed values fall back to the defaults (a report link never breaks); only a
team outside the viewer's scope is refused, by ``Scope.narrowed_to``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from math import ceil
from typing import Any

from lms_cx.reports.labels import SORT_LABELS
from lms_cx.reports.readiness import STATUSES, EmployeeReadiness

#: Rows per page of the readiness table.
PAGE_SIZE = 50

_NONE_LAST = float("inf")


@dataclass(frozen=True)
class ReadinessQuery:
    """Filters (team, track, status, overdue only), sort column and direction, and page."""

    team: int | None = None
    track: str | None = None
    status: str | None = None
    overdue: bool = False
    sort: str = "name"
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReadinessQuery:
        """Read the query string; anything malformed is left at its default.

        Track codes are checked later, against the tracks there are (``known``).
        """
        team = args.get("team", "")
        status = args.get("status") or None
        page = args.get("page", "")
        return cls(
            team=int(team) if team.isdigit() else None,
            track=args.get("track") or None,
            status=status if status in STATUSES else None,
            overdue=args.get("overdue") == "1",
            sort=args.get("sort") or "name",
            descending=args.get("dir") == "desc",
            page=max(1, int(page)) if page.isdigit() else 1,
        )

    def known(self, track_codes: Iterable[str]) -> ReadinessQuery:
        """Return this query without an unknown track filter or sort column."""
        codes = set(track_codes)
        sort = self.sort
        if sort not in SORT_LABELS and sort.removeprefix("track:") not in codes:
            sort = "name"
        return replace(self, track=self.track if self.track in codes else None, sort=sort)

    def args(self, **changes: Any) -> dict[str, str | int]:
        """Return the query string of this query with ``changes``, defaults left out."""
        query = replace(self, **changes)
        values: dict[str, str | int | None] = {
            "team": query.team,
            "track": query.track,
            "status": query.status,
            "overdue": "1" if query.overdue else None,
            "sort": query.sort if query.sort != "name" else None,
            "dir": "desc" if query.descending else None,
            "page": query.page if query.page > 1 else None,
        }
        return {key: value for key, value in values.items() if value is not None}

    def sorted_by(self, column: str) -> dict[str, str | int]:
        """Return the query string that sorts by ``column`` (again: the other direction)."""
        descending = not self.descending if self.sort == column else False
        return self.args(sort=column, descending=descending, page=1)

    @property
    def filtered(self) -> bool:
        """Return True when a filter other than the team narrows the table."""
        return bool(self.track or self.status or self.overdue)


def filter_rows(
    rows: list[EmployeeReadiness], query: ReadinessQuery, track_codes: list[str]
) -> list[EmployeeReadiness]:
    """Return the rows the track, status and overdue filters let through.

    A status without a track matches anyone with that status in any track.
    """
    codes = [query.track] if query.track else track_codes
    kept = []
    for row in rows:
        if query.overdue and not row.overdue_count:
            continue
        if query.status and all(row.track(code).status != query.status for code in codes):
            continue
        kept.append(row)
    return kept


def _sort_key(column: str) -> Any:
    if column.startswith("track:"):
        code = column.removeprefix("track:")

        def by_track(row: EmployeeReadiness) -> tuple:
            readiness = row.track(code)
            score = readiness.score if readiness.score is not None else -1.0
            return (STATUSES.index(readiness.status), score)

        return by_track
    keys = {
        "team": lambda r: (r.team_name or "").casefold(),
        "hired": lambda r: r.days_since_hire if r.days_since_hire is not None else _NONE_LAST,
        "onboarding": lambda r: r.onboarding_percent if r.onboarding_percent is not None else 101,
        "overdue": lambda r: r.overdue_count,
        "activity": lambda r: r.last_activity_at.timestamp() if r.last_activity_at else 0.0,
        "csat": lambda r: r.csat_average if r.csat_average is not None else _NONE_LAST,
    }
    return keys.get(column, lambda r: 0)


def sort_rows(rows: list[EmployeeReadiness], query: ReadinessQuery) -> list[EmployeeReadiness]:
    """Return ``rows`` in the requested order; ties (and ``name``) go by name."""
    by_name = sorted(rows, key=lambda r: (r.display_name.casefold(), r.employee_id))
    if query.sort == "name":
        return list(reversed(by_name)) if query.descending else by_name
    return sorted(by_name, key=_sort_key(query.sort), reverse=query.descending)


@dataclass(frozen=True)
class Page:
    """One page of the table."""

    rows: list[EmployeeReadiness]
    number: int
    pages: int
    total: int

    @property
    def first_index(self) -> int:
        """Return the 1-based position of the page's first row (0 when empty)."""
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        """Return the 1-based position of the page's last row."""
        return self.first_index + len(self.rows) - 1 if self.rows else 0


def paginate(rows: list[EmployeeReadiness], number: int, size: int = PAGE_SIZE) -> Page:
    """Return page ``number`` of ``rows`` (the last page when ``number`` is past the end)."""
    pages = max(1, ceil(len(rows) / size))
    number = min(max(1, number), pages)
    return Page(rows[(number - 1) * size : number * size], number, pages, len(rows))
