"""The organisation-wide readiness report for administrators: one row per team, and a total.

Built for 10,000 people and more: the per-track statuses come from the lean aggregate
(completed assignments counted from their plans, open ones read item by item), and everything
else is grouped by team in SQL. No per-employee rows leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, FeedbackItem
from lms_cx.models.people import Employee
from lms_cx.reports.readiness import CSAT_DAYS, TrackInfo, track_status, tracks
from lms_cx.reports.readiness_items import expired_certificates, track_aggregates
from lms_cx.reports.readiness_plan import plan_items
from lms_cx.reports.readiness_summary import (
    MonthPoint,
    OnboardingShare,
    TrackShare,
    completion_timeline,
)
from lms_cx.reports.scope import Scope, viewer_scope


@dataclass(frozen=True)
class TeamRow:
    """One team's readiness (its own members; sub-teams have rows of their own)."""

    team_id: int | None
    name: str | None
    parent_name: str | None
    depth: int
    people: int
    overdue_people: int
    onboarding: OnboardingShare
    csat_average: float | None
    csat_count: int
    tracks: list[TrackShare]
    #: The organisation's total rather than a team.
    is_total: bool = False


@dataclass(frozen=True)
class OrganisationReport:
    """Every team, the organisation's total and its completion over time."""

    tracks: list[TrackInfo]
    teams: list[TeamRow]
    total: TeamRow
    timeline: list[MonthPoint]
    generated_at: datetime


def _by_team(session: Session, scope: Scope, now: datetime) -> dict[int | None, list]:
    """Return ``{team: [people, overdue people, csat sum, csat count]}`` in three queries."""
    result: dict[int | None, list] = {}
    people = session.execute(
        sa.select(Employee.team_id, sa.func.count())
        .where(*scope.employee_conditions())
        .group_by(Employee.team_id)
    )
    for team_id, count in people:
        result[team_id] = [count, 0, 0.0, 0]
    overdue = (
        sa.select(Assignment.employee_id)
        .where(Assignment.state == "open", Assignment.due_at < now)
        .distinct()
        .subquery()
    )
    for team_id, count in session.execute(
        sa.select(Employee.team_id, sa.func.count())
        .join(overdue, overdue.c.employee_id == Employee.id)
        .where(*scope.employee_conditions())
        .group_by(Employee.team_id)
    ):
        result[team_id][1] = count
    for team_id, total, count in session.execute(
        sa.select(
            Employee.team_id, sa.func.sum(FeedbackItem.csat), sa.func.count(FeedbackItem.csat)
        )
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .where(
            *scope.employee_conditions(),
            FeedbackItem.occurred_at >= now - timedelta(days=CSAT_DAYS),
            FeedbackItem.csat.is_not(None),
        )
        .group_by(Employee.team_id)
    ):
        result[team_id][2:] = [float(total or 0), count]
    return result


def organisation_report(session: Session, viewer: Employee, now: datetime) -> OrganisationReport:
    """Return the readiness of every team ``viewer`` may see (an administrator: everyone)."""
    scope = viewer_scope(session, viewer)
    track_list = tracks(session)
    codes = [track.code for track in track_list]
    items = plan_items(session, scope.employee_ids())
    expired = expired_certificates(session, items, scope.employee_ids(), now)
    aggregates = track_aggregates(session, items, scope, now, scores=False, renewals_for=expired)
    team_of: dict[int, int | None] = {
        employee_id: team_id
        for employee_id, team_id in session.execute(
            sa.select(Employee.id, Employee.team_id).where(*scope.employee_conditions())
        )
    }
    # Per team: per track [ready, assigned, needs refresh]; under "" [complete, on track, late].
    tallies: dict[int | None, dict[str, list[int]]] = {}
    for team_id in set(team_of.values()):
        tallies[team_id] = {code: [0, 0, 0] for code in [*codes, ""]}
    onboarding: dict[int, list[int]] = {}
    for row in aggregates:
        tally = tallies[team_of[row.employee_id]].get(row.track)
        expired_at = expired.pop((row.employee_id, row.track), None)
        status = track_status(
            row.required,
            row.satisfied,
            row.started,
            bool(row.remedial_open),
            expired_at,
            row.last_satisfied_at,
        )[0]
        if tally is not None and status != "not_assigned":
            tally[0] += status == "ready"
            tally[1] += 1
            tally[2] += status == "needs_refresh"
        counts = onboarding.setdefault(row.employee_id, [0, 0, 0])
        counts[0] += row.onboarding_required
        counts[1] += row.onboarding_satisfied
        counts[2] |= row.onboarding_late
    for employee_id, track in expired:  # an expired certificate, nothing assigned any more
        tally = tallies[team_of[employee_id]].get(track)
        if tally is not None:
            tally[1] += 1
            tally[2] += 1
    for employee_id, (required, satisfied, late) in onboarding.items():
        if required:
            tallies[team_of[employee_id]][""][0 if satisfied == required else 2 if late else 1] += 1
    basics = _by_team(session, scope, now)
    names = {t.id: t for t in scope.teams}

    def row(
        team_id: int | None, tally: dict[str, list[int]], basic: list, depth: int, total=False
    ) -> TeamRow:
        team = names.get(team_id) if team_id is not None else None
        parent = names.get(team.parent_id) if team and team.parent_id else None
        return TeamRow(
            team_id=team_id,
            name=team.name if team else None,
            parent_name=parent.name if parent else None,
            depth=depth,
            people=basic[0],
            overdue_people=basic[1],
            onboarding=OnboardingShare(*tally[""]),
            csat_average=basic[2] / basic[3] if basic[3] else None,
            csat_count=basic[3],
            tracks=[TrackShare(code, *tally[code]) for code in codes],
            is_total=total,
        )

    empty = {code: [0, 0, 0] for code in [*codes, ""]}
    teams = [
        row(team.id, tallies.get(team.id, empty), basics.get(team.id, [0, 0, 0.0, 0]), team.depth)
        for team in scope.teams
    ]
    if None in basics:
        teams.append(row(None, tallies.get(None, empty), basics[None], 0))
    total_tally = {
        code: [sum(t.get(code, [0, 0, 0])[i] for t in tallies.values()) for i in range(3)]
        for code in [*codes, ""]
    }
    total_basic = [sum(b[i] for b in basics.values()) for i in range(4)]
    total = row(None, total_tally, total_basic, 0, total=True)
    return OrganisationReport(
        tracks=track_list,
        teams=teams,
        total=total,
        timeline=completion_timeline(session, scope, now),
        generated_at=now,
    )
