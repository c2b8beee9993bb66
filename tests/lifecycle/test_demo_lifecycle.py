"""The demo's lifecycle: new hires at different stages, with due and overdue training."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.db import utcnow
from lms_cx.models import Assignment, AssignmentRule, Course, Module, Notification
from lms_cx.models.people import Employee
from lms_cx.services.demo import demo_email, load_demo
from tests import factories


def _rule_items(session, key: str) -> dict[str, bool]:
    """Return the module slugs assigned by rules to a demo person, each with "overdue?"."""
    now = utcnow()
    rows = session.execute(
        sa.select(Module.slug, Assignment.due_at)
        .join(Assignment, Assignment.module_id == Module.id)
        .join(Employee, Employee.id == Assignment.employee_id)
        .where(Employee.email == demo_email(key), Assignment.source == "rule")
    ).all()
    return {slug: due_at < now for slug, due_at in rows}


def test_that_the_demo_shows_new_hires_at_different_stages(ctx, session) -> None:
    """Test that the demo's replayed ticks leave due, overdue and escalated training."""
    for slug in ("comm-de-escalation", "persona-vulnerable-customers", "pk-policies-and-whats-new"):
        factories.learning_module(session, slug)
    session.add(
        Course(slug="cx-onboarding", title={"en": "Onboarding"}, lifecycle_stage="onboarding")
    )
    session.commit()
    load_demo(session)
    # Only the rules whose content is loaded: days 30, 60, 90 (no refresher, no leads module).
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 3
    assert _rule_items(session, "ola.zielinska") == {}
    assert _rule_items(session, "sofia.marques") == {"comm-de-escalation": False}
    assert _rule_items(session, "piotr.lewandowski") == {"comm-de-escalation": True}
    assert _rule_items(session, "tom.becker") == {
        "comm-de-escalation": True,
        "persona-vulnerable-customers": True,
        "pk-policies-and-whats-new": True,
    }
    manager = session.scalar(sa.select(Employee.id).where(Employee.email == demo_email("manager")))
    escalations = session.scalar(
        sa.select(sa.func.count()).where(
            Notification.employee_id == manager, Notification.kind == "escalation.overdue"
        )
    )
    assert escalations >= 4
    counts = (
        session.scalar(sa.select(sa.func.count(Assignment.id))),
        session.scalar(sa.select(sa.func.count(Notification.id))),
    )
    load_demo(session)  # loading again changes nothing (same day)
    assert counts == (
        session.scalar(sa.select(sa.func.count(Assignment.id))),
        session.scalar(sa.select(sa.func.count(Notification.id))),
    )
