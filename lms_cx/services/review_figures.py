"""The figures of review packets, for a whole population at once (a few grouped queries).

A period is whole UTC days, ``start`` to ``end`` inclusive. Definitions (``docs/reviews.md``):

- required assignments: not self-enrolled, not cancelled, due within the period; each is
  completed on time, completed late, overdue (open and past due when the period ends, or now
  if earlier) or not yet due;
- quiz averages: the mean scaled score of attempts submitted in the period, per track;
- certificates: their state when the period ends; valid ones expiring within
  ``expiring_days`` after it count as expiring;
- customer feedback: items that occurred in the period, and the same for the previous period;
- remedial assignments: those assigned in the period, with their outcome and the negative
  feedback in their track before and after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import (
    Assignment,
    Certificate,
    Course,
    FeedbackItem,
    FeedbackTheme,
    Module,
    QuizAttempt,
    Track,
)
from lms_cx.models.people import Employee, Team
from lms_cx.services.recertification import certificate_state
from lms_cx.services.review_remedial import remedial_lines, remedial_query
from lms_cx.services.review_stats import csat_metric, is_negative, is_positive, nps_metric

#: Compliments quoted in a packet.
COMPLIMENTS = 3
_CHUNK = 500


@dataclass(frozen=True)
class Period:
    """Whole UTC days from ``start`` to ``end`` inclusive."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        """Return the first instant of the period."""
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """Return the first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)

    def before(self) -> Period:
        """Return the period of the same length that ends the day before this one starts."""
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end)

    def as_data(self) -> dict[str, str]:
        """Return the period as ISO dates."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class FigureSettings:
    """What the figures depend on besides the data."""

    min_responses: int
    expiring_days: int


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def query_rows(session: Session, ids: Sequence[int], query: Any, column: Any) -> Iterator[Any]:
    """Run ``query`` for ``ids`` in chunks (IN lists stay short on every database)."""
    for chunk in _chunks(ids):
        yield from session.execute(query.where(column.in_(chunk)))


def people(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Return who each employee is: name, email, external id, team."""
    query = sa.select(
        Employee.id,
        Employee.display_name,
        Employee.email,
        Employee.external_id,
        Employee.team_id,
        Team.name,
    ).outerjoin(Team, Team.id == Employee.team_id)
    return {
        row.id: {
            "id": row.id,
            "name": row.display_name,
            "email": row.email,
            "external_id": row.external_id,
            "team_id": row.team_id,
            "team": row.name,
        }
        for row in query_rows(session, ids, query, Employee.id)
    }


def _training(
    session: Session, ids: Sequence[int], period: Period, as_of: datetime
) -> dict[int, dict[str, int]]:
    done = Assignment.completed_at.is_not(None)
    count = sa.func.count
    query = (
        sa.select(
            Assignment.employee_id,
            count(),
            count(sa.case((sa.and_(done, Assignment.completed_at <= Assignment.due_at), 1))),
            count(sa.case((sa.and_(done, Assignment.completed_at > Assignment.due_at), 1))),
            count(sa.case((sa.and_(~done, Assignment.due_at < as_of), 1))),
        )
        .where(
            Assignment.source != "self",
            Assignment.state != "cancelled",
            Assignment.due_at >= period.since,
            Assignment.due_at < period.until,
        )
        .group_by(Assignment.employee_id)
    )
    figures = {}
    for employee_id, required, on_time, late, overdue in query_rows(
        session, ids, query, Assignment.employee_id
    ):
        figures[employee_id] = {
            "required": required,
            "completed_on_time": on_time,
            "completed_late": late,
            "overdue": overdue,
            "not_yet_due": required - on_time - late - overdue,
        }
    return figures


def _quizzes(
    session: Session, ids: Sequence[int], period: Period
) -> dict[int, dict[str, tuple[int, float]]]:
    query = (
        sa.select(
            QuizAttempt.employee_id,
            Track.code,
            sa.func.count(),
            sa.func.sum(QuizAttempt.score_scaled),
        )
        .join(Module, Module.id == QuizAttempt.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(
            QuizAttempt.status == "submitted",
            QuizAttempt.score_scaled.is_not(None),
            QuizAttempt.submitted_at >= period.since,
            QuizAttempt.submitted_at < period.until,
        )
        .group_by(QuizAttempt.employee_id, Track.code)
    )
    figures: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for employee_id, code, attempts, total in query_rows(
        session, ids, query, QuizAttempt.employee_id
    ):
        figures[employee_id][code] = (attempts, float(total))
    return figures


def _certificates(
    session: Session, ids: Sequence[int], period: Period, expiring_days: int
) -> dict[int, list[dict[str, Any]]]:
    query = (
        sa.select(Certificate, Course.title, Course.slug)
        .join(Course, Course.id == Certificate.course_id)
        .where(Certificate.issued_at < period.until)
        .order_by(Certificate.issued_at)
    )
    horizon = period.until + timedelta(days=expiring_days)
    figures: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for certificate, title, slug in query_rows(session, ids, query, Certificate.employee_id):
        state = certificate_state(certificate, period.until)
        if state == "valid" and certificate.expires_at and certificate.expires_at <= horizon:
            state = "expiring"
        figures[certificate.employee_id].append(
            {
                "course": slug,
                "course_title": title,
                "code": certificate.verification_code,
                "issued_at": certificate.issued_at.isoformat(),
                "expires_at": certificate.expires_at.isoformat()
                if certificate.expires_at
                else None,
                "state": state,
            }
        )
    return figures


def _feedback_items(
    session: Session, ids: Sequence[int], since: datetime, until: datetime
) -> dict[int, list[Any]]:
    query = (
        sa.select(
            FeedbackItem.employee_id,
            FeedbackItem.id,
            FeedbackItem.occurred_at,
            FeedbackItem.csat,
            FeedbackItem.nps,
            FeedbackItem.comment,
            FeedbackItem.language,
        )
        .where(FeedbackItem.occurred_at >= since, FeedbackItem.occurred_at < until)
        .order_by(FeedbackItem.occurred_at, FeedbackItem.id)
    )
    items: dict[int, list[Any]] = defaultdict(list)
    for row in query_rows(session, ids, query, FeedbackItem.employee_id):
        items[row.employee_id].append(row)
    return items


def _themes(
    session: Session, ids: Sequence[int], since: datetime, until: datetime
) -> dict[int, set[str]]:
    """Return the track codes of each feedback item (by item id) in the window."""
    query = (
        sa.select(FeedbackTheme.feedback_item_id, Track.code)
        .join(Track, Track.id == FeedbackTheme.track_id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackTheme.feedback_item_id)
        .where(FeedbackItem.occurred_at >= since, FeedbackItem.occurred_at < until)
    )
    themes: dict[int, set[str]] = defaultdict(set)
    for item_id, code in query_rows(session, ids, query, FeedbackItem.employee_id):
        themes[item_id].add(code)
    return themes


def _feedback_block(
    items: list[Any], themes: dict[int, set[str]], settings: FigureSettings
) -> dict[str, Any]:
    csat = [row.csat for row in items if row.csat is not None]
    nps = [row.nps for row in items if row.nps is not None]
    counts: dict[str, int] = defaultdict(int)
    negative_counts: dict[str, int] = defaultdict(int)
    for row in items:
        for code in themes.get(row.id, ()):
            counts[code] += 1
            if is_negative(row.csat, row.nps):
                negative_counts[code] += 1
    praise = [row for row in items if row.comment and is_positive(row.csat, row.nps)]
    return {
        "count": len(items),
        "csat": csat_metric(csat, settings.min_responses).as_data(),
        "nps": nps_metric(nps, settings.min_responses).as_data(),
        "positive": sum(1 for row in items if is_positive(row.csat, row.nps)),
        "negative": sum(1 for row in items if is_negative(row.csat, row.nps)),
        "themes": [
            {"track": code, "count": count, "negative": negative_counts[code]}
            for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        "compliments": [
            {
                "id": row.id,
                "occurred_at": row.occurred_at.isoformat(),
                "csat": row.csat,
                "nps": row.nps,
                "comment": row.comment,
                "language": row.language,
            }
            for row in reversed(praise[-COMPLIMENTS:])
        ],
    }


def packet_figures(
    session: Session,
    employee_ids: Sequence[int],
    period: Period,
    previous: Period,
    settings: FigureSettings,
    now: datetime,
) -> dict[int, dict[str, Any]]:
    """Return the training, feedback and remedial figures of each employee for ``period``."""
    ids = sorted(set(employee_ids))
    as_of = min(now, period.until)
    training = _training(session, ids, period, as_of)
    quizzes = _quizzes(session, ids, period)
    certificates = _certificates(session, ids, period, settings.expiring_days)
    window_start = min(previous.since, period.since)
    all_items = _feedback_items(session, ids, window_start, period.until)
    themes = _themes(session, ids, period.since, period.until)
    remedial: dict[int, list[Any]] = defaultdict(list)
    for row in query_rows(session, ids, remedial_query(period), Assignment.employee_id):
        remedial[row[0].employee_id].append(row)
    figures = {}
    for employee_id in ids:
        counts = training.get(
            employee_id,
            {"required": 0, "completed_on_time": 0, "completed_late": 0, "overdue": 0},
        )
        counts.setdefault("not_yet_due", 0)
        due = counts["required"] - counts["not_yet_due"]
        by_track = quizzes.get(employee_id, {})
        attempts = sum(count for count, _total in by_track.values())
        certs = certificates.get(employee_id, [])
        items = all_items.get(employee_id, [])
        current = [row for row in items if period.since <= row.occurred_at < period.until]
        earlier = [row for row in items if previous.since <= row.occurred_at < previous.until]
        figures[employee_id] = {
            "training": {
                **counts,
                "on_time_rate": round(counts["completed_on_time"] / due, 4) if due else None,
                "quiz_attempts": attempts,
                "quiz_average": round(sum(t for _c, t in by_track.values()) / attempts, 4)
                if attempts
                else None,
                "quiz_by_track": [
                    {"track": code, "attempts": count, "average": round(total / count, 4)}
                    for code, (count, total) in sorted(by_track.items())
                ],
                "certificates": {
                    state: sum(1 for cert in certs if cert["state"] == state)
                    for state in ("valid", "expiring", "expired")
                },
                "certificate_list": certs,
            },
            "feedback": {
                **_feedback_block(current, themes, settings),
                "previous": {
                    key: value
                    for key, value in _feedback_block(earlier, {}, settings).items()
                    if key in ("count", "csat", "nps", "positive", "negative")
                },
            },
            "remedial": remedial_lines(
                remedial.get(employee_id, []), current, themes, period, as_of
            ),
        }
    return figures
