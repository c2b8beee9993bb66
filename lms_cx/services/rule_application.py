"""Applying assignment rules: turning who is due into assignments and "new training" notices.

The caller holds the lifecycle lock (``take_lifecycle_lock``) for the whole transaction, so
what ``due_occurrences`` found missing is still missing when it is inserted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, AssignmentRule, Course, Module
from lms_cx.models.people import Employee
from lms_cx.services.lifecycle_messages import Recipient, assigned_notice
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.notifications import add_notifications
from lms_cx.services.rule_matching import Occurrence, RuleSpec, due_occurrences


def apply_rule(
    session: Session, rule: AssignmentRule, now: datetime, settings: LifecycleSettings
) -> list[Assignment]:
    """Assign ``rule``'s content to whoever it is due for now (the caller holds the lock)."""
    spec = RuleSpec.of(rule)
    occurrences = due_occurrences(
        session, spec, now, default_zone=settings.default_zone, grace_days=settings.grace_days
    )
    source = "recertification" if rule.trigger == "certificate_expiry" else "rule"
    assignments = [
        Assignment(
            employee_id=occurrence.employee_id,
            course_id=rule.course_id,
            module_id=rule.module_id,
            source=source,
            reason=rule.name,
            reason_data=_reason_data(rule, occurrence),
            rule_id=rule.id,
            assigned_at=now,
            due_at=occurrence.due_at,
            state="open",
        )
        for occurrence in occurrences
    ]
    session.add_all(assignments)
    session.flush()
    notify_assigned(session, assignments, now, settings)
    return assignments


def apply_rules(session: Session, now: datetime, settings: LifecycleSettings) -> list[Assignment]:
    """Apply every active rule, oldest first (the caller holds the lock)."""
    rules = session.scalars(
        sa.select(AssignmentRule)
        .where(AssignmentRule.is_active.is_(True))
        .order_by(AssignmentRule.id)
    )
    assigned: list[Assignment] = []
    for rule in rules.all():
        assigned.extend(apply_rule(session, rule, now, settings))
    return assigned


def _reason_data(rule: AssignmentRule, occurrence: Occurrence) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": rule.id,
        "rule": rule.name,
        "trigger": rule.trigger,
        "criteria": dict(rule.criteria or {}),
        "occurrence": occurrence.key,
        "anchor": occurrence.anchor.isoformat(),
    }
    if occurrence.certificate_id is not None:
        data["certificate_id"] = occurrence.certificate_id
    return data


def notify_assigned(
    session: Session, assignments: list[Assignment], now: datetime, settings: LifecycleSettings
) -> int:
    """Put a "new training" notification in each assignee's inbox; return how many."""
    if not assignments:
        return 0
    people = {
        row.id: Recipient(row.id, row.display_name, row.locale, row.time_zone)
        for row in session.execute(
            sa.select(
                Employee.id, Employee.display_name, Employee.locale, Employee.time_zone
            ).where(Employee.id.in_({a.employee_id for a in assignments}))
        )
    }
    titles = content_titles(session, assignments)
    notices = [
        assigned_notice(
            people[a.employee_id],
            a.id,
            titles[("course", a.course_id) if a.course_id else ("module", a.module_id)],
            a.due_at,
            a.reason,
            settings,
        )
        for a in assignments
    ]
    return add_notifications(session, notices, now)


def content_titles(
    session: Session, assignments: list[Any]
) -> dict[tuple[str, int], dict[str, str]]:
    """Return the per-locale titles of the courses and modules of ``assignments``."""
    course_ids = {a.course_id for a in assignments if a.course_id}
    module_ids = {a.module_id for a in assignments if a.module_id}
    titles: dict[tuple[str, int], dict[str, str]] = {}
    if course_ids:
        for id_, slug, title in session.execute(
            sa.select(Course.id, Course.slug, Course.title).where(Course.id.in_(course_ids))
        ):
            titles[("course", id_)] = dict(title or {}) or {"en": slug}
    if module_ids:
        for id_, slug, title in session.execute(
            sa.select(Module.id, Module.slug, Module.title).where(Module.id.in_(module_ids))
        ):
            titles[("module", id_)] = dict(title or {}) or {"en": slug}
    return titles
