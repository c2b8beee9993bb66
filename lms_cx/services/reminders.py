"""Reminders before and on the due date, while overdue, and escalation to the manager.

Days are counted in each learner's own zone (``local_days``). For one open assignment:

- ``due-soon:<d>:<id>``: ``d`` is the smallest of ``LMS_CX_REMINDER_DAYS_BEFORE`` not below
  the days left, so with ``(7, 1)`` one reminder comes a week ahead and one the day before;
  a tick that missed a day still sends the reminder of the current stage, never a stale one.
- ``due-today:<id>``: on the due date.
- ``overdue:<n>:<id>``: on the first day overdue (``n`` = 0) and every
  ``LMS_CX_REMINDER_OVERDUE_EVERY_DAYS`` after it (``n`` = 1, 2...).
- ``escalation:<id>:<manager>``: once, when ``LMS_CX_ESCALATION_AFTER_DAYS`` days overdue, to
  each manager of the nearest team up the learner's tree that has a manager (not themself).

The keys are the notifications' unique ``dedupe_key``: whatever runs twice sends once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment
from lms_cx.models.people import Employee, Team, TeamManager
from lms_cx.services.lifecycle_messages import Recipient, escalation_notice, reminder_notice
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.local_days import local_date, zone
from lms_cx.services.notifications import NewNotification, add_notifications, existing_keys
from lms_cx.services.rule_application import content_titles


@dataclass(frozen=True)
class ReminderReport:
    """What one run of ``queue_reminders`` found and sent."""

    overdue: int
    reminders: int
    escalations: int


@dataclass(frozen=True)
class _Due:
    """A reminder or escalation one assignment calls for today."""

    key: str
    kind: str
    days: int
    row: Any
    manager_id: int | None = None


def reminder_stage(days_left: int, settings: LifecycleSettings) -> tuple[str, str, int] | None:
    """Return (key prefix, kind, days) of the reminder ``days_left`` calls for, or None.

    ``days_left`` counts calendar days from today to the due date (negative when overdue).
    """
    if days_left > 0:
        ahead = [days for days in settings.days_before if days >= days_left]
        if not ahead:
            return None
        return f"due-soon:{min(ahead)}", "reminder.due_soon", days_left
    if days_left == 0:
        return ("due-today", "reminder.due_today", 0) if settings.on_due_date else None
    late = -days_left
    every = settings.overdue_every_days
    stage = (late - 1) // every if every else 0
    return f"overdue:{stage}", "reminder.overdue", late


def queue_reminders(session: Session, now: datetime, settings: LifecycleSettings) -> ReminderReport:
    """Add today's reminders and escalations to the inboxes; return the counts."""
    horizon = now + timedelta(days=max(settings.days_before, default=0) + 2)
    rows = session.execute(
        sa.select(
            Assignment.id,
            Assignment.employee_id,
            Assignment.course_id,
            Assignment.module_id,
            Assignment.due_at,
            Employee.display_name,
            Employee.locale,
            Employee.time_zone,
            Employee.team_id,
        )
        .join(Employee, Employee.id == Assignment.employee_id)
        .where(
            Assignment.state == "open",
            Assignment.due_at.is_not(None),
            Assignment.due_at <= horizon,
            Employee.is_active.is_(True),
        )
    ).all()
    wanted, overdue = _wanted(rows, now, settings)
    managers = _manager_tree(session, any(d.kind == "escalation" for d in wanted))
    wanted = _expand_escalations(wanted, managers)
    known = existing_keys(session, [d.key for d in wanted])
    wanted = [d for d in wanted if d.key not in known]
    if not wanted:
        return ReminderReport(overdue=overdue, reminders=0, escalations=0)
    titles = content_titles(session, [d.row for d in wanted])
    notices = [_notice(d, titles, managers, settings) for d in wanted]
    add_notifications(session, notices, now)
    escalations = sum(1 for d in wanted if d.kind == "escalation")
    return ReminderReport(overdue, len(wanted) - escalations, escalations)


def _wanted(rows: list[Any], now: datetime, settings: LifecycleSettings) -> tuple[list[_Due], int]:
    wanted: list[_Due] = []
    overdue = 0
    for row in rows:
        tz = zone(row.time_zone, settings.default_zone)
        days_left = (local_date(row.due_at, tz) - local_date(now, tz)).days
        stage = reminder_stage(days_left, settings)
        if days_left < 0:
            overdue += 1
        if stage is not None:
            prefix, kind, days = stage
            wanted.append(_Due(f"{prefix}:{row.id}", kind, days, row))
        escalate = settings.escalate_after_days
        if escalate is not None and -days_left >= escalate:
            wanted.append(_Due(f"escalation:{row.id}", "escalation", -days_left, row))
    return wanted, overdue


def _expand_escalations(wanted: list[_Due], managers: _ManagerTree) -> list[_Due]:
    """Give each escalation one entry per manager (none when nobody manages the learner)."""
    expanded: list[_Due] = []
    for due in wanted:
        if due.kind != "escalation":
            expanded.append(due)
            continue
        for manager in managers.of(due.row.team_id, due.row.employee_id):
            key = f"{due.key}:{manager.employee_id}"
            expanded.append(_Due(key, due.kind, due.days, due.row, manager.employee_id))
    return expanded


@dataclass(frozen=True)
class _ManagerTree:
    """Teams' parents and managers, to find who manages a learner."""

    parents: dict[int, int | None]
    managed: dict[int, list[Recipient]]

    def of(self, team_id: int | None, learner_id: int) -> list[Recipient]:
        """Return the managers of the nearest team up the tree with a manager but the learner."""
        seen: set[int] = set()
        # ``seen`` guards against a loop in bad data.
        while team_id is not None and team_id not in seen:
            seen.add(team_id)
            found = [m for m in self.managed.get(team_id, []) if m.employee_id != learner_id]
            if found:
                return found
            team_id = self.parents.get(team_id)
        return []

    def recipient(self, employee_id: int) -> Recipient:
        """Return the manager ``employee_id`` as a recipient."""
        return next(m for ms in self.managed.values() for m in ms if m.employee_id == employee_id)


def _manager_tree(session: Session, needed: bool) -> _ManagerTree:
    """Return every team's parent and managers (two queries, only when escalating)."""
    if not needed:
        return _ManagerTree({}, {})
    parents = dict(session.execute(sa.select(Team.id, Team.parent_id)).all())
    managed: dict[int, list[Recipient]] = defaultdict(list)
    for team_id, *person in session.execute(
        sa.select(
            TeamManager.team_id,
            Employee.id,
            Employee.display_name,
            Employee.locale,
            Employee.time_zone,
        )
        .join(Employee, Employee.id == TeamManager.employee_id)
        .where(Employee.is_active.is_(True))
        .order_by(Employee.id)
    ):
        managed[team_id].append(Recipient(*person))
    return _ManagerTree(parents, dict(managed))


def _notice(
    due: _Due,
    titles: dict[tuple[str, int], dict[str, str]],
    managers: _ManagerTree,
    settings: LifecycleSettings,
) -> NewNotification:
    row = due.row
    content = ("course", row.course_id) if row.course_id else ("module", row.module_id)
    if due.kind == "escalation":
        return escalation_notice(
            managers.recipient(due.manager_id or 0),
            row.display_name,
            due.key,
            titles[content],
            due.days,
            row.due_at,
            settings,
        )
    learner = Recipient(row.employee_id, row.display_name, row.locale, row.time_zone)
    return reminder_notice(
        learner, due.kind, due.key, titles[content], due.days, row.due_at, settings
    )
