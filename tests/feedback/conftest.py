"""Fixtures for the feedback tests: an organisation, CSV files built in memory, API tokens."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import Base, utcnow
from lms_cx.models.people import Employee, Team
from tests import factories

HEADER = (
    "employee",
    "occurred_at",
    "channel",
    "csat",
    "nps",
    "ces",
    "comment",
    "tags",
    "source",
    "external_id",
)

# Comments with the tracks the shipped keyword rules give them (hand-checked, not computed).
COMMENTS: dict[str, list[tuple[str, frozenset[str]]]] = {
    "en": [
        ("The agent was rude to me.", frozenset({"communication"})),
        ("I waited 40 minutes on hold.", frozenset({"problem_solving"})),
        ("Nobody could explain my bill.", frozenset({"product_knowledge"})),
        ("Great service, thank you!", frozenset()),
        ("My dad found the jargon confusing.", frozenset({"persona_awareness"})),
    ],
    "pl": [
        ("Konsultant był niemiły; przykro mi.", frozenset({"communication"})),
        ("Czekałem ponad godzinę.", frozenset({"problem_solving"})),
        ("Nikt nie wyjaśnił faktury.", frozenset({"product_knowledge"})),
        ("Dziękuję, wszystko super.", frozenset()),
        ("Mój tata jest starszy i nie zrozumiał żargonu.", frozenset({"persona_awareness"})),
    ],
    "fa": [
        ("کارشناس بی‌ادب بود.", frozenset({"communication"})),
        ("كارشناس بي ادب بود.", frozenset({"communication"})),  # Arabic yeh and kaf, a space
        ("نیم ساعت منتظر ماندم.", frozenset({"problem_solving"})),
        ("مبلغ قبض اشتباه بود.", frozenset({"product_knowledge"})),
        ("خیلی ممنونم، عالی بود.", frozenset()),
        ("پدرم سالمند است و متوجه نشد.", frozenset({"persona_awareness"})),
    ],
}

# Tags with the tracks the shipped tag mappings give them; "unmapped" falls through to keywords.
TAGS: list[tuple[list[str], frozenset[str] | None]] = [
    ([], None),
    ([], None),
    (["billing"], frozenset({"product_knowledge"})),
    (["tone", "empathy"], frozenset({"communication"})),
    (["wait_time"], frozenset({"problem_solving"})),
    (["billing", "resolution"], frozenset({"product_knowledge", "problem_solving"})),
    (["unmapped"], None),
]


@dataclass
class GeneratedFile:
    """A generated CSV and what an independent reading of it expects."""

    data: bytes
    rows: list[dict[str, str]]
    #: ``(external_id, track)`` pairs the default rules should produce.
    themes: set[tuple[str, str]] = field(default_factory=set)
    languages: dict[str, int] = field(default_factory=dict)


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    """Return ``rows`` under ``header`` as CSV bytes (quoting as spreadsheets do)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def generate_feedback_file(
    people: Sequence[Employee], count: int, now: datetime, seed: int = 6
) -> GeneratedFile:
    """Return a realistic file: ``count`` rows, en/pl/fa, ``;``, BOM, mixed date formats."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    generated = GeneratedFile(data=b"", rows=rows)
    for number in range(1, count + 1):
        person = people[number % len(people)]
        language = rng.choice(("en", "pl", "fa"))
        occurred = now - timedelta(days=rng.randrange(90), minutes=rng.randrange(600))
        when = (
            occurred.strftime("%Y-%m-%dT%H:%M:%SZ")
            if number % 3
            else occurred.strftime("%d.%m.%Y %H:%M")
        )
        comment, comment_tracks = rng.choice(COMMENTS[language])
        with_comment = rng.random() < 0.8
        tags, tag_tracks = rng.choice(TAGS)
        csat = rng.choice((1, 2, 3, 4, 5, 5, 4))
        external_id = f"T-{number:05d}"
        rows.append(
            {
                "employee": person.email if number % 4 == 0 else person.external_id,
                "occurred_at": when,
                "channel": rng.choice(("phone", "chat", "email", "")),
                "csat": str(csat),
                "nps": str(min(10, csat * 2)) if number % 5 else "",
                "ces": str(rng.randint(1, 7)) if number % 7 == 0 else "",
                "comment": comment if with_comment else "",
                "tags": "|".join(tags),
                "source": "helpdesk",
                "external_id": external_id,
            }
        )
        expected = tag_tracks if tag_tracks is not None else None
        if expected is None:
            expected = comment_tracks if with_comment else frozenset()
        generated.themes |= {(external_id, track) for track in expected}
        if with_comment:
            generated.languages[language] = generated.languages.get(language, 0) + 1
    generated.data = csv_bytes([[row[name] for name in HEADER] for row in rows])
    return generated


@dataclass
class Org:
    """A small organisation: a team with a manager and agents that have external ids."""

    team: Team
    other_team: Team
    manager: Employee
    agents: list[Employee]
    outsider: Employee


@pytest.fixture
def org(session: Session) -> Org:
    """Return a team of four agents (external ids A1..A4) plus one agent in another team."""
    team = factories.team(session, "Phone")
    other = factories.team(session, "Chat")
    manager = factories.employee(session, roles=("manager",), manages=[team])
    agents = []
    for number in range(1, 5):
        agent = factories.employee(session, team=team, display_name=f"Agent {number}")
        agent.external_id = f"A{number}"
        agents.append(agent)
    outsider = factories.employee(session, team=other, display_name="Outsider")
    outsider.external_id = "B1"
    session.commit()
    return Org(team, other, manager, agents, outsider)


@pytest.fixture
def now() -> datetime:
    """Return the time the tests treat as now."""
    return utcnow()


@pytest.fixture
def row_counts(session: Session) -> Callable[[], dict[str, int]]:
    """Return a function counting the rows of every lms_cx table."""

    def count() -> dict[str, int]:
        session.expire_all()
        return {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }

    return count


@pytest.fixture
def api_token(session: Session) -> str:
    """Return the secret of a fresh feedback:write token."""
    from lms_cx.services.feedback_tokens import create_api_token

    return create_api_token(session, "Help desk").secret
