"""Team readiness: per employee, a status and score in every track, plus onboarding, overdue
work, last activity and customer satisfaction — a handful of SQL aggregates for any team size.

The definition of *ready* is in ``docs/readiness.md``; ``track_status`` is its code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, FeedbackItem, Progress, Track
from lms_cx.models.people import Employee, Team
from lms_cx.reports.readiness_items import (
    TrackAggregate,
    expired_certificates,
    track_aggregates,
)
from lms_cx.reports.readiness_plan import plan_items
from lms_cx.reports.scope import Scope

#: Track statuses, from worst to best for sorting; ``not_assigned``: no module of it required.
STATUSES = ("needs_refresh", "not_started", "in_progress", "ready", "not_assigned")

#: Customer satisfaction is averaged over this many days.
CSAT_DAYS = 90


@dataclass(frozen=True)
class TrackInfo:
    """A competency track as reports label it."""

    code: str
    title: dict[str, str]


@dataclass(frozen=True)
class TrackReadiness:
    """Where one employee stands in one track."""

    status: str
    required: int = 0
    satisfied: int = 0
    score: float | None = None
    #: Why a refresh is needed: ``remedial`` (open remedial training), ``expired`` (certificate).
    refresh_reasons: tuple[str, ...] = ()


NOT_ASSIGNED = TrackReadiness("not_assigned")


@dataclass(frozen=True)
class EmployeeReadiness:
    """One row of the team readiness page."""

    employee_id: int
    display_name: str
    email: str
    team_id: int | None
    team_name: str | None
    hire_date: date | None
    days_since_hire: int | None
    open_count: int
    overdue_count: int
    last_activity_at: datetime | None
    csat_average: float | None
    csat_count: int
    onboarding_required: int = 0
    onboarding_satisfied: int = 0
    onboarding_late: bool = False
    tracks: dict[str, TrackReadiness] = field(default_factory=dict)

    def track(self, code: str) -> TrackReadiness:
        """Return the readiness in track ``code`` (``not_assigned`` when none is required)."""
        return self.tracks.get(code, NOT_ASSIGNED)

    @property
    def onboarding_percent(self) -> int | None:
        """Return the share of onboarding modules satisfied, 0..100; None without onboarding."""
        if not self.onboarding_required:
            return None
        return round(100 * self.onboarding_satisfied / self.onboarding_required)

    @property
    def onboarding_state(self) -> str | None:
        """Return ``complete``, ``late`` or ``on_track``; None without onboarding."""
        if not self.onboarding_required:
            return None
        if self.onboarding_satisfied == self.onboarding_required:
            return "complete"
        return "late" if self.onboarding_late else "on_track"


def track_status(
    required: int,
    satisfied: int,
    started: int,
    remedial_open: bool,
    expired_at: datetime | None,
    last_satisfied_at: datetime | None,
) -> tuple[str, tuple[str, ...]]:
    """Return a track's status and refresh reasons from its aggregated plan items.

    An expired certificate stops asking for a refresh once a module of the track is
    satisfied again after it expired.
    """
    reasons: list[str] = []
    if remedial_open:
        reasons.append("remedial")
    if expired_at is not None and (last_satisfied_at is None or last_satisfied_at < expired_at):
        reasons.append("expired")
    if reasons:
        return "needs_refresh", tuple(reasons)
    if not required:
        return "not_assigned", ()
    if satisfied == required:
        return "ready", ()
    return ("in_progress" if started or satisfied else "not_started"), ()


def tracks(session: Session) -> list[TrackInfo]:
    """Return every competency track in its display order."""
    return [
        TrackInfo(code, dict(title))
        for code, title in session.execute(
            sa.select(Track.code, Track.title).order_by(Track.position, Track.code)
        )
    ]


def _people(session: Session, scope: Scope, now: datetime) -> list[sa.Row]:
    employee_ids = scope.employee_ids()
    is_open = Assignment.state == "open"
    work = (
        sa.select(
            Assignment.employee_id,
            sa.func.count().filter(is_open).label("open_count"),
            sa.func.count().filter(is_open, Assignment.due_at < now).label("overdue_count"),
        )
        .where(Assignment.employee_id.in_(employee_ids))
        .group_by(Assignment.employee_id)
        .subquery()
    )
    activity = (
        sa.select(Progress.employee_id, sa.func.max(Progress.last_activity_at).label("last_at"))
        .where(Progress.employee_id.in_(employee_ids))
        .group_by(Progress.employee_id)
        .subquery()
    )
    csat = (
        sa.select(
            FeedbackItem.employee_id,
            sa.func.avg(FeedbackItem.csat).label("average"),
            sa.func.count(FeedbackItem.csat).label("responses"),
        )
        .where(
            FeedbackItem.employee_id.in_(employee_ids),
            FeedbackItem.occurred_at >= now - timedelta(days=CSAT_DAYS),
            FeedbackItem.csat.is_not(None),
        )
        .group_by(FeedbackItem.employee_id)
        .subquery()
    )
    query = (
        sa.select(
            Employee.id,
            Employee.display_name,
            Employee.email,
            Employee.team_id,
            Team.name,
            Employee.hire_date,
            sa.func.coalesce(work.c.open_count, 0),
            sa.func.coalesce(work.c.overdue_count, 0),
            activity.c.last_at,
            csat.c.average,
            sa.func.coalesce(csat.c.responses, 0),
        )
        .outerjoin(Team, Team.id == Employee.team_id)
        .outerjoin(work, work.c.employee_id == Employee.id)
        .outerjoin(activity, activity.c.employee_id == Employee.id)
        .outerjoin(csat, csat.c.employee_id == Employee.id)
        .where(Employee.id.in_(employee_ids))
    )
    return list(session.execute(query))


def track_readiness(
    aggregates: list[TrackAggregate], expired: dict[tuple[int, str], datetime]
) -> dict[int, dict[str, TrackReadiness]]:
    """Return ``{employee: {track: TrackReadiness}}`` from aggregates and expired certificates."""
    expired = dict(expired)
    result: dict[int, dict[str, TrackReadiness]] = {}
    for row in aggregates:
        expired_at = expired.pop((row.employee_id, row.track), None)
        status, reasons = track_status(
            row.required,
            row.satisfied,
            row.started,
            bool(row.remedial_open),
            expired_at,
            row.last_satisfied_at,
        )
        result.setdefault(row.employee_id, {})[row.track] = TrackReadiness(
            status, row.required, row.satisfied, row.score, reasons
        )
    for (employee_id, track), expired_at in expired.items():
        status, reasons = track_status(0, 0, 0, False, expired_at, None)
        result.setdefault(employee_id, {})[track] = TrackReadiness(status, refresh_reasons=reasons)
    return result


def readiness_rows(session: Session, scope: Scope, now: datetime) -> list[EmployeeReadiness]:
    """Return one ``EmployeeReadiness`` per active employee in ``scope``, ordered by name."""
    today = now.date()
    employee_ids = scope.employee_ids()
    items = plan_items(session, employee_ids)
    aggregates = track_aggregates(session, items, scope, now)
    per_track = track_readiness(aggregates, expired_certificates(session, items, employee_ids, now))
    onboarding: dict[int, list[int]] = {}
    for row in aggregates:
        counts = onboarding.setdefault(row.employee_id, [0, 0, 0])
        counts[0] += row.onboarding_required
        counts[1] += row.onboarding_satisfied
        counts[2] |= row.onboarding_late
    rows = []
    for row in _people(session, scope, now):
        employee_id, hire_date = row[0], row[5]
        ob = onboarding.get(employee_id, (0, 0, 0))
        rows.append(
            EmployeeReadiness(
                employee_id=employee_id,
                display_name=row[1],
                email=row[2],
                team_id=row[3],
                team_name=row[4],
                hire_date=hire_date,
                days_since_hire=(today - hire_date).days if hire_date else None,
                open_count=row[6],
                overdue_count=row[7],
                last_activity_at=row[8],
                csat_average=float(row[9]) if row[9] is not None else None,
                csat_count=row[10],
                onboarding_required=ob[0],
                onboarding_satisfied=ob[1],
                onboarding_late=bool(ob[2]),
                tracks=per_track.get(employee_id, {}),
            )
        )
    rows.sort(key=lambda r: (r.display_name.casefold(), r.employee_id))
    return rows
