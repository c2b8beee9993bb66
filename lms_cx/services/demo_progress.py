"""The demo people's learning so far, recorded through the learner's own services.

Each demo learner reads lessons and takes quizzes on days of their past, as a person would
through the pages: the statements, the progress projection, attempts and certificates are the
real thing, so the learner's home, the manager's readiness and the heatmap show something
true. Answers follow a seeded plan (right, or wrong on purpose), so every load gives the same
record. Only assignments nobody has started yet are played, so loading twice changes nothing.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Course, ModuleVersion
from lms_cx.models.people import Employee
from lms_cx.services import quiz
from lms_cx.services.enrolment import LearnerError, assignment_plan
from lms_cx.services.lessons import open_lesson
from lms_cx.services.quiz_draw import questions_by_key

#: What each demo learner did in their course, module by module in the course's order:
#: ``read`` (every lesson, no quiz yet), ``pass`` (all right), ``pass-1`` (one answer wrong),
#: ``fail-pass`` (two wrong, then all right), ``fail`` (two wrong; not passed yet) and
#: ``started`` (the first lesson only).
PLANS: dict[str, tuple[tuple[str, str], ...]] = {
    "ola.zielinska": (("comm-active-listening", "read"),),
    "kamran.moradi": (
        ("comm-active-listening", "pass-1"),
        ("persona-meet-our-customers", "pass"),
        ("pk-catalogue-basics", "fail"),
    ),
    "sofia.marques": (
        ("comm-active-listening", "pass"),
        ("persona-meet-our-customers", "pass-1"),
        ("pk-catalogue-basics", "pass"),
        ("comm-empathy", "fail-pass"),
        ("pk-plans-and-billing", "pass-1"),
        ("ps-complaint-handling", "pass"),
        ("comm-tone-writing-and-phone", "started"),
    ),
    "piotr.lewandowski": (
        ("comm-active-listening", "pass-1"),
        ("persona-meet-our-customers", "pass"),
        ("pk-catalogue-basics", "pass-1"),
        ("comm-empathy", "read"),
        ("pk-plans-and-billing", "fail"),
    ),
    "nasrin.jafari": (
        ("comm-active-listening", "pass"),
        ("persona-meet-our-customers", "pass"),
        ("pk-catalogue-basics", "pass"),
        ("comm-empathy", "pass"),
        ("pk-plans-and-billing", "pass-1"),
        ("ps-complaint-handling", "pass"),
        ("comm-tone-writing-and-phone", "pass"),
        ("pk-devices-and-troubleshooting", "pass-1"),
        ("ps-first-contact-resolution", "pass"),
        ("persona-decisions-for-customers", "pass"),
        # One wrong answer of eight misses this module's higher bar (90%).
        ("ps-decide-or-escalate", "pass-1"),
    ),
    "tom.becker": (
        ("comm-active-listening", "fail-pass"),
        ("persona-meet-our-customers", "pass-1"),
        ("pk-catalogue-basics", "started"),
    ),
    "ewa.nowicka": (
        ("comm-de-escalation", "pass"),
        ("persona-adapting-your-approach", "pass-1"),
        ("persona-vulnerable-customers", "pass"),
        ("pk-policies-and-whats-new", "pass"),
        ("ps-internal-customers", "pass-1"),
    ),
    "ali.hosseini": (
        ("comm-de-escalation", "pass-1"),
        ("persona-adapting-your-approach", "fail"),
    ),
}

#: Days between two modules of a learner, and when their first one starts after assignment.
MODULE_GAP = timedelta(days=2)


def record_demo_progress(session: Session, emails: dict[str, str], now: datetime) -> int:
    """Play the plans of the demo learners whose assignment is not started; return how many.

    ``emails`` maps a plan's key to the person's e-mail. Each service commits as it goes.
    """
    played = 0
    for key, steps in PLANS.items():
        employee = session.scalar(sa.select(Employee).where(Employee.email == emails[key]))
        if employee is None:
            continue
        assignment = session.scalar(
            sa.select(Assignment)
            .join(Course, Course.id == Assignment.course_id)
            .where(
                Assignment.employee_id == employee.id,
                Assignment.started_at.is_(None),
                Assignment.state == "open",
                Course.slug.in_(("cx-onboarding", "cx-refresher")),
            )
        )
        if assignment is None:
            continue
        try:
            _play(session, employee, assignment, steps, now, random.Random(key))
        except LearnerError:
            # The loaded curriculum differs from the shipped one: leave the rest unplayed.
            session.rollback()
            continue
        played += 1
    return played


def _play(
    session: Session,
    employee: Employee,
    assignment: Assignment,
    steps: tuple[tuple[str, str], ...],
    now: datetime,
    rng: random.Random,
) -> None:
    start = datetime.combine(
        (assignment.assigned_at + timedelta(days=1)).date(), time(9, 30), tzinfo=now.tzinfo
    )
    # Squeeze the plan into the time the person has had, ending at least a day ago.
    gap = min(MODULE_GAP, (now - timedelta(days=1) - start) / max(1, len(steps)))
    if gap < timedelta(0):
        return  # assigned too recently to have done anything
    locale = employee.locale or "en"
    for index, (module, how) in enumerate(steps):
        when = start + gap * index + timedelta(minutes=rng.randrange(0, 240))
        plan = assignment_plan(session, assignment)
        version = session.get(ModuleVersion, plan.module(module).module_version_id)
        assert version is not None
        lessons = [lesson["slug"] for lesson in version.snapshot.get("lessons", [])]
        for number, lesson in enumerate(lessons[:1] if how == "started" else lessons):
            moment = when + timedelta(minutes=6 * number)
            open_lesson(session, employee, assignment.id, module, lesson, locale, moment)
        if how in ("read", "started") or not version.snapshot.get("quiz"):
            continue
        when += timedelta(minutes=6 * len(lessons) + 5)
        wrong = {"pass": 0, "pass-1": 1, "fail": 2, "fail-pass": 2}[how]
        when = _attempt(session, employee, assignment.id, module, version, wrong, when, rng)
        if how == "fail-pass":
            _attempt(session, employee, assignment.id, module, version, 0, when, rng)


def _attempt(
    session: Session,
    employee: Employee,
    assignment_id: uuid.UUID,
    module: str,
    version: ModuleVersion,
    wrong: int,
    when: datetime,
    rng: random.Random,
) -> datetime:
    """Take one attempt with ``wrong`` answers wrong (chosen by ``rng``); return its end."""
    attempt = quiz.start_attempt(session, employee, assignment_id, module, when, rng=rng)
    questions = questions_by_key(version.snapshot["quiz"])
    keys = [item["key"] for item in attempt.drawn["questions"]]
    wrong_keys = set(rng.sample(keys, min(wrong, len(keys))))
    for key in keys:
        when += timedelta(seconds=rng.randrange(25, 90))
        question = questions[key]
        for form in demo_answers(question, right=key not in wrong_keys):
            quiz.save_answer(session, employee, attempt.id, key, form, when)
    when += timedelta(seconds=20)
    quiz.submit_attempt(session, employee, attempt.id, f"demo:{attempt.id}", when)
    return when + timedelta(minutes=10)


def demo_answers(question: dict[str, Any], right: bool) -> list[dict[str, list[str]]]:
    """Return the answer forms a learner sends to ``question`` (a scenario: one per step)."""
    data, kind = question["data"], question["type"]
    if kind == "scenario":
        forms, step, options = [], "", data["options"]
        while True:
            pick = max if right else min
            option = pick(options, key=lambda o: o["score"])
            forms.append({"answer": [option["id"]], "step": [step]})
            if not option.get("next"):
                return forms
            step = option["next"]
            options = next(s for s in data["steps"] if s["id"] == step)["options"]
    if kind == "single_choice":
        options = [o["id"] for o in data["options"] if bool(o.get("correct")) is right]
        return [{"answer": options[:1]}]
    if kind == "multiple_choice":
        options = [o["id"] for o in data["options"] if bool(o.get("correct")) is right]
        return [{"answer": options if right else options[:1]}]
    if kind == "true_false":
        value = bool(data["answer"]) is right
        return [{"answer": ["true" if value else "false"]}]
    if kind == "ordering":
        items = [item["id"] for item in data["items"]]
        order = items if right else list(reversed(items))
        return [{f"position-{item}": [str(n)] for n, item in enumerate(order, start=1)}]
    if kind == "matching":
        pairs = [pair["id"] for pair in data["pairs"]]
        chosen = pairs if right else pairs[1:] + pairs[:1]
        return [{f"match-{pair}": [match] for pair, match in zip(pairs, chosen, strict=True)}]
    if kind == "short_answer":
        best = max(data["answers"], key=lambda a: a.get("weight", 1.0))
        return [{"answer": [best["text"] if right else "not sure"]}]
    if kind == "numerical":
        answer = max(data["answers"], key=lambda a: a.get("weight", 1.0))
        value = answer["value"] if answer.get("value") is not None else answer["min"]
        return [{"answer": [str(value if right else value + 1000)]}]
    raise LookupError(f"the demo cannot answer {kind!r} questions")
