"""Who an assignment rule assigns now, and when it is due: the rule engine's one question.

``due_occurrences`` answers it for a saved rule or an unsaved one (the preview) with a few
queries whatever the size of the workforce: the criteria and the trigger's date window are
SQL; only the last day of slack for time zones and free-form attributes are checked in Python.

What each trigger means (``anchor`` is the day the rule fires for a person):

- ``on_hire``: the hire date; once per person.
- ``day_n``: ``offset_days`` after the hire date (day 30, 60, 90); once per person.
- ``on_change``: the day the tick first sees the person match with a new job role or team (or
  location or attribute, when the criteria name them); once per such combination.
- ``every_n_days``: whenever ``offset_days`` have passed since the content was last assigned to
  the person (and since their hire); a refresher.
- ``certificate_expiry``: ``offset_days`` before the person's current certificate of the
  rule's course expires; once per certificate.

A person who already has the content open is skipped (and picked up once it is finished), and
so is one who got it since the anchor by any other way (by hand, say). ``window_days`` keeps a
rule from reaching back further than that many days before today.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, AssignmentRule, Certificate
from lms_cx.models.people import Employee
from lms_cx.services.local_days import end_of_day, local_date, start_of_day, zone
from lms_cx.services.rule_criteria import attributes_match, change_signature, criteria_filters

_HIRE_TRIGGERS = ("on_hire", "day_n")


@dataclass(frozen=True)
class RuleSpec:
    """What a rule says, saved or not yet saved (for the preview)."""

    name: str
    trigger: str
    criteria: dict[str, Any] = field(default_factory=dict)
    course_id: int | None = None
    module_id: int | None = None
    offset_days: int | None = None
    due_in_days: int | None = None
    window_days: int | None = None
    rule_id: int | None = None

    @classmethod
    def of(cls, rule: AssignmentRule) -> RuleSpec:
        """Return the spec of a saved rule."""
        return cls(
            name=rule.name,
            trigger=rule.trigger,
            criteria=dict(rule.criteria or {}),
            course_id=rule.course_id,
            module_id=rule.module_id,
            offset_days=rule.offset_days,
            due_in_days=rule.due_in_days,
            window_days=rule.window_days,
            rule_id=rule.id,
        )


@dataclass(frozen=True)
class Occurrence:
    """One person the rule assigns now, why (``key``, ``anchor``) and when it is due."""

    employee_id: int
    display_name: str
    email: str
    key: str
    anchor: date
    due_at: datetime | None
    certificate_id: int | None = None


def due_occurrences(
    session: Session, spec: RuleSpec, now: datetime, *, default_zone: str, grace_days: int
) -> list[Occurrence]:
    """Return whom ``spec`` assigns at ``now``, ordered by name."""
    rows = session.execute(_candidate_query(spec, now)).all()
    wanted_attributes = spec.criteria.get("attributes") or {}
    found: dict[int, Occurrence] = {}
    for row in rows:
        if not attributes_match(row.attributes or {}, wanted_attributes):
            continue
        tz = zone(row.time_zone, default_zone)
        today = local_date(now, tz)
        anchor_and_key = _anchor(spec, row, today, tz)
        if anchor_and_key is None:
            continue
        anchor, key = anchor_and_key
        found[row.id] = Occurrence(
            employee_id=row.id,
            display_name=row.display_name,
            email=row.email,
            key=key,
            anchor=anchor,
            due_at=_due_at(spec, row, anchor, today, tz, grace_days),
            certificate_id=getattr(row, "certificate_id", None),
        )
    _drop_already_served(session, spec, found, default_zone)
    return sorted(found.values(), key=lambda o: (o.display_name.casefold(), o.employee_id))


def same_content(spec: RuleSpec) -> sa.ColumnElement[bool]:
    """Return the condition "an assignment of the rule's course or module"."""
    if spec.course_id is not None:
        return Assignment.course_id == spec.course_id
    return Assignment.module_id == spec.module_id


def _candidate_query(spec: RuleSpec, now: datetime) -> sa.Select[Any]:
    # Local dates lie within a day of the UTC date, so SQL keeps a day of slack each way and
    # Python settles the exact day in the person's zone.
    today = now.date()
    offset = spec.offset_days or 0
    query = sa.select(
        Employee.id,
        Employee.display_name,
        Employee.email,
        Employee.hire_date,
        Employee.time_zone,
        Employee.job_role,
        Employee.team_id,
        Employee.location,
        Employee.attributes,
    ).where(*criteria_filters(spec.criteria))
    if spec.trigger in _HIRE_TRIGGERS:
        offset = offset if spec.trigger == "day_n" else 0
        query = query.where(
            Employee.hire_date.is_not(None),
            Employee.hire_date <= today + timedelta(days=1 - offset),
        )
        if spec.window_days is not None:
            earliest = today - timedelta(days=1 + offset + spec.window_days)
            query = query.where(Employee.hire_date >= earliest)
        if spec.rule_id is not None:
            own = sa.select(Assignment.id).where(
                Assignment.employee_id == Employee.id, Assignment.rule_id == spec.rule_id
            )
            query = query.where(~own.exists())
    elif spec.trigger == "every_n_days":
        recent = sa.select(Assignment.id).where(
            Assignment.employee_id == Employee.id,
            same_content(spec),
            Assignment.state != "cancelled",
            Assignment.assigned_at > now - timedelta(days=max(offset, 1)),
        )
        query = query.where(
            sa.or_(
                Employee.hire_date.is_(None),
                Employee.hire_date <= today + timedelta(days=1 - offset),
            ),
            ~recent.exists(),
        )
    elif spec.trigger == "certificate_expiry":
        query = _with_expiring_certificates(query, spec, now)
    return query


def _with_expiring_certificates(
    query: sa.Select[Any], spec: RuleSpec, now: datetime
) -> sa.Select[Any]:
    lead = timedelta(days=spec.offset_days or 0)
    taken_again = sa.select(Assignment.id).where(
        Assignment.employee_id == Certificate.employee_id,
        Assignment.course_id == Certificate.course_id,
        Assignment.state != "cancelled",
        Assignment.assigned_at > Certificate.issued_at,
    )
    query = query.add_columns(
        Certificate.id.label("certificate_id"), Certificate.expires_at.label("expires_at")
    ).join(Certificate, Certificate.employee_id == Employee.id)
    query = query.where(
        Certificate.course_id == spec.course_id,
        Certificate.superseded_by_id.is_(None),
        Certificate.revoked_at.is_(None),
        Certificate.expires_at.is_not(None),
        Certificate.expires_at <= now + lead,
        ~taken_again.exists(),
    )
    if spec.window_days is not None:
        query = query.where(Certificate.expires_at >= now - timedelta(days=spec.window_days))
    return query


def _anchor(spec: RuleSpec, row: Any, today: date, tz: ZoneInfo) -> tuple[date, str] | None:
    """Return the day the rule fires for this person and the occurrence key, or None."""
    offset = spec.offset_days or 0
    if spec.trigger in _HIRE_TRIGGERS:
        anchor = row.hire_date + timedelta(days=offset if spec.trigger == "day_n" else 0)
        if anchor > today or not _within_window(spec, anchor, today):
            return None
        return anchor, "hire" if spec.trigger == "on_hire" else f"day:{offset}"
    if spec.trigger == "every_n_days":
        if row.hire_date is not None and row.hire_date + timedelta(days=offset) > today:
            return None
        return today, f"every:{today.isoformat()}"
    if spec.trigger == "on_change":
        return today, "change:" + change_signature(spec.criteria, row)
    if spec.trigger == "certificate_expiry":
        anchor = local_date(row.expires_at - timedelta(days=offset), tz)
        return min(anchor, today), f"certificate:{row.certificate_id}"
    return None


def _within_window(spec: RuleSpec, anchor: date, today: date) -> bool:
    return spec.window_days is None or (today - anchor).days <= spec.window_days


def _due_at(
    spec: RuleSpec, row: Any, anchor: date, today: date, tz: ZoneInfo, grace_days: int
) -> datetime | None:
    if spec.trigger == "certificate_expiry" and spec.due_in_days is None:
        due = local_date(row.expires_at, tz)
    elif spec.due_in_days is None:
        return None
    else:
        due = anchor + timedelta(days=spec.due_in_days)
    if due < today:
        # A retroactive rule never hands out work that is overdue on arrival.
        due = today + timedelta(days=grace_days if spec.due_in_days is None else spec.due_in_days)
    return end_of_day(due, tz)


def _drop_already_served(
    session: Session, spec: RuleSpec, found: dict[int, Occurrence], default_zone: str
) -> None:
    """Remove people who have the content open, got it since the anchor, or had this key."""
    served = same_content(spec)
    if spec.rule_id is not None:
        served = sa.or_(served, Assignment.rule_id == spec.rule_id)
    for chunk in _chunks(list(found), 500):
        rows = session.execute(
            sa.select(
                Assignment.employee_id,
                Assignment.course_id,
                Assignment.module_id,
                Assignment.state,
                Assignment.assigned_at,
                Assignment.rule_id,
                Assignment.reason_data,
                Employee.time_zone,
            )
            .join(Employee, Employee.id == Assignment.employee_id)
            .where(Assignment.employee_id.in_(chunk), served)
        )
        for row in rows:
            occurrence = found.get(row.employee_id)
            if occurrence is not None and _served(spec, occurrence, row, default_zone):
                del found[row.employee_id]


def _served(spec: RuleSpec, occurrence: Occurrence, row: Any, default_zone: str) -> bool:
    """Return True when the assignment ``row`` already covers ``occurrence``."""
    own = spec.rule_id is not None and row.rule_id == spec.rule_id
    if own and (row.reason_data or {}).get("occurrence") == occurrence.key:
        return True
    if spec.course_id is not None:
        same = row.course_id == spec.course_id
    else:
        same = row.module_id == spec.module_id
    if not same or row.state == "cancelled":
        return False
    if row.state == "open":
        return True
    if spec.trigger in _HIRE_TRIGGERS:
        since = start_of_day(occurrence.anchor, zone(row.time_zone, default_zone))
        return row.assigned_at >= since
    return False


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
