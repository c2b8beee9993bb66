"""Closing the loop: remedial training assigned when customers keep pointing at one track.

A :class:`~lms_cx.models.RemedialRule` fires for an employee who collected at least
``min_negative_items`` negative items (CSAT at most ``csat_max``, or NPS at most ``nps_max``)
themed to its track within the last ``window_days``. The employee then gets an assignment with
``source="remedial"``, a reason in words, the rule and counts in ``reason_data``, and the
items as evidence (:class:`~lms_cx.models.AssignmentFeedbackItem`).

Safeguards, so one bad month does not bury anyone in training:

- no assignment while the employee has an open one for the same module or course (any source);
- at most one open remedial assignment per employee and track (rules are tried in id order);
- only items that occurred after the employee's last remedial assignment in that track was
  completed (or assigned, when it was cancelled) count, so old evidence never fires twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext, pick_text
from lms_cx.models import (
    Assignment,
    AssignmentFeedbackItem,
    Employee,
    FeedbackItem,
    FeedbackTheme,
    RemedialRule,
    Track,
)
from lms_cx.services.feedback_themes import describe_reason

REMEDIAL_SOURCE = "remedial"


@dataclass(frozen=True)
class RemedialAssignment:
    """A remedial assignment one run of the rules created."""

    assignment_id: uuid.UUID
    employee_id: int
    rule_id: int
    rule_name: str
    track_code: str
    feedback_item_ids: tuple[int, ...]


def describe_threshold(
    min_negative_items: int, window_days: int, csat_max: int | None, nps_max: int | None
) -> str:
    """Return a rule's threshold in words: "≥ 3 negative items (CSAT ≤ 2) in 30 days"."""
    limits = []
    if csat_max is not None:
        limits.append(f"CSAT ≤ {csat_max}")
    if nps_max is not None:
        limits.append(f"NPS ≤ {nps_max}")
    return ngettext(
        "≥ %(num)d negative item (%(limits)s) in %(days)d days",
        "≥ %(num)d negative items (%(limits)s) in %(days)d days",
        min_negative_items,
        limits=_(" or ").join(limits),
        days=window_days,
    )


def _is_negative(rule: RemedialRule) -> sa.ColumnElement[bool]:
    conditions = []
    if rule.csat_max is not None:
        conditions.append(FeedbackItem.csat <= rule.csat_max)
    if rule.nps_max is not None:
        conditions.append(FeedbackItem.nps <= rule.nps_max)
    return sa.or_(*conditions) if conditions else sa.false()


def apply_remedial_rules(
    session: Session,
    *,
    now: datetime | None = None,
    employee_ids: Collection[int] | None = None,
    rule_ids: Collection[int] | None = None,
) -> list[RemedialAssignment]:
    """Assign remedial training wherever an active rule's threshold is crossed; commit.

    ``employee_ids`` and ``rule_ids`` narrow the run (after an import, to the employees whose
    feedback changed). Running it again with nothing new creates nothing.
    """
    now = now or utcnow()
    query = sa.select(RemedialRule).where(RemedialRule.is_active.is_(True))
    if rule_ids is not None:
        query = query.where(RemedialRule.id.in_(list(rule_ids)))
    rules = session.scalars(query.order_by(RemedialRule.id)).all()
    if not rules:
        return []
    wanted = set(employee_ids) if employee_ids is not None else None
    tracks = {track.id: track for track in session.scalars(sa.select(Track))}
    open_targets, history = _assignment_state(session, wanted)
    created: list[RemedialAssignment] = []
    for rule in rules:
        candidates = _negative_items(session, rule, now, wanted)
        track_code = tracks[rule.track_id].code
        target = ("module", rule.module_id) if rule.module_id else ("course", rule.course_id)
        for employee_id, items in candidates.items():
            past = history[(employee_id, track_code)]
            if any(entry["open"] for entry in past) or (employee_id, target) in open_targets:
                continue
            cutoff = max((entry["closed_at"] for entry in past), default=None)
            evidence = [item_id for item_id, at in items if cutoff is None or at > cutoff]
            if len(evidence) < rule.min_negative_items:
                continue
            assignment = _assign(session, rule, tracks[rule.track_id], employee_id, evidence, now)
            open_targets.add((employee_id, target))
            past.append({"open": True, "closed_at": now})
            created.append(
                RemedialAssignment(
                    assignment.id, employee_id, rule.id, rule.name, track_code, tuple(evidence)
                )
            )
    session.commit()
    return created


def _assignment_state(
    session: Session, employee_ids: set[int] | None
) -> tuple[set[tuple[int, tuple[str, int | None]]], dict[tuple[int, str], list[dict[str, Any]]]]:
    """Return the open (employee, target) pairs and each employee's remedial history by track."""
    query = sa.select(
        Assignment.employee_id,
        Assignment.module_id,
        Assignment.course_id,
        Assignment.state,
        Assignment.source,
        Assignment.reason_data,
        Assignment.assigned_at,
        Assignment.completed_at,
    ).where(sa.or_(Assignment.state == "open", Assignment.source == REMEDIAL_SOURCE))
    if employee_ids is not None and len(employee_ids) <= 1000:
        query = query.where(Assignment.employee_id.in_(sorted(employee_ids)))
    open_targets: set[tuple[int, tuple[str, int | None]]] = set()
    history: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(query):
        if row.state == "open":
            if row.module_id:
                open_targets.add((row.employee_id, ("module", row.module_id)))
            if row.course_id:
                open_targets.add((row.employee_id, ("course", row.course_id)))
        if row.source == REMEDIAL_SOURCE and (row.reason_data or {}).get("track"):
            history[(row.employee_id, row.reason_data["track"])].append(
                {"open": row.state == "open", "closed_at": row.completed_at or row.assigned_at}
            )
    return open_targets, history


def _negative_items(
    session: Session, rule: RemedialRule, now: datetime, employee_ids: set[int] | None
) -> dict[int, list[tuple[int, datetime]]]:
    """Return, per active employee, the rule's negative items in its window, oldest first."""
    query = (
        sa.select(FeedbackItem.employee_id, FeedbackItem.id, FeedbackItem.occurred_at)
        .join(
            FeedbackTheme,
            sa.and_(
                FeedbackTheme.feedback_item_id == FeedbackItem.id,
                FeedbackTheme.track_id == rule.track_id,
            ),
        )
        .join(Employee, Employee.id == FeedbackItem.employee_id)
        .where(
            Employee.is_active.is_(True),
            FeedbackItem.occurred_at >= now - timedelta(days=rule.window_days),
            FeedbackItem.occurred_at <= now,
            _is_negative(rule),
        )
        .order_by(FeedbackItem.employee_id, FeedbackItem.occurred_at, FeedbackItem.id)
    )
    if employee_ids is not None and len(employee_ids) <= 1000:
        query = query.where(FeedbackItem.employee_id.in_(sorted(employee_ids)))
    items: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for employee_id, item_id, occurred_at in session.execute(query):
        if employee_ids is None or employee_id in employee_ids:
            items[employee_id].append((item_id, occurred_at))
    return items


def _assign(
    session: Session,
    rule: RemedialRule,
    track: Track,
    employee_id: int,
    evidence: list[int],
    now: datetime,
) -> Assignment:
    data = {
        "kind": "remedial",
        "rule_id": rule.id,
        "rule_name": rule.name,
        "track": track.code,
        "negative_count": len(evidence),
        "min_negative_items": rule.min_negative_items,
        "window_days": rule.window_days,
        "csat_max": rule.csat_max,
        "nps_max": rule.nps_max,
        "window_start": (now - timedelta(days=rule.window_days)).isoformat(),
        "window_end": now.isoformat(),
        "feedback_item_ids": evidence,
    }
    assignment = Assignment(
        employee_id=employee_id,
        module_id=rule.module_id,
        course_id=rule.course_id,
        source=REMEDIAL_SOURCE,
        reason=_reason_text(data, pick_text(track.title, _default_locale()) or track.code),
        reason_data=data,
        assigned_at=now,
        due_at=now + timedelta(days=rule.due_in_days) if rule.due_in_days else None,
        state="open",
    )
    session.add(assignment)
    session.flush()
    session.add_all(
        AssignmentFeedbackItem(assignment_id=assignment.id, feedback_item_id=item_id)
        for item_id in evidence
    )
    return assignment


def _default_locale() -> str:
    if has_app_context():
        return current_app.config.get("LMS_CX_DEFAULT_LOCALE", "en")
    return "en"


def _reason_text(data: dict[str, Any], track_title: str) -> str:
    return ngettext(
        "%(num)d negative customer feedback item about %(track)s in the last %(days)d days "
        "(rule “%(rule)s”: %(threshold)s).",
        "%(num)d negative customer feedback items about %(track)s in the last %(days)d days "
        "(rule “%(rule)s”: %(threshold)s).",
        data["negative_count"],
        track=track_title,
        days=data["window_days"],
        rule=data["rule_name"],
        threshold=describe_threshold(
            data["min_negative_items"], data["window_days"], data["csat_max"], data["nps_max"]
        ),
    )


@dataclass(frozen=True)
class RemedialEvidence:
    """A feedback item behind a remedial assignment, and why it counts toward the track."""

    id: int
    occurred_at: datetime
    channel: str | None
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str | None
    language: str | None
    why: list[str]


@dataclass(frozen=True)
class RemedialReason:
    """Why a remedial assignment exists, for the learner's and the manager's pages."""

    assignment_id: uuid.UUID
    rule_id: int | None
    rule_name: str
    #: False when the rule has since been deleted (the reason stays as it was).
    rule_exists: bool
    track_code: str
    track_title: str
    threshold: str
    negative_count: int
    window_days: int
    summary: str
    items: list[RemedialEvidence]


def remedial_reason(
    session: Session, assignment: Assignment, locale: str | None = None
) -> RemedialReason | None:
    """Return why ``assignment`` was assigned as remedial training, or None if it was not."""
    return remedial_reasons(session, [assignment], locale).get(assignment.id)


def remedial_reasons(
    session: Session, assignments: Sequence[Assignment], locale: str | None = None
) -> dict[uuid.UUID, RemedialReason]:
    """Return the reasons of the remedial ones among ``assignments`` (four queries in all)."""
    locale = locale or _default_locale()
    remedial = [a for a in assignments if a.source == REMEDIAL_SOURCE and a.reason_data]
    if not remedial:
        return {}
    tracks = {track.code: track for track in session.scalars(sa.select(Track))}
    rule_ids = {a.reason_data.get("rule_id") for a in remedial}
    existing_rules = set(
        session.scalars(sa.select(RemedialRule.id).where(RemedialRule.id.in_(rule_ids)))
    )
    evidence: dict[uuid.UUID, list[Any]] = defaultdict(list)
    rows = session.execute(
        sa.select(AssignmentFeedbackItem.assignment_id, FeedbackItem)
        .join(FeedbackItem, FeedbackItem.id == AssignmentFeedbackItem.feedback_item_id)
        .where(AssignmentFeedbackItem.assignment_id.in_([a.id for a in remedial]))
        .order_by(FeedbackItem.occurred_at)
    ).all()
    themes: dict[tuple[int, int], str] = {
        (item_id, track_id): reason
        for item_id, track_id, reason in session.execute(
            sa.select(
                FeedbackTheme.feedback_item_id, FeedbackTheme.track_id, FeedbackTheme.reason
            ).where(FeedbackTheme.feedback_item_id.in_({item.id for _a, item in rows}))
        )
    }
    for assignment_id, item in rows:
        evidence[assignment_id].append(item)
    reasons = {}
    for assignment in remedial:
        data = assignment.reason_data
        track = tracks.get(data.get("track", ""))
        title = pick_text(track.title, locale) if track else data.get("track", "")
        title = title or data.get("track", "")
        items = [
            RemedialEvidence(
                item.id,
                item.occurred_at,
                item.channel,
                item.csat,
                item.nps,
                item.ces,
                item.comment,
                item.language,
                describe_reason(themes[(item.id, track.id)], title)
                if track and (item.id, track.id) in themes
                else [],
            )
            for item in evidence.get(assignment.id, [])
        ]
        reasons[assignment.id] = RemedialReason(
            assignment_id=assignment.id,
            rule_id=data.get("rule_id"),
            rule_name=data.get("rule_name", ""),
            rule_exists=data.get("rule_id") in existing_rules,
            track_code=data.get("track", ""),
            track_title=title,
            threshold=describe_threshold(
                data.get("min_negative_items", 1),
                data.get("window_days", 0),
                data.get("csat_max"),
                data.get("nps_max"),
            ),
            negative_count=data.get("negative_count", len(items)),
            window_days=data.get("window_days", 0),
            summary=_reason_text(
                {
                    "negative_count": data.get("negative_count", len(items)),
                    "window_days": data.get("window_days", 0),
                    "rule_name": data.get("rule_name", ""),
                    "min_negative_items": data.get("min_negative_items", 1),
                    "csat_max": data.get("csat_max"),
                    "nps_max": data.get("nps_max"),
                },
                title,
            ),
            items=items,
        )
    return reasons


def remedial_reasons_by_id(
    session: Session, assignment_ids: Collection[uuid.UUID], locale: str | None = None
) -> dict[uuid.UUID, RemedialReason]:
    """Return the reasons of the remedial ones among the assignments ``assignment_ids``."""
    if not assignment_ids:
        return {}
    assignments = session.scalars(
        sa.select(Assignment).where(
            Assignment.id.in_(list(assignment_ids)), Assignment.source == REMEDIAL_SOURCE
        )
    ).all()
    return remedial_reasons(session, assignments, locale)
