"""The demo organisation: Brightwave's customer-care department, its people and a few
months of what customers said about them. Loading it twice changes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from lms_cx.config import DEFAULTS
from lms_cx.db import utcnow
from lms_cx.models import Assignment, Course, FeedbackItem, ReviewCycle
from lms_cx.models.people import Employee, Team
from lms_cx.services.demo_lifecycle import load_demo_lifecycle
from lms_cx.services.demo_progress import record_demo_progress
from lms_cx.services.feedback_demo import prepare_demo_feedback
from lms_cx.services.people import add_team_manager, create_employee
from lms_cx.services.review_cycles import ReviewSettings, create_cycle, generate_packets

DEMO_PASSWORD = "brightwave-demo"
DEMO_DOMAIN = "brightwave.example"
FEEDBACK_SOURCE = "demo"
FEEDBACK_DAYS = 120
REVIEW_CYCLE_NAME = "Agents: the last 90 days"

# (key, name, roles, team, days since hire, locale, how customers rate them: mean CSAT, weak tag)
PEOPLE = (
    ("admin", "Farah Rahimi", ("admin",), None, 2900, "en", None, None),
    ("trainer", "Daniel Okafor", ("trainer", "learner"), None, 1500, "en", None, None),
    ("manager", "Agnieszka Wiśniewska", ("manager", "learner"), None, 2200, "pl", None, None),
    ("ola.zielinska", "Ola Zielińska", ("learner",), "phone", 5, "pl", None, None),
    ("kamran.moradi", "Kamran Moradi", ("learner",), "digital", 18, "fa", 4.0, "tone"),
    ("sofia.marques", "Sofia Marques", ("learner",), "phone", 33, "en", 4.3, None),
    ("piotr.lewandowski", "Piotr Lewandowski", ("learner",), "digital", 52, "pl", 3.1, "billing"),
    ("nasrin.jafari", "Nasrin Jafari", ("learner",), "phone", 80, "fa", 4.5, None),
    ("tom.becker", "Tom Becker", ("learner",), "digital", 140, "en", 3.4, "empathy"),
    ("ewa.nowicka", "Ewa Nowicka", ("learner",), "phone", 760, "pl", 4.6, None),
    ("ali.hosseini", "Ali Hosseini", ("learner",), "digital", 1100, "fa", 3.9, "wait_time"),
)

TEAMS = {"phone": "Frontline Phone", "digital": "Digital Channels"}

# What customers wrote, by language and mood, with the tags a help desk would attach.
COMMENTS = {
    "en": {
        "positive": [
            ("Sofia sorted out my router in ten minutes and explained every step.", ["resolution"]),
            ("Really patient with my dad, who is not good with technology.", ["empathy"]),
            ("Clear answer about my bill, no jargon. Thank you!", ["billing"]),
            ("Fixed on the first call, didn't have to ring back.", ["resolution"]),
            ("Friendly and knew the new plans well.", ["product_info"]),
        ],
        "negative": [
            ("I had to explain my problem three times before anyone listened.", ["empathy"]),
            ("Nobody could tell me why my bill went up.", ["billing"]),
            ("Waited 40 minutes and then the chat was closed.", ["wait_time"]),
            ("The agent sounded bored and rushed me off the phone.", ["tone", "empathy"]),
            ("Was promised a call back that never came.", ["resolution"]),
        ],
    },
    "pl": {
        "positive": [
            ("Bardzo miła obsługa, wszystko wyjaśnione krok po kroku.", ["resolution"]),
            ("Konsultantka cierpliwie wytłumaczyła fakturę.", ["billing"]),
            ("Problem rozwiązany przy pierwszym kontakcie, dziękuję!", ["resolution"]),
            ("Świetna znajomość nowych pakietów.", ["product_info"]),
        ],
        "negative": [
            ("Nikt nie potrafił wyjaśnić, skąd wzięła się dopłata na rachunku.", ["billing"]),
            ("Czekałem ponad pół godziny na połączenie.", ["wait_time"]),
            ("Konsultant był niemiły i przerywał mi w pół zdania.", ["tone", "empathy"]),
            ("Obiecano oddzwonić i nikt się nie odezwał.", ["resolution"]),
        ],
    },
    "fa": {
        "positive": [
            ("خیلی با حوصله مشکل مودم را حل کردند، ممنونم.", ["resolution"]),
            ("صورت‌حسابم را خیلی واضح توضیح دادند.", ["billing"]),
            ("برخورد بسیار محترمانه و دلسوزانه بود.", ["empathy"]),
            ("اطلاعات کاملی درباره‌ی طرح‌های جدید داشتند.", ["product_info"]),
        ],
        "negative": [
            ("سه بار مشکلم را توضیح دادم و کسی گوش نکرد.", ["empathy"]),
            ("نیم ساعت پشت خط منتظر ماندم.", ["wait_time"]),
            ("لحن کارشناس تند بود و عجله داشت.", ["tone"]),
            ("هیچ‌کس نتوانست افزایش مبلغ قبض را توضیح دهد.", ["billing"]),
        ],
    },
}

CHANNELS = ("phone", "chat", "email", "phone", "chat")


@dataclass
class DemoSummary:
    """What ``load_demo`` found or created."""

    created: bool
    employees: int = 0
    feedback_items: int = 0
    assignments: int = 0
    remedial_assignments: int = 0
    #: Learners whose lessons and quizzes so far were recorded now.
    learners_with_progress: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """Return one line for the command line."""
        verb = "Created" if self.created else "Found"
        return (
            f"{verb} the demo organisation: {self.employees} employees, "
            f"{self.feedback_items} customer feedback items, {self.assignments} assignments, "
            f"{self.remedial_assignments} remedial assignments, "
            f"{self.learners_with_progress} learners' progress recorded."
        )


def demo_email(key: str) -> str:
    """Return the sign-in email of a demo person."""
    return f"{key}@{DEMO_DOMAIN}"


def load_demo(session: Session, now: datetime | None = None) -> DemoSummary:
    """Create the demo organisation unless it exists; assign training that is loaded."""
    now = now or utcnow()
    existing = session.scalar(sa.select(Employee).where(Employee.email == demo_email("manager")))
    created = existing is None
    if created:
        _create_people(session, now)
        _create_feedback(session, now)
    assignments = _assign_training(session, now)
    session.commit()
    remedial = prepare_demo_feedback(session, now)
    load_demo_lifecycle(session, now)  # rules, and the last months' ticks replayed
    # After the replayed ticks: they run at past moments and would otherwise see learning
    # recorded later than they ran.
    progress = record_demo_progress(session, {key: demo_email(key) for key, *_rest in PEOPLE}, now)
    _open_review_cycle(session, now)
    demo_people = sa.select(Employee.id).where(Employee.email.like(f"%@{DEMO_DOMAIN}"))
    return DemoSummary(
        created=created,
        employees=session.scalar(sa.select(sa.func.count()).select_from(demo_people.subquery()))
        or 0,
        feedback_items=session.scalar(
            sa.select(sa.func.count(FeedbackItem.id)).where(FeedbackItem.source == FEEDBACK_SOURCE)
        )
        or 0,
        assignments=assignments,
        remedial_assignments=remedial,
        learners_with_progress=progress,
        logins=[(roles[0], demo_email(key)) for key, _n, roles, *_rest in PEOPLE],
    )


def _open_review_cycle(session: Session, now: datetime) -> None:
    """Open a review of the agents' last 90 days, packets generated, for HR and managers."""
    if session.scalar(sa.select(ReviewCycle.id).where(ReviewCycle.name == REVIEW_CYCLE_NAME)):
        return
    cycle = create_cycle(
        session,
        name=REVIEW_CYCLE_NAME,
        period_start=(now - timedelta(days=89)).date(),
        period_end=now.date(),
        population={"job_role": ["agent"]},
    )
    # Outside an app (a script, a test) the documented defaults weigh the readiness index.
    config = current_app.config if has_app_context() else DEFAULTS
    generate_packets(session, cycle, ReviewSettings.from_config(config), now)


def _create_people(session: Session, now: datetime) -> None:
    department = Team(name="Customer Care", external_id="demo-care")
    teams = {
        key: Team(name=name, external_id=f"demo-{key}", parent=department)
        for key, name in TEAMS.items()
    }
    session.add_all([department, *teams.values()])
    for key, name, roles, team_key, days, locale, _mean, _weak in PEOPLE:
        employee = create_employee(
            session,
            email=demo_email(key),
            display_name=name,
            roles=roles,
            password=DEMO_PASSWORD,
            # HR administers the system from outside the care department.
            team=teams[team_key] if team_key else None if "admin" in roles else department,
            hire_date=(now - timedelta(days=days)).date(),
            locale=locale,
            time_zone="Europe/Warsaw"
            if locale == "pl"
            else "Asia/Tehran"
            if locale == "fa"
            else None,
            external_id=f"demo-{key}",
            job_role="agent" if team_key else roles[0],
        )
        if key == "manager":
            session.flush()
            add_team_manager(session, department, employee)
    session.flush()


def _create_feedback(session: Session, now: datetime) -> None:
    rng = random.Random(2026)
    number = 0
    employees = {
        e.external_id: e
        for e in session.scalars(sa.select(Employee).where(Employee.external_id.like("demo-%")))
    }
    for key, _name, _roles, team_key, days, locale, mean, weak in PEOPLE:
        if team_key is None or mean is None:
            continue
        employee = employees[f"demo-{key}"]
        first_day = max(0, FEEDBACK_DAYS - days + 3)
        for day in range(first_day, FEEDBACK_DAYS):
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                number += 1
                csat = max(1, min(5, round(rng.gauss(mean, 0.9))))
                mood = "positive" if csat >= 4 else "negative" if csat <= 2 else None
                comment, tags = None, []
                if mood and rng.random() < 0.6:
                    pool = COMMENTS[locale][mood]
                    if mood == "negative" and weak and rng.random() < 0.7:
                        pool = [c for c in pool if weak in c[1]] or pool
                    comment, tags = rng.choice(pool)
                occurred = datetime.combine(
                    (now - timedelta(days=FEEDBACK_DAYS - day)).date(),
                    time(8 + rng.randrange(12), rng.randrange(60)),
                    tzinfo=now.tzinfo,
                )
                session.add(
                    FeedbackItem(
                        employee_id=employee.id,
                        occurred_at=min(occurred, now),
                        channel=rng.choice(CHANNELS),
                        csat=csat,
                        nps=max(0, min(10, csat * 2 + rng.choice((-1, 0, 0, 1)))),
                        comment=comment,
                        language=locale if comment else None,
                        tags=list(tags),
                        source=FEEDBACK_SOURCE,
                        external_id=f"demo-{number}",
                    )
                )


def _assign_training(session: Session, now: datetime) -> int:
    """Assign onboarding to new hires and the refresher to experienced agents, once each."""
    courses = {c.slug: c for c in session.scalars(sa.select(Course))}
    added = 0
    for key, _name, _roles, team_key, days, *_rest in PEOPLE:
        if team_key is None:
            continue
        employee = session.scalar(sa.select(Employee).where(Employee.email == demo_email(key)))
        if employee is None:
            continue
        onboarding = days <= 180
        course = courses.get("cx-onboarding" if onboarding else "cx-refresher")
        if course is None:
            continue
        has_one = session.scalar(
            sa.select(Assignment.id).where(
                Assignment.employee_id == employee.id, Assignment.course_id == course.id
            )
        )
        if has_one is not None:
            continue
        hired = datetime.combine(employee.hire_date or date.today(), time(9), tzinfo=now.tzinfo)
        session.add(
            Assignment(
                employee_id=employee.id,
                course_id=course.id,
                source="onboarding" if onboarding else "rule",
                reason="New-hire onboarding" if onboarding else "Yearly refresher",
                assigned_at=hired if onboarding else now - timedelta(days=10),
                due_at=hired + timedelta(days=30) if onboarding else now + timedelta(days=20),
                state="open",
            )
        )
        added += 1
    return added
