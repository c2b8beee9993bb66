"""A new hire's first 100 days on a simulated clock: every assignment, reminder, escalation,
digest and recertification, exactly."""

from __future__ import annotations

import uuid
from collections import Counter

import sqlalchemy as sa

from lms_cx.models import Assignment, Certificate, Module, Notification
from lms_cx.models.people import Employee
from lms_cx.services.assignment_rules import create_rule, preview_rule
from lms_cx.services.certificates import issue_certificate
from lms_cx.services.publishing import latest_course_version
from lms_cx.services.recertification import training_history
from lms_cx.services.rule_matching import RuleSpec
from lms_cx.services.tick import run_tick
from tests import factories
from tests.lifecycle.conftest import date_of, day

LAST_DAY = 100


def _world(session):
    """Build the organisation, the content and the rules of the story (rules on day 0)."""
    care = factories.team(session, "Care")
    phone = factories.team(session, "Phone", parent=care)
    manager = factories.hr_employee(
        session, display_name="Maja Manager", job_role="manager", manages=[care]
    )
    newbie = factories.hr_employee(
        session,
        display_name="Nina New",
        hire_date=date_of(0),
        job_role="agent",
        team=phone,
        attributes={"shift": "night"},
    )
    veteran = factories.hr_employee(
        session,
        display_name="Victor Veteran",
        hire_date=date_of(-400),
        job_role="agent",
        team=phone,
        attributes={"shift": "day"},
    )
    factories.hr_employee(
        session,
        display_name="Bo Backoffice",
        hire_date=date_of(-400),
        job_role="back office",
        team=care,
    )
    onboarding = factories.learning_course(
        session,
        "onboarding",
        [factories.learning_module(session, "welcome")],
        certificate_valid_days=60,
    )
    modules = {
        slug: factories.learning_module(session, slug)
        for slug in ("day30", "day60", "day90", "refresher", "leadership")
    }
    session.commit()
    agents = {"job_role": ["agent"]}
    specs = [
        RuleSpec(
            "Onboarding", "on_hire", agents, course_id=onboarding.id, due_in_days=14, window_days=30
        ),
        RuleSpec(
            "Day 30", "day_n", agents, module_id=modules["day30"].id, offset_days=30, due_in_days=10
        ),
        RuleSpec(
            "Day 60",
            "day_n",
            agents,
            module_id=modules["day60"].id,
            offset_days=60,
            due_in_days=10,
            window_days=30,
        ),
        RuleSpec(
            "Day 90",
            "day_n",
            {"team_ids": [care.id]},
            module_id=modules["day90"].id,
            offset_days=90,
            due_in_days=10,
            window_days=30,
        ),
        RuleSpec(
            "Night refresher",
            "every_n_days",
            {"attributes": {"shift": ["night"]}},
            module_id=modules["refresher"].id,
            offset_days=45,
            due_in_days=7,
        ),
        RuleSpec(
            "Leaders",
            "on_change",
            {"job_role": ["team lead"]},
            module_id=modules["leadership"].id,
            due_in_days=14,
        ),
    ]
    return manager, newbie, veteran, onboarding, specs


def _slug(session, assignment_id) -> str:
    assignment = session.get(Assignment, assignment_id)
    if assignment.course_id:
        return "onboarding" if assignment.source == "rule" else "recertification"
    return session.get(Module, assignment.module_id).slug


def _complete(session, employee, slug: str, when) -> None:
    """Complete the employee's open assignment of ``slug`` at ``when`` (course: certificate)."""
    for assignment in session.scalars(
        sa.select(Assignment).where(
            Assignment.employee_id == employee.id, Assignment.state == "open"
        )
    ):
        if _slug(session, assignment.id) != slug:
            continue
        assignment.state, assignment.completed_at = "completed", when
        assignment.started_at = when
        if assignment.course_id:
            version = latest_course_version(session, assignment.course_id)
            issue_certificate(session, assignment, version, 0.9, when)
        session.commit()
        return
    raise AssertionError(f"{employee.display_name} has no open {slug}")


def _story(session, newbie, veteran):
    """Return what the people do, by day (after that day's tick)."""
    return {
        9: lambda: _complete(session, veteran, "day30", day(9, 10)),
        10: lambda: _complete(session, newbie, "onboarding", day(10, 10)),
        50: lambda: _complete(session, newbie, "refresher", day(50, 10)),
        58: lambda: _complete(session, newbie, "day30", day(58, 10)),
        65: lambda: _complete(session, newbie, "day60", day(65, 10)),
        68: lambda: _complete(session, newbie, "recertification", day(68, 10)),
        80: lambda: _complete(session, newbie, "leadership", day(80, 10)),
    }


EXPECTED = [
    # (day, who, what: kind and the content it is about)
    (0, "Nina New", "assignment.new onboarding"),
    (0, "Victor Veteran", "assignment.new day30"),  # retroactive: day 30 was long ago
    (3, "Victor Veteran", "reminder.due_soon day30"),
    (7, "Nina New", "reminder.due_soon onboarding"),
    (9, "Victor Veteran", "reminder.due_soon day30"),
    (30, "Nina New", "assignment.new day30"),
    (33, "Nina New", "reminder.due_soon day30"),
    (39, "Nina New", "reminder.due_soon day30"),
    (40, "Nina New", "reminder.due_today day30"),
    (41, "Nina New", "reminder.overdue day30"),
    (45, "Nina New", "assignment.new refresher"),
    (45, "Nina New", "reminder.due_soon refresher"),
    (48, "Nina New", "reminder.overdue day30"),
    (50, "Maja Manager", "escalation.overdue day30"),
    (55, "Nina New", "reminder.overdue day30"),
    (57, "Nina New", "assignment.new recertification"),
    (60, "Nina New", "assignment.new day60"),
    (63, "Nina New", "reminder.due_soon recertification"),
    (63, "Nina New", "reminder.due_soon day60"),
    (70, "Nina New", "assignment.new leadership"),
    (77, "Nina New", "reminder.due_soon leadership"),
    (90, "Nina New", "assignment.new day90"),
    (90, "Nina New", "assignment.new refresher"),
    (90, "Nina New", "reminder.due_soon refresher"),
    (93, "Nina New", "reminder.due_soon day90"),
    (96, "Nina New", "reminder.due_soon refresher"),
    (97, "Nina New", "reminder.due_today refresher"),
    (98, "Nina New", "reminder.overdue refresher"),
    (99, "Nina New", "reminder.due_soon day90"),
    (100, "Nina New", "reminder.due_today day90"),
]


def _key_assignment(key: str) -> uuid.UUID:
    """Return the assignment id inside a notification's dedupe key."""
    parts = key.split(":")
    return uuid.UUID(parts[1] if parts[0] in ("assigned", "due-today", "escalation") else parts[2])


def _happened(session) -> list[tuple[int, str, str]]:
    rows = session.execute(
        sa.select(Notification, Employee.display_name)
        .join(Employee, Employee.id == Notification.employee_id)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    return sorted(
        (
            (note.created_at.date() - date_of(0)).days,
            name,
            f"{note.kind} {_slug(session, _key_assignment(note.dedupe_key))}",
        )
        for note, name in rows
    )


def test_first_hundred_days_of_a_new_hire(ctx, session, smtp_server) -> None:
    """Test that 100 simulated days give exactly the expected assignments, reminders,
    escalation, digests and recertification, and that a second tick each day adds nothing."""
    manager, newbie, veteran, onboarding, specs = _world(session)
    preview = preview_rule(session, specs[1], day(0, 8))
    assert [person.display_name for person in preview.assign_now] == ["Victor Veteran"]
    assert preview.matching == 2
    for spec in specs:
        create_rule(session, spec, day(0, 8))
    story = _story(session, newbie, veteran)
    for number in range(LAST_DAY + 1):
        if number == 70:
            newbie.job_role = "team lead"  # promoted: the on-change rule fires
            session.commit()
        first = run_tick(session, day(number))
        again = run_tick(session, day(number, 9, 0, 30))
        assert not first.skipped and first.mail_failures == []
        assert (
            again.assigned,
            again.recertifications,
            again.reminders,
            again.escalations,
            again.digests,
        ) == (0, 0, 0, 0, 0), number
        if number in story:
            story[number]()

    assert _happened(session) == sorted(EXPECTED)

    # One digest per person per day with news, nothing more.
    per_day = Counter((who, number) for number, who, _what in EXPECTED)
    received = Counter(
        (
            message["To"].addresses[0].display_name,
            (message["Date"].datetime.date() - date_of(0)).days,
        )
        for message in smtp_server.messages
    )
    assert received == Counter(dict.fromkeys(per_day, 1))
    assert session.scalar(sa.select(sa.func.count()).where(Notification.emailed_at.is_(None))) == 0

    # Recertification: assigned on day 57 (the certificate of day 10, 10:00 expires on day 70
    # at 10:00, 14 days later), done on day 68; the new certificate supersedes the old.
    history = training_history(session, newbie.id, "en", day(LAST_DAY))
    course = next(h for h in history if h.course_id == onboarding.id)
    assert [(a.source, a.state) for a in course.assignments] == [
        ("rule", "completed"),
        ("recertification", "completed"),
    ]
    assert [c.state for c in course.certificates] == ["superseded", "valid"]
    assert course.current_certificate.expires_at.date() == date_of(128)
    recert = session.scalar(sa.select(Assignment).where(Assignment.source == "recertification"))
    assert recert.assigned_at == day(57) and recert.due_at.date() == date_of(70)
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 2
