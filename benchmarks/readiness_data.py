"""The organisation ``benchmarks/readiness.py`` times reports on, built with bulk inserts.

500 teams (100 departments of 4 squads), 10,000 employees (25 per squad), 40 published
modules (an onboarding course of 16, a refresher course of 12, 12 stand-alone modules for
remedial and manual refreshers, ten per track), and a year of learning in the progress
projection: module, lesson and quiz rows per assignment. Seeded, so every run builds the
same organisation. The statements ledger is left empty: reports read only the projection.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from lms_cx.models import (
    Assignment,
    Certificate,
    Course,
    CourseModule,
    FeedbackItem,
    Lesson,
    Module,
    Progress,
    Track,
)
from lms_cx.models.people import Employee, EmployeeRole, Team, TeamManager
from lms_cx.services.learning_record import statement_settings
from lms_cx.services.publishing import latest_course_version, publish_course, publish_module
from lms_cx.services.tracks import ensure_default_tracks
from lms_cx.xapi.statements import lesson_activity_id, module_activity_id, quiz_activity_id

PASSWORD = "benchmark-password"
DEPARTMENTS = 100
SQUADS_PER_DEPARTMENT = 4
PEOPLE_PER_SQUAD = 25
BATCH = 5000


@dataclass(frozen=True)
class BenchOrg:
    """Who signs in to time the reports, and what they see."""

    manager_email: str  # manages two squads: 50 people
    admin_email: str
    employees: int
    teams: int
    progress_rows: int


def _content(session: Session) -> tuple[Course, Course, list[Module]]:
    ensure_default_tracks(session)
    tracks = list(session.scalars(sa.select(Track).order_by(Track.position)))
    modules: list[Module] = []
    for track in tracks:
        for number in range(10):
            module = Module(
                slug=f"{track.code}-{number}",
                track_id=track.id,
                lifecycle_stage="onboarding" if number < 4 else "ongoing",
                title={"en": f"{track.code.replace('_', ' ').title()} {number}"},
            )
            session.add(module)
            module.lessons = [
                Lesson(slug=f"lesson-{n}", position=n, title={"en": f"Lesson {n}"}, body={})
                for n in (1, 2)
            ]
            modules.append(module)
    session.flush()
    onboarding = Course(slug="bench-onboarding", title={"en": "Onboarding"})
    onboarding.lifecycle_stage = "onboarding"
    onboarding.certificate_valid_days = 365
    refresher = Course(slug="bench-refresher", title={"en": "Refresher"})
    refresher.certificate_valid_days = 365
    session.add_all([onboarding, refresher])
    session.flush()
    by_track = [modules[i * 10 : i * 10 + 10] for i in range(len(tracks))]
    for course, picks in ((onboarding, range(4)), (refresher, range(4, 7))):
        position = 0
        for number in picks:
            for track_modules in by_track:
                session.add(
                    CourseModule(
                        course_id=course.id, module_id=track_modules[number].id, position=position
                    )
                )
                position += 1
    session.flush()
    publish_course(session, onboarding)
    publish_course(session, refresher)
    extras = [m for track_modules in by_track for m in track_modules[7:]]
    for module in extras:
        publish_module(session, module, commit=False)
    session.commit()
    return onboarding, refresher, extras


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(sa.insert(model), rows[start : start + BATCH])


def build_organisation(session: Session, now: datetime, seed: int = 7) -> BenchOrg:
    """Create the benchmark organisation in an empty database (commits)."""
    rng = random.Random(seed)
    onboarding, refresher, extras = _content(session)
    versions = {
        course.id: latest_course_version(session, course.id) for course in (onboarding, refresher)
    }
    base = statement_settings().activity_base
    teams, squads = [], []
    for d in range(DEPARTMENTS):
        teams.append({"id": d + 1, "name": f"Department {d + 1:03d}", "parent_id": None})
    for d in range(DEPARTMENTS):
        for s in range(SQUADS_PER_DEPARTMENT):
            team_id = DEPARTMENTS + 1 + d * SQUADS_PER_DEPARTMENT + s
            teams.append({"id": team_id, "name": f"Squad {d + 1:03d}-{s + 1}", "parent_id": d + 1})
            squads.append(team_id)
    _insert(session, Team, teams)
    password = generate_password_hash(PASSWORD)
    people, roles, managers = [], [], []
    for number, team_id in enumerate(squad for squad in squads for _ in range(PEOPLE_PER_SQUAD)):
        people.append(
            {
                "id": number + 1,
                "email": f"agent{number + 1:05d}@bench.example",
                "display_name": f"Agent {number + 1:05d}",
                "team_id": team_id,
                "hire_date": (now - timedelta(days=rng.randrange(20, 1500))).date(),
                "attributes": {},
                "is_active": True,
            }
        )
        roles.append({"employee_id": number + 1, "role": "learner"})
    staff = len(people)
    for offset, (key, role) in enumerate((("manager", "manager"), ("admin", "admin"))):
        people.append(
            {
                "id": staff + offset + 1,
                "email": f"{key}@bench.example",
                "display_name": f"Bench {key}",
                "team_id": None,
                "attributes": {},
                "password_hash": password,
                "is_active": True,
            }
        )
        roles.append({"employee_id": staff + offset + 1, "role": role})
    managers = [{"team_id": squads[0], "employee_id": staff + 1}]
    managers.append({"team_id": squads[1], "employee_id": staff + 1})
    _insert(session, Employee, people)
    _insert(session, EmployeeRole, roles)
    _insert(session, TeamManager, managers)
    assignments, progress, certificates, feedback = [], [], [], []
    onboarding_modules = [m["slug"] for m in versions[onboarding.id].snapshot["modules"]]
    refresher_modules = [m["slug"] for m in versions[refresher.id].snapshot["modules"]]

    def learn(assignment: dict, slugs: list[str], share: float, start: datetime) -> bool:
        """Add progress rows for the first ``share`` of ``slugs``; return True when all done."""
        done = round(len(slugs) * share)
        for index, slug in enumerate(slugs[: done + 1]):
            at = min(now, start + timedelta(days=2 * index + rng.random()))
            passed = index < done
            score = round(rng.uniform(0.8 if passed else 0.4, 1.0 if passed else 0.79), 2)
            registration = str(assignment["id"])
            common = {"registration": registration, "employee_id": assignment["employee_id"]}
            common["actor_ifi"] = f"mbox:mailto:agent{assignment['employee_id']:05d}@bench.example"
            for lesson in ("lesson-1", "lesson-2"):
                progress.append(
                    {
                        **common,
                        "activity_id": lesson_activity_id(base, slug, lesson),
                        "status": "completed",
                        "completion": True,
                        "attempts": 0,
                        "first_activity_at": at,
                        "last_activity_at": at,
                        "completed_at": at,
                    }
                )
            for activity in (module_activity_id(base, slug), quiz_activity_id(base, slug)):
                progress.append(
                    {
                        **common,
                        "activity_id": activity,
                        "status": "passed" if passed else "failed",
                        "completion": passed,
                        "success": passed,
                        "best_score_scaled": score,
                        "last_score_scaled": score,
                        "attempts": 1,
                        "first_activity_at": at,
                        "last_activity_at": at,
                        "completed_at": at if passed else None,
                        "passed_at": at if passed else None,
                    }
                )
        return done == len(slugs)

    for person in people[:staff]:
        hired = datetime.combine(person["hire_date"], datetime.min.time(), tzinfo=now.tzinfo)
        start = max(hired, now - timedelta(days=365))
        share = rng.choice((1.0, 1.0, 1.0, 0.75, 0.5, 0.0))
        row = {
            "id": uuid.uuid4(),
            "employee_id": person["id"],
            "course_id": onboarding.id,
            "course_version_id": versions[onboarding.id].id,
            "source": "onboarding",
            "reason": "New-hire onboarding",
            "reason_data": {},
            "assigned_at": start,
            "started_at": start if share else None,
            "due_at": start + timedelta(days=30),
        }
        complete = learn(row, onboarding_modules, share, start) if share else False
        row["state"] = "completed" if complete else "open"
        row["completed_at"] = start + timedelta(days=40) if complete else None
        if not share:
            row["course_version_id"] = None
        assignments.append(row)
        if complete:
            issued = row["completed_at"]
            certificates.append(
                {
                    "employee_id": person["id"],
                    "course_id": onboarding.id,
                    "course_version_id": versions[onboarding.id].id,
                    "assignment_id": row["id"],
                    "verification_code": f"CX-BENCH-{person['id']:06d}",
                    "issued_at": issued,
                    "expires_at": issued + timedelta(days=365),
                    "score_scaled": 0.9,
                }
            )
        if (now - hired).days > 400:
            start = now - timedelta(days=rng.randrange(10, 200))
            share = rng.choice((1.0, 0.5, 0.0))
            row = {
                "id": uuid.uuid4(),
                "employee_id": person["id"],
                "course_id": refresher.id,
                "course_version_id": versions[refresher.id].id if share else None,
                "source": "rule",
                "reason": "Yearly refresher",
                "reason_data": {},
                "assigned_at": start,
                "started_at": start if share else None,
                "due_at": start + timedelta(days=60),
            }
            complete = learn(row, refresher_modules, share, start) if share else False
            row["state"] = "completed" if complete else "open"
            row["completed_at"] = now if complete else None
            assignments.append(row)
        if rng.random() < 0.05:
            module = rng.choice(extras)
            assignments.append(
                {
                    "id": uuid.uuid4(),
                    "employee_id": person["id"],
                    "module_id": module.id,
                    "source": "remedial",
                    "reason": "Customer feedback",
                    "reason_data": {},
                    "assigned_at": now - timedelta(days=5),
                    "due_at": now + timedelta(days=9),
                    "state": "open",
                }
            )
        for day in rng.sample(range(1, 120), rng.randrange(0, 12)):
            feedback.append(
                {
                    "employee_id": person["id"],
                    "occurred_at": now - timedelta(days=day),
                    "csat": rng.choice((2, 3, 4, 4, 5, 5)),
                    "tags": [],
                    "source": "bench",
                    "external_id": f"bench-{len(feedback)}",
                }
            )
    _insert(session, Assignment, assignments)
    _insert(session, Progress, progress)
    _insert(session, Certificate, certificates)
    _insert(session, FeedbackItem, feedback)
    session.commit()
    return BenchOrg(
        manager_email="manager@bench.example",
        admin_email="admin@bench.example",
        employees=len(people),
        teams=len(teams),
        progress_rows=len(progress),
    )
