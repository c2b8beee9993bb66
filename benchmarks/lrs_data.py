"""Realistic statements for ``benchmarks/lrs_load.py``, and a bulk seeder for the ledger.

Statements look like what lms_cx and cmi5 content write: 2,000 learners (mbox), 400
activities in 40 modules of 4 courses, ADL verbs weighted like a real course (many
``experienced``/``answered``, fewer ``passed``), a registration per learner and course,
parent/grouping context activities, scores and durations.

``seed_ledger`` fills the ledger to a size without the HTTP round trip: it prepares each
statement exactly as ``store_statements`` does (ids, stored, authority, columns, index rows)
and inserts rows in bulk, skipping validation, the projection and the outbox, so a million
statements take minutes, not an hour. Only the statement rows the queries read are needed.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.index import activity_rows, agent_rows, statement_columns
from lms_cx.xapi.prepare import prepare_statement

ADL = "http://adlnet.gov/expapi/verbs/"
BASE = "https://lms-cx.example.com/xapi/activities/"
LEARNERS = 2000
COURSES = 4
MODULES_PER_COURSE = 10
ACTIVITIES_PER_MODULE = 10
VERBS = [
    ("experienced", 30), ("answered", 30), ("attempted", 8), ("initialized", 8),
    ("progressed", 8), ("completed", 6), ("passed", 4), ("failed", 2), ("terminated", 4),
]  # fmt: skip
AUTHORITY = {
    "objectType": "Agent",
    "name": "benchmark",
    "account": {"homePage": "https://lms-cx.example.com", "name": "benchmark"},
}


def learner_mbox(number: int) -> str:
    """Return the mbox of learner ``number``."""
    return f"mailto:learner{number:05d}@example.com"


def verb_id(name: str) -> str:
    """Return the ADL verb IRI of ``name``."""
    return ADL + name


class StatementFactory:
    """Generate realistic statements reproducibly from a seed."""

    def __init__(self, seed: int = 42) -> None:
        self.random = random.Random(seed)
        names, weights = zip(*VERBS, strict=True)
        self.verbs = names
        self.weights = weights
        self.registrations = {}

    def registration(self, learner: int, course: int) -> str:
        """Return the registration (assignment id) of a learner in a course."""
        key = (learner, course)
        if key not in self.registrations:
            self.registrations[key] = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
        return self.registrations[key]

    def statement(self) -> dict[str, Any]:
        """Return one statement with a fresh id."""
        rnd = self.random
        learner = rnd.randrange(LEARNERS)
        course = rnd.randrange(COURSES)
        module = rnd.randrange(MODULES_PER_COURSE)
        activity = rnd.randrange(ACTIVITIES_PER_MODULE)
        verb = rnd.choices(self.verbs, self.weights)[0]
        module_id = f"{BASE}course-{course}/module-{module}"
        statement: dict[str, Any] = {
            "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            "actor": {
                "objectType": "Agent",
                "name": f"Learner {learner}",
                "mbox": learner_mbox(learner),
            },
            "verb": {"id": verb_id(verb), "display": {"en-US": verb}},
            "object": {
                "objectType": "Activity",
                "id": f"{module_id}/lesson-{activity}",
                "definition": {
                    "name": {"en": f"Lesson {activity}", "fa": f"درس {activity}"},
                    "type": "http://adlnet.gov/expapi/activities/lesson",
                },
            },
            "context": {
                "registration": self.registration(learner, course),
                "platform": "lms_cx",
                "language": "en",
                "contextActivities": {
                    "parent": [{"id": module_id, "objectType": "Activity"}],
                    "grouping": [{"id": f"{BASE}course-{course}", "objectType": "Activity"}],
                },
            },
            "timestamp": (
                datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.randrange(10**7))
            ).isoformat(timespec="milliseconds"),
        }
        if verb in ("answered", "passed", "failed", "completed"):
            raw = rnd.randrange(11)
            statement["result"] = {
                "score": {"raw": raw, "min": 0, "max": 10, "scaled": raw / 10},
                "success": verb != "failed" and raw >= 6,
                "completion": verb != "answered",
                "duration": f"PT{rnd.randrange(30, 900)}S",
            }
        return statement

    def batch(self, size: int) -> list[dict[str, Any]]:
        """Return ``size`` statements."""
        return [self.statement() for _ in range(size)]


def _insert_statements(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    table = Statement.__table__
    session.execute(sa.insert(table), rows)
    ids = [row["statement_id"] for row in rows]
    found = dict(
        session.execute(
            sa.select(table.c.statement_id, table.c.seq).where(table.c.statement_id.in_(ids))
        ).all()
    )
    return [found[i] for i in ids]


def seed_ledger(session: Session, total: int, *, chunk: int = 5000, seed: int = 7) -> int:
    """Bulk-insert statements until the ledger holds ``total``; return how many were added."""
    have = session.scalar(sa.select(sa.func.count()).select_from(Statement)) or 0
    factory = StatementFactory(seed + have)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    added = 0
    while have + added < total:
        size = min(chunk, total - have - added)
        rows, activities, agents = [], [], []
        for number in range(size):
            stored = start + timedelta(milliseconds=have + added + number)
            prepared = prepare_statement(factory.statement(), stored=stored, authority=AUTHORITY)
            rows.append(statement_columns(prepared))
            activities.append(activity_rows(prepared))
            agents.append(agent_rows(prepared))
        seqs = _insert_statements(session, rows)

        session.execute(
            sa.insert(StatementActivity.__table__),
            [{"statement_seq": seq, "activity_id": a, "relation": r}
             for seq, found in zip(seqs, activities, strict=True) for a, r in found],
        )  # fmt: skip
        session.execute(
            sa.insert(StatementAgent.__table__),
            [{"statement_seq": seq, "agent_ifi": a, "relation": r}
             for seq, found in zip(seqs, agents, strict=True) for a, r in found],
        )  # fmt: skip
        session.commit()
        added += size
    return added
