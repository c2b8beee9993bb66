"""Two ticks at once, on real threads with their own connections, assign and notify once."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Notification
from lms_cx.services.assignment_rules import create_rule
from lms_cx.services.rule_matching import RuleSpec
from lms_cx.services.tick import TickReport, run_tick
from tests import factories
from tests.lifecycle.conftest import date_of, day

PEOPLE = 12


def test_that_two_concurrent_ticks_assign_and_notify_once(lifecycle_app, session, smtp_server):
    """Test that two ticks racing at the same moment leave one assignment and one notice each."""
    module = factories.learning_module(session, "m1")
    for number in range(PEOPLE):
        factories.hr_employee(session, display_name=f"P{number}", hire_date=date_of(-30))
    session.commit()
    with lifecycle_app.app_context():
        rule = create_rule(
            session,
            RuleSpec("Day 30", "day_n", {}, module_id=module.id, offset_days=30, due_in_days=3),
            day(-1),
        ).rule
    assert rule.id is not None
    engine = session.get_bind()
    start = threading.Barrier(2)
    reports: list[TickReport] = []
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            with lifecycle_app.app_context(), Session(engine) as own:
                start.wait()
                reports.append(run_tick(own, day(0)))
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.assigned for r in reports) == [0, PEOPLE]
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == PEOPLE
    keys = session.scalars(sa.select(Notification.dedupe_key)).all()
    assert len(keys) == len(set(keys)) == PEOPLE * 2  # assigned + due in 3 days, once each
    assert len(smtp_server.messages) == PEOPLE  # one digest each
    # On PostgreSQL the second tick may find the lock taken and skip; on SQLite it waits.
    assert sum(r.skipped for r in reports) <= 1
