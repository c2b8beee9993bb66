"""The summary above the readiness table: ready per track, onboarding, completion over time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment
from lms_cx.models.people import Employee
from lms_cx.reports.readiness import EmployeeReadiness
from lms_cx.reports.scope import Scope
from lms_cx.reports.sql import month_of

#: Months the completion-over-time chart covers, this one included.
TIMELINE_MONTHS = 12


@dataclass(frozen=True)
class TrackShare:
    """How many people are ready in a track, of those it is required of."""

    code: str
    ready: int
    assigned: int
    needs_refresh: int

    @property
    def percent(self) -> int | None:
        """Return the share ready, 0..100; None when nobody is assigned the track."""
        return round(100 * self.ready / self.assigned) if self.assigned else None


@dataclass(frozen=True)
class OnboardingShare:
    """How the people with onboarding are doing: complete, on track or late."""

    complete: int
    on_track: int
    late: int

    @property
    def total(self) -> int:
        """Return how many people have onboarding."""
        return self.complete + self.on_track + self.late


@dataclass(frozen=True)
class MonthPoint:
    """Assignments completed in one month, and the cumulative share completed by its end."""

    month: str  # YYYY-MM
    completed: int
    cumulative_percent: int | None


@dataclass(frozen=True)
class Summary:
    """The numbers above the table."""

    people: int
    tracks: list[TrackShare]
    onboarding: OnboardingShare
    overdue_people: int
    timeline: list[MonthPoint]


def track_shares(rows: Iterable[EmployeeReadiness], codes: list[str]) -> list[TrackShare]:
    """Return, per track, how many of ``rows`` are ready of those assigned it."""
    counts = {code: [0, 0, 0] for code in codes}
    for row in rows:
        for code in codes:
            status = row.track(code).status
            if status == "not_assigned":
                continue
            counts[code][1] += 1
            counts[code][0] += status == "ready"
            counts[code][2] += status == "needs_refresh"
    return [TrackShare(code, *counts[code]) for code in codes]


def onboarding_share(states: Iterable[str | None]) -> OnboardingShare:
    """Count onboarding states (``complete``, ``on_track``, ``late``; None is skipped)."""
    counts = {"complete": 0, "on_track": 0, "late": 0}
    for state in states:
        if state in counts:
            counts[state] += 1
    return OnboardingShare(**counts)


def _months(now: datetime, count: int) -> list[str]:
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def completion_timeline(
    session: Session, scope: Scope, now: datetime, months: int = TIMELINE_MONTHS
) -> list[MonthPoint]:
    """Return, for each of the last ``months`` months (UTC), assignments completed in it and
    the share of assignments given so far that were completed by its end.

    Cancelled assignments do not count. One grouped query over the scope's assignments.
    """
    assigned = month_of(Assignment.assigned_at)
    completed = month_of(Assignment.completed_at)
    rows = session.execute(
        sa.select(assigned, completed, sa.func.count())
        .join(Employee, Employee.id == Assignment.employee_id)
        .where(*scope.employee_conditions(), Assignment.state != "cancelled")
        .group_by(assigned, completed)
    ).all()
    labels = _months(now, months)
    points = []
    for label in labels:
        given = sum(n for a, _c, n in rows if a <= label)
        done = sum(n for _a, c, n in rows if c is not None and c <= label)
        in_month = sum(n for _a, c, n in rows if c == label)
        points.append(MonthPoint(label, in_month, round(100 * done / given) if given else None))
    return points


def summarise(
    session: Session,
    scope: Scope,
    rows: list[EmployeeReadiness],
    codes: list[str],
    now: datetime,
) -> Summary:
    """Return the summary of ``rows`` (the people of ``scope``)."""
    return Summary(
        people=len(rows),
        tracks=track_shares(rows, codes),
        onboarding=onboarding_share(row.onboarding_state for row in rows),
        overdue_people=sum(1 for row in rows if row.overdue_count),
        timeline=completion_timeline(session, scope, now),
    )
