"""Reminders: the schedule, each person's own calendar day, escalation up the team tree."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms_cx.models import Notification
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.reminders import reminder_stage
from lms_cx.services.tick import run_tick
from tests import factories
from tests.lifecycle.conftest import day

SETTINGS = LifecycleSettings(days_before=(7, 1), overdue_every_days=7)


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (30, None),
        (8, None),
        (7, ("due-soon:7", "reminder.due_soon", 7)),
        (3, ("due-soon:7", "reminder.due_soon", 3)),
        (1, ("due-soon:1", "reminder.due_soon", 1)),
        (0, ("due-today", "reminder.due_today", 0)),
        (-1, ("overdue:0", "reminder.overdue", 1)),
        (-7, ("overdue:0", "reminder.overdue", 7)),
        (-8, ("overdue:1", "reminder.overdue", 8)),
        (-15, ("overdue:2", "reminder.overdue", 15)),
    ],
)
def test_that_the_reminder_stage_follows_the_schedule(days_left, stage) -> None:
    """Test that each number of days left maps to one reminder stage (or none)."""
    assert reminder_stage(days_left, SETTINGS) == stage


def test_that_overdue_reminds_once_without_a_repeat_period() -> None:
    """Test that with no repeat period every overdue day is the same single stage."""
    once = LifecycleSettings(overdue_every_days=None, on_due_date=False)
    assert reminder_stage(-30, once)[0] == reminder_stage(-1, once)[0] == "overdue:0"
    assert reminder_stage(0, once) is None


def test_that_days_are_counted_in_the_learners_own_zone(ctx, session) -> None:
    """Test that "due today" reaches Tehran on Tehran's due date, before UTC's date turns."""
    module = factories.learning_module(session, "m1")
    tehran = factories.hr_employee(session, display_name="Tara", time_zone="Asia/Tehran")
    due = datetime(2026, 3, 10, 20, 29, 59, tzinfo=UTC)  # 23:59:59 in Tehran (UTC+3:30)
    factories.assignment(session, tehran, module=module, due_at=due)
    session.commit()
    run_tick(session, datetime(2026, 3, 9, 21, 0, tzinfo=UTC))  # already 10 March in Tehran
    kinds = session.scalars(sa.select(Notification.kind)).all()
    assert kinds == ["reminder.due_today"]


def test_that_escalation_goes_to_the_nearest_manager_but_not_to_oneself(ctx, session) -> None:
    """Test that the manager of a parent team hears of overdue work, a manager's own goes up."""
    department = factories.team(session, "Department")
    care = factories.team(session, "Care", parent=department)
    phone = factories.team(session, "Phone", parent=care)
    boss = factories.hr_employee(session, display_name="Boss", manages=[department])
    lead = factories.hr_employee(session, display_name="Lead", team=care, manages=[care])
    agent = factories.hr_employee(session, display_name="Agent", team=phone)
    module = factories.learning_module(session, "m1")
    factories.assignment(session, agent, module=module, due_at=day(-20))
    factories.assignment(session, lead, module=module, due_at=day(-20))
    session.commit()
    report = run_tick(session, day(0))
    assert report.escalations == 2 and report.overdue == 2
    escalated = session.execute(
        sa.select(Notification.employee_id, Notification.subject).where(
            Notification.kind == "escalation.overdue"
        )
    ).all()
    assert sorted((who, subject.split(" is ")[0]) for who, subject in escalated) == sorted(
        [(lead.id, "Agent"), (boss.id, "Lead")]
    )
    assert run_tick(session, day(1)).escalations == 0
