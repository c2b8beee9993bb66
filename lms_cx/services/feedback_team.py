"""A team's customer feedback, month by month: what the whole team sees, as call centres show it.

Counts, CSAT and NPS with their trend over the last months, the top themes, representative
comments (the latest praise and complaints with a comment) and recognition: the people with
the most positive feedback this month. Months are calendar months in UTC. CSAT and NPS below
``LMS_CX_REVIEW_MIN_RESPONSES`` responses read "not enough data", as in review packets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import FeedbackItem, FeedbackTheme, Track
from lms_cx.models.people import Employee, Team
from lms_cx.reports.scope import NotInScope, Scope, TeamOption, viewer_scope
from lms_cx.services.review_stats import Metric, csat_metric, is_negative, is_positive, nps_metric

#: Months the trend shows, this one included.
TREND_MONTHS = 6
#: Comments of each mood the view quotes.
COMMENTS_PER_MOOD = 3
#: People recognised each month.
RECOGNISED = 3


def month_start(day: date) -> date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """Return the first day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass(frozen=True)
class MonthFigures:
    """One month of a team's feedback."""

    month: date
    count: int
    csat: Metric
    nps: Metric
    positive: int
    negative: int


@dataclass(frozen=True)
class TeamComment:
    """A customer's comment and whom it was about."""

    id: int
    employee_name: str
    occurred_at: datetime
    csat: int | None
    nps: int | None
    comment: str
    language: str | None


@dataclass(frozen=True)
class TeamFeedbackMonth:
    """The team feedback view of one month."""

    scope: Scope
    month: date
    figures: MonthFigures
    trend: list[MonthFigures]
    themes: list[tuple[str, int, int]]
    praise: list[TeamComment]
    complaints: list[TeamComment]
    recognition: list[tuple[str, int]]


def team_feedback_scope(session: Session, viewer: Employee, team_id: int | None) -> Scope:
    """Return whose feedback ``viewer`` sees: HR everyone, managers their teams, others their own.

    Unlike readiness reports the viewer is not left out: the team sees its own feedback.
    """
    if viewer.has_role("admin", "manager"):
        scope = replace(viewer_scope(session, viewer), exclude_id=None)
        if scope.team_ids == () and viewer.team_id is not None:
            scope = _own_team(session, viewer)
    else:
        scope = _own_team(session, viewer)
    return scope.narrowed_to(team_id)


def _own_team(session: Session, viewer: Employee) -> Scope:
    if viewer.team_id is None:
        return Scope(team_ids=(), teams=())
    team = session.get(Team, viewer.team_id)
    assert team is not None
    return Scope(team_ids=(team.id,), teams=(TeamOption(team.id, team.name, None, 0),))


def _figures(month: date, rows: list[sa.Row], min_responses: int) -> MonthFigures:
    return MonthFigures(
        month=month,
        count=len(rows),
        csat=csat_metric([r.csat for r in rows if r.csat is not None], min_responses),
        nps=nps_metric([r.nps for r in rows if r.nps is not None], min_responses),
        positive=sum(1 for r in rows if is_positive(r.csat, r.nps)),
        negative=sum(1 for r in rows if is_negative(r.csat, r.nps)),
    )


def team_feedback_month(
    session: Session, scope: Scope, month: date, min_responses: int
) -> TeamFeedbackMonth:
    """Return the view of ``month`` (its first day) for the people in ``scope``."""
    if scope.team_ids == ():
        raise NotInScope(None)
    first = add_months(month, -(TREND_MONTHS - 1))
    end = add_months(month, 1)
    rows = session.execute(
        sa.select(
            FeedbackItem.id,
            FeedbackItem.occurred_at,
            FeedbackItem.csat,
            FeedbackItem.nps,
            FeedbackItem.comment,
            FeedbackItem.language,
            Employee.id.label("employee_id"),
            Employee.display_name,
        )
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .where(
            *scope.employee_conditions(),
            FeedbackItem.occurred_at >= _instant(first),
            FeedbackItem.occurred_at < _instant(end),
        )
        .order_by(FeedbackItem.occurred_at.desc(), FeedbackItem.id.desc())
    ).all()
    by_month: dict[date, list[sa.Row]] = defaultdict(list)
    for row in rows:
        by_month[month_start(row.occurred_at.date())].append(row)
    current = by_month.get(month, [])
    themes = session.execute(
        sa.select(Track.code, FeedbackItem.csat, FeedbackItem.nps)
        .join(FeedbackTheme, FeedbackTheme.track_id == Track.id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackTheme.feedback_item_id)
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .where(
            *scope.employee_conditions(),
            FeedbackItem.occurred_at >= _instant(month),
            FeedbackItem.occurred_at < _instant(end),
        )
    ).all()
    theme_counts: Counter[str] = Counter(code for code, _c, _n in themes)
    theme_negative: Counter[str] = Counter(code for code, c, n in themes if is_negative(c, n))
    praised: Counter[tuple[int, str]] = Counter(
        (row.employee_id, row.display_name) for row in current if is_positive(row.csat, row.nps)
    )
    return TeamFeedbackMonth(
        scope=scope,
        month=month,
        figures=_figures(month, current, min_responses),
        trend=[
            _figures(
                add_months(first, step), by_month.get(add_months(first, step), []), min_responses
            )
            for step in range(TREND_MONTHS)
        ],
        themes=[
            (code, count, theme_negative[code])
            for code, count in sorted(theme_counts.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        praise=_quotes(current, is_positive),
        complaints=_quotes(current, is_negative),
        recognition=[
            (name, count)
            for (_id, name), count in sorted(
                praised.items(), key=lambda pair: (-pair[1], pair[0][1])
            )
        ][:RECOGNISED],
    )


def _quotes(rows: list[sa.Row], mood: object) -> list[TeamComment]:
    """Return the latest comments of a mood, one per distinct text."""
    seen: set[str] = set()
    quotes = []
    for row in rows:
        if not row.comment or not mood(row.csat, row.nps) or row.comment in seen:  # type: ignore[operator]
            continue
        seen.add(row.comment)
        quotes.append(
            TeamComment(
                row.id,
                row.display_name,
                row.occurred_at,
                row.csat,
                row.nps,
                row.comment,
                row.language,
            )
        )
        if len(quotes) == COMMENTS_PER_MOOD:
            break
    return quotes
