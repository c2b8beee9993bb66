"""Per employee and track, how many required modules are satisfied: the readiness aggregate.

Open assignments are read item by item: each required module (a plan item) joined to its
progress row (same registration, same learner, the module's activity IRI), satisfied when the
row meets the module's moveOn rule. A completed assignment satisfied every module when it was
completed, so for it the plan's module count per track is enough — unless scores are wanted,
in which case its items are read too. Everything is grouped in SQL; nothing here runs once per
employee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Certificate, Progress
from lms_cx.models.people import Employee
from lms_cx.reports.readiness_plan import UNPINNED, PlanItem, plan_items_table
from lms_cx.reports.scope import Scope
from lms_cx.reports.sql import flag, later_of, registration_of


class TrackAggregate(NamedTuple):
    """What one employee's assignments require of one track, and how much is done.

    A tuple, as a whole organisation has tens of thousands of them.
    """

    employee_id: int
    track: str
    required: int
    satisfied: int
    started: int
    score_sum: float | None
    score_count: int
    remedial_open: int
    last_satisfied_at: datetime | None
    onboarding_required: int
    onboarding_satisfied: int
    onboarding_late: int

    @property
    def score(self) -> float | None:
        """Return the mean best score of the track's modules that have one."""
        return float(self.score_sum) / self.score_count if self.score_count else None


# Where ``TrackAggregate`` fields sit: the lean path adds them up in plain lists.
_field = TrackAggregate._fields.index
_REQUIRED, _SATISFIED, _STARTED = _field("required"), _field("satisfied"), _field("started")
_REMEDIAL_OPEN, _LAST_SATISFIED_AT = _field("remedial_open"), _field("last_satisfied_at")
_ONBOARDING_REQUIRED = _field("onboarding_required")
_ONBOARDING_SATISFIED = _field("onboarding_satisfied")
_ONBOARDING_LATE = _field("onboarding_late")


def _plan_key() -> tuple[sa.ColumnElement[Any], ...]:
    """Return what names an assignment's plan: kind, course or module id, pinned version
    (``UNPINNED`` before the learner starts)."""
    return (
        sa.case((Assignment.course_id.is_not(None), "course"), else_="module"),
        sa.func.coalesce(Assignment.course_id, Assignment.module_id),
        sa.func.coalesce(Assignment.course_version_id, Assignment.module_version_id, UNPINNED),
    )


def _plan_join(table: sa.CTE) -> sa.ColumnElement[bool]:
    """Return the condition joining an assignment to the plan rows of what it assigns."""
    kind, content_id, version_id = _plan_key()
    return sa.and_(
        table.c.kind == kind,
        table.c.content_id == content_id,
        table.c.version_id == version_id,
    )


def _satisfied(items: Any) -> Any:
    """Return 1 when the progress row meets the plan item's moveOn rule, else 0.

    The rule is a bit mask (``readiness_plan``); the outcome picks bit 2 * completed + passed.
    """
    outcome = flag(Progress.completion.is_(True)) * 2 + flag(Progress.success.is_(True))
    return items.rule.op(">>")(outcome).op("&")(1)


def _progress_join(items: Any) -> sa.ColumnElement[bool]:
    """Return the condition joining a plan item to its progress row in the assignment."""
    return sa.and_(
        Progress.employee_id == Assignment.employee_id,
        Progress.activity_id == items.activity_id,
        Progress.registration == registration_of(Assignment.id),
    )


def _full_query(table: sa.CTE, scope: Scope, now: datetime) -> sa.Select:
    """Return every column of ``TrackAggregate``, reading open and completed assignments."""
    items = table.c
    done = Assignment.state == "completed"
    satisfied = sa.case((done, 1), else_=_satisfied(items))
    satisfied_at = sa.func.coalesce(
        later_of(Progress.completed_at, Progress.passed_at), Assignment.completed_at
    )
    onboarding = flag(sa.or_(items.onboarding == 1, Assignment.source == "onboarding"))
    is_open = Assignment.state == "open"
    return (
        sa.select(
            Assignment.employee_id,
            items.track,
            sa.func.count(),
            sa.func.sum(satisfied),
            sa.func.sum(sa.case((done, 1), else_=flag(Progress.id.is_not(None)))),
            sa.func.sum(Progress.best_score_scaled),
            sa.func.count(Progress.best_score_scaled),
            sa.func.max(flag(sa.and_(is_open, Assignment.source == "remedial"))),
            sa.func.max(sa.case((satisfied == 1, satisfied_at))),
            sa.func.sum(onboarding),
            sa.func.sum(onboarding * satisfied),
            sa.func.max(onboarding * flag(sa.and_(is_open, Assignment.due_at < now))),
        )
        .join(table, _plan_join(table))
        .outerjoin(Progress, _progress_join(items))
        .where(
            Assignment.employee_id.in_(scope.employee_ids()),
            Assignment.state.in_(("open", "completed")),
        )
        .group_by(Assignment.employee_id, items.track)
    )


def _open_items_query(table: sa.CTE, scope: Scope, *, outer: bool) -> sa.Select:
    """Return, per employee, track and onboarding or not, how many modules of open
    assignments have progress, and how many of those meet their moveOn rule.

    Only modules with a progress row (an inner join) and a moveOn rule that asks something
    (``NotApplicable`` modules are satisfied regardless, counted from the plans): the least
    the organisation report needs to read. ``outer`` keeps a left join all the same: SQLite
    then walks assignments first, as it should; with an inner join it starts from the much
    larger progress table.
    """
    items = table.c
    onboarding = flag(sa.or_(items.onboarding == 1, Assignment.source == "onboarding"))
    return (
        sa.select(
            Assignment.employee_id,
            items.track,
            onboarding,
            sa.func.sum(_satisfied(items)),
            sa.func.count(Progress.id),
        )
        .join(table, _plan_join(table))
        .join(Progress, _progress_join(items), isouter=outer)
        .where(
            Assignment.employee_id.in_(scope.employee_ids()),
            Assignment.state == "open",
            items.rule.op("&")(1) == 0,
        )
        .group_by(Assignment.employee_id, items.track, onboarding)
    )


def _assignment_counts(session: Session, scope: Scope, now: datetime) -> list[sa.Row]:
    """Return the scope's open and completed assignments grouped by employee, what they
    assign, why, state and lateness."""
    overdue = flag(sa.and_(Assignment.state == "open", Assignment.due_at < now))
    columns = (Assignment.employee_id, *_plan_key(), Assignment.source)
    return list(
        session.execute(
            sa.select(*columns, Assignment.state, overdue, sa.func.count())
            .join(Employee, Employee.id == Assignment.employee_id)
            .where(*scope.employee_conditions(), Assignment.state.in_(("open", "completed")))
            .group_by(*columns, Assignment.state, overdue)
        )
    )


class _PlanTrack(NamedTuple):
    """How many modules of one track a plan requires, and which kinds."""

    modules: int
    #: Of the onboarding stage (the assigned course or module is).
    onboarding: int
    #: With a moveOn rule satisfied by neither completion nor success (``NotApplicable``).
    free: int
    free_onboarding: int


def _plan_counts(items: list[PlanItem]) -> dict[tuple[str, int, int], dict[str, _PlanTrack]]:
    """Return ``{plan key: {track: _PlanTrack}}``."""
    plans: dict[tuple[str, int, int], dict[str, list[int]]] = {}
    for item in items:
        tracks = plans.setdefault((item.kind, item.content_id, item.version_id), {})
        counts = tracks.setdefault(item.track, [0, 0, 0, 0])
        free = int(item.satisfied_when[0])  # satisfied with neither completion nor success
        counts[0] += 1
        counts[1] += int(item.onboarding)
        counts[2] += free
        counts[3] += free * int(item.onboarding)
    return {
        key: {track: _PlanTrack(*counts) for track, counts in tracks.items()}
        for key, tracks in plans.items()
    }


def _empty_sums(employee_id: int, track: str) -> list:
    """Return the ``TrackAggregate`` fields of a track nothing is counted in yet, as a list."""
    return [employee_id, track, 0, 0, 0, None, 0, 0, None, 0, 0, 0]


def _lean_aggregates(
    session: Session, table: sa.CTE, items: list[PlanItem], scope: Scope, now: datetime
) -> dict[tuple[int, str], list]:
    """Return ``TrackAggregate`` fields as lists: what is required from the plans of the
    assignments, what is satisfied from the progress of open ones (completed ones satisfied
    all), remedial work and lateness from the assignments."""
    plans = _plan_counts(items)
    sums: dict[tuple[int, str], list] = {}
    # Inlined lookups rather than a helper: these loops run some 100,000 times for 10,000 people.
    for (
        employee_id,
        kind,
        content_id,
        version_id,
        source,
        state,
        overdue,
        number,
    ) in _assignment_counts(session, scope, now):
        # Everything an onboarding assignment requires is onboarding, whatever its stage.
        whole = source == "onboarding"
        for track, counts in plans.get((kind, content_id, version_id), {}).items():
            sums_row = sums.get((employee_id, track))
            if sums_row is None:
                sums_row = sums[(employee_id, track)] = _empty_sums(employee_id, track)
            onboarding = counts.modules if whole else counts.onboarding
            sums_row[_REQUIRED] += counts.modules * number
            sums_row[_ONBOARDING_REQUIRED] += onboarding * number
            if state == "completed":
                sums_row[_SATISFIED] += counts.modules * number
                sums_row[_STARTED] += counts.modules * number
                sums_row[_ONBOARDING_SATISFIED] += onboarding * number
                continue
            sums_row[_SATISFIED] += counts.free * number
            free_onboarding = counts.free if whole else counts.free_onboarding
            sums_row[_ONBOARDING_SATISFIED] += free_onboarding * number
            if source == "remedial":
                sums_row[_REMEDIAL_OPEN] = 1
            if overdue and onboarding:
                sums_row[_ONBOARDING_LATE] = 1
    outer = session.get_bind().dialect.name == "sqlite"
    for employee_id, track, onboarding, satisfied, started in session.execute(
        _open_items_query(table, scope, outer=outer)
    ):
        sums_row = sums.get((employee_id, track))
        if sums_row is None:
            sums_row = sums[(employee_id, track)] = _empty_sums(employee_id, track)
        sums_row[_SATISFIED] += satisfied or 0
        sums_row[_STARTED] += started
        if onboarding:
            sums_row[_ONBOARDING_SATISFIED] += satisfied or 0
    return sums


def track_aggregates(
    session: Session,
    items: list[PlanItem],
    scope: Scope,
    now: datetime,
    *,
    scores: bool = True,
    renewals_for: Iterable[tuple[int, str]] = (),
) -> list[TrackAggregate]:
    """Return a ``TrackAggregate`` per employee in ``scope`` and track they are assigned.

    Without ``scores`` (the organisation report), completed assignments are counted from their
    plans and ``score`` is None; ``last_satisfied_at`` is then known only for the
    ``renewals_for`` pairs (those whose certificate expired, the only ones that need it).
    """
    if not items:
        return []
    table = plan_items_table(items, session.get_bind().dialect)
    if scores:
        return [TrackAggregate(*row) for row in session.execute(_full_query(table, scope, now))]
    sums = _lean_aggregates(session, table, items, scope, now)
    pairs = {pair for pair in renewals_for if pair in sums}
    if pairs:
        few = replace(scope, only_ids=tuple(sorted({employee for employee, _track in pairs})))
        for full in session.execute(_full_query(table, few, now)):
            if (full[0], full[1]) in pairs:
                sums[(full[0], full[1])][_LAST_SATISFIED_AT] = full[_LAST_SATISFIED_AT]
    return [TrackAggregate(*row) for row in sums.values()]


def expired_certificates(
    session: Session, items: list[PlanItem], employee_ids: sa.Select[tuple[int]], now: datetime
) -> dict[tuple[int, str], datetime]:
    """Return ``{(employee, track): expiry}`` for current certificates that have expired.

    A certificate is current when it is neither revoked nor superseded by a newer one; it
    touches the tracks of the modules its course version requires.
    """
    tracks: dict[int, set[str]] = {}
    for item in items:
        if item.kind == "course":
            tracks.setdefault(item.version_id, set()).add(item.track)
    expired: dict[tuple[int, str], datetime] = {}
    rows = session.execute(
        sa.select(
            Certificate.employee_id,
            Certificate.course_version_id,
            sa.func.max(Certificate.expires_at),
        )
        .where(
            Certificate.employee_id.in_(employee_ids),
            Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None),
            Certificate.expires_at <= now,
        )
        .group_by(Certificate.employee_id, Certificate.course_version_id)
    )
    for employee_id, version_id, expires_at in rows:
        for track in tracks.get(version_id, ()):
            key = (employee_id, track)
            expired[key] = max(expires_at, expired.get(key, expires_at))
    return expired
