"""The demo's lifecycle: a few assignment rules and the last months replayed day by day.

The demo organisation's new hires joined between a few days and a few months ago. Replaying
the daily tick over the last ``REPLAY_DAYS`` days (with the demo's rules in force) leaves each
of them at their own stage: day-30, day-60 and day-90 training assigned on its day, reminders
in their inboxes, overdue work escalated to their manager. The demo never e-mails anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session

from lms_cx.models import AssignmentRule, Course, Module
from lms_cx.services.assignment_rules import create_rule
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.mail import MailSettings
from lms_cx.services.rule_matching import RuleSpec
from lms_cx.services.tick import run_tick

#: How far back the demo's daily ticks are replayed.
REPLAY_DAYS = 120

AGENTS = {"job_role": ["agent"]}

# (name, trigger, kind, slug, offset_days, due_in_days, window_days, criteria)
DEMO_RULES = (
    ("Day 30: de-escalation", "day_n", "module", "comm-de-escalation", 30, 14, 150, AGENTS),
    (
        "Day 60: vulnerable customers",
        "day_n",
        "module",
        "persona-vulnerable-customers",
        60,
        14,
        150,
        AGENTS,
    ),
    ("Day 90: what's new", "day_n", "module", "pk-policies-and-whats-new", 90, 21, 150, AGENTS),
    ("Yearly refresher", "every_n_days", "course", "cx-refresher", 365, 30, None, AGENTS),
    (
        "New team leads decide or escalate",
        "on_change",
        "module",
        "ps-decide-or-escalate",
        None,
        14,
        None,
        {"job_role": ["team lead"]},
    ),
)


def load_demo_lifecycle(session: Session, now: datetime) -> int:
    """Add the demo's rules whose content is loaded and replay the ticks; return rules added.

    When the rules exist already, one tick at ``now`` brings the demo up to date.
    """
    settings = LifecycleSettings.current() if has_app_context() else LifecycleSettings()
    quiet = MailSettings()  # no host: the demo's people get inbox notifications only
    start = now - timedelta(days=REPLAY_DAYS)
    added = 0
    for name, trigger, kind, slug, offset, due_in, window, criteria in DEMO_RULES:
        if session.scalar(sa.select(AssignmentRule.id).where(AssignmentRule.name == name)):
            continue
        model = Course if kind == "course" else Module
        content_id = session.scalar(sa.select(model.id).where(model.slug == slug))
        if content_id is None:
            continue
        spec = RuleSpec(
            name=name,
            trigger=trigger,
            criteria=dict(criteria),
            course_id=content_id if kind == "course" else None,
            module_id=content_id if kind == "module" else None,
            offset_days=offset,
            due_in_days=due_in,
            window_days=window,
        )
        create_rule(session, spec, start, settings=settings)
        added += 1
    first_day = REPLAY_DAYS if added else 0
    for days_ago in range(first_day, -1, -1):
        run_tick(session, now - timedelta(days=days_ago), settings=settings, mail=quiet)
    return added
