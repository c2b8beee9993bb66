"""Fixtures for review cycles: an organisation whose first quarter of 2026 is known exactly,
a local HTTP receiver that checks webhook signatures, and helpers to read PDFs and ZIPs.

``org`` builds "Customer Care" with "Frontline Phone" under it and "Night shift" under that,
managed by Maria (she manages Frontline Phone, so the night shift too); "Chat", which she does
not manage; and:

- Ola (phone, Polish): three required assignments in the quarter (on time, late, overdue),
  quiz scores 0.9 and 0.7 in the quarter (0.5 before it), three certificates (valid,
  expiring, expired), eight feedback items in the quarter and six in the quarter before, and
  one remedial assignment in communication, completed late;
- Kamran (night shift, Persian): three feedback items, too few for CSAT and NPS;
- Sofia (phone): nothing at all;
- Piotr (chat): two feedback items; outside Maria's teams.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, ModuleVersion, QuizAttempt
from lms_cx.models.people import Employee, Team
from tests import factories

NOW = datetime(2026, 4, 10, 9, 0, tzinfo=UTC)
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))
#: The 90 days before the period (it is 90 days long).
PREVIOUS = (date(2025, 10, 3), date(2025, 12, 31))

#: Ola's feedback in the quarter: (day, CSAT, NPS, comment, language, tags).
OLA_FEEDBACK = [
    (date(2026, 1, 5), 5, 10, "Świetna znajomość nowych pakietów.", "pl", ["product_info"]),
    (date(2026, 1, 12), 4, 9, None, None, []),
    (date(2026, 1, 20), 5, 8, "Bardzo miła obsługa, wszystko wyjaśnione krok po kroku.", "pl", []),
    (
        date(2026, 1, 28),
        2,
        3,
        "Konsultant był niemiły i przerywał mi w pół zdania.",
        "pl",
        ["tone"],
    ),
    (date(2026, 2, 14), 4, 9, "Konsultantka cierpliwie wytłumaczyła fakturę.", "pl", ["billing"]),
    (date(2026, 3, 2), 5, 10, None, None, []),
    (date(2026, 3, 5), 3, 7, None, None, []),
    (date(2026, 3, 10), 1, 2, "The agent was rude to me.", "en", ["tone"]),
]
OLA_PREVIOUS = [(3, 6), (3, 7), (4, 8), (2, 5), (3, 7), (4, 9)]
KAMRAN_FEEDBACK = [
    (date(2026, 2, 3), 5, 10, "برخورد بسیار محترمانه و دلسوزانه بود.", "fa", ["empathy"]),
    (date(2026, 2, 9), 4, 9, None, None, []),
    (date(2026, 3, 1), 2, 4, "نیم ساعت پشت خط منتظر ماندم.", "fa", ["wait_time"]),
]


def at(day: date, hour: int = 10) -> datetime:
    """Return ``day`` at ``hour`` UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class ReviewOrg:
    """The organisation and its people."""

    care: Team
    phone: Team
    night: Team
    chat: Team
    manager: Employee
    admin: Employee
    trainer: Employee
    ola: Employee
    kamran: Employee
    sofia: Employee
    piotr: Employee
    remedial_id: object = None
    ids: dict[str, int] = field(default_factory=dict)


def _assignment(session, learner, course, due, *, done=None, state=None, source="rule"):
    row = factories.assignment(
        session,
        learner,
        course=course,
        due_at=due,
        assigned_at=due - timedelta(days=20),
        source=source,
    )
    if done is not None:
        row.state, row.completed_at = "completed", done
    if state is not None:
        row.state = state
    return row


def _attempt(session, assignment, module_id, version_id, number, score, when):
    session.add(
        QuizAttempt(
            assignment_id=assignment.id,
            employee_id=assignment.employee_id,
            module_id=module_id,
            module_version_id=version_id,
            number=number,
            started_at=when - timedelta(minutes=20),
            submitted_at=when,
            status="submitted",
            score_scaled=score,
            passed=score >= 0.8,
        )
    )


def _feedback(session, person, rows):
    for day, csat, nps, comment, language, tags in rows:
        factories.feedback_item(
            session,
            person,
            occurred_at=at(day),
            csat=csat,
            nps=nps,
            comment=comment,
            language=language,
            tags=tags,
        )


@pytest.fixture
def org(session: Session) -> ReviewOrg:
    """Return the organisation described in this module's docstring."""
    care = factories.team(session, "Customer Care")
    phone = factories.team(session, "Frontline Phone", parent=care)
    night = factories.team(session, "Night shift", parent=phone)
    chat = factories.team(session, "Chat")
    manager = factories.employee(
        session, roles=("manager", "learner"), manages=[phone], display_name="Maria Manager"
    )
    admin = factories.employee(session, roles=("admin",), display_name="Hana HR")
    trainer = factories.employee(
        session, roles=("trainer", "learner"), display_name="Tomasz Trainer"
    )
    ola = factories.employee(session, team=phone, display_name="Ola Zielińska", locale="pl")
    kamran = factories.employee(session, team=night, display_name="Kamran Moradi", locale="fa")
    sofia = factories.employee(session, team=phone, display_name="Sofia Marques")
    piotr = factories.employee(session, team=chat, display_name="Piotr Lewandowski")
    module = factories.learning_module(session, "listening", track="communication")
    course = factories.learning_course(session, "onboarding", [module])
    version_id = session.scalar(
        sa.select(ModuleVersion.id).where(ModuleVersion.module_id == module.id)
    )
    on_time = _assignment(session, ola, course, at(date(2026, 1, 20)), done=at(date(2026, 1, 15)))
    _assignment(session, ola, course, at(date(2026, 2, 10)), done=at(date(2026, 2, 20)))
    _assignment(session, ola, course, at(date(2026, 3, 15)))
    _assignment(session, ola, course, at(date(2026, 3, 20)), source="self")
    _assignment(session, ola, course, at(date(2026, 3, 22)), state="cancelled")
    _assignment(session, ola, course, at(date(2026, 4, 15)))
    _attempt(session, on_time, module.id, version_id, 1, 0.9, at(date(2026, 1, 14)))
    _attempt(session, on_time, module.id, version_id, 2, 0.7, at(date(2026, 2, 2)))
    _attempt(session, on_time, module.id, version_id, 3, 0.5, at(date(2025, 12, 20)))
    factories.certificate(
        session, on_time, issued_at=at(date(2026, 1, 15)), expires_at=at(date(2027, 1, 15))
    )
    factories.certificate(
        session, on_time, issued_at=at(date(2025, 5, 1)), expires_at=at(date(2026, 5, 1))
    )
    factories.certificate(
        session, on_time, issued_at=at(date(2025, 2, 1)), expires_at=at(date(2026, 2, 1))
    )
    _feedback(session, ola, OLA_FEEDBACK)
    for number, (csat, nps) in enumerate(OLA_PREVIOUS):
        factories.feedback_item(
            session,
            ola,
            occurred_at=at(date(2025, 10, 10) + timedelta(days=10 * number)),
            csat=csat,
            nps=nps,
        )
    _feedback(session, kamran, KAMRAN_FEEDBACK)
    factories.feedback_item(session, piotr, occurred_at=at(date(2026, 2, 1)), csat=5, nps=10)
    factories.feedback_item(session, piotr, occurred_at=at(date(2026, 2, 2)), csat=1, nps=0)
    refresher = factories.track_module(session, "listening-refresher", "communication")
    remedial = Assignment(
        employee_id=ola.id,
        module_id=refresher.id,
        source="remedial",
        reason="Negative feedback about communication.",
        reason_data={"kind": "remedial", "track": "communication", "rule_name": "Tone"},
        assigned_at=at(date(2026, 2, 1)),
        due_at=at(date(2026, 2, 15)),
        completed_at=at(date(2026, 2, 25)),
        state="completed",
    )
    session.add(remedial)
    session.commit()
    return ReviewOrg(
        care, phone, night, chat, manager, admin, trainer, ola, kamran, sofia, piotr, remedial.id
    )


@pytest.fixture
def cycle(session: Session, org: ReviewOrg, app: Flask):
    """Return a generated (open) cycle of the first quarter for Customer Care and Chat."""
    from lms_cx.services.review_cycles import ReviewSettings, create_cycle, generate_packets

    created = create_cycle(
        session,
        name="Q1 2026",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        population={"team_ids": [org.care.id, org.chat.id]},
        created_by_id=org.admin.id,
    )
    generate_packets(session, created, ReviewSettings.from_config(app.config), NOW)
    return created


def pdf_text(data: bytes) -> str:
    """Return the text pdftotext reads from a PDF."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) reads the packets"
    assert data.startswith(b"%PDF-")
    return subprocess.run(
        [tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


#: What pdftotext adds to, or drops from, right-to-left text: bidi controls and joiners.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def pdf_form(text: str) -> str:
    """Return text as comparable with what pdftotext gives back: no bidi controls, joiners,
    spaces or stops (it moves them around within right-to-left runs), and the lam-alef
    ligature read as alef-lam."""
    text = text.translate(_INVISIBLE).replace("لا", "ال")
    return "".join(char for char in text if not char.isspace() and char not in ".،,")


def quoted_in(comment: str, text: str) -> bool:
    """Return True when every word of ``comment`` is in the PDF ``text``, letters in order.

    Where a comment mixes directions (an Arabic comma between Persian words) pdftotext may
    give its runs in another order, so words are checked rather than the whole sentence.
    """
    page = pdf_form(text)
    words = [pdf_form(word) for word in re.split(r"[\s،,.]+", comment)]
    return all(word in page for word in words if word)


@dataclass
class Receiver:
    """What the local HR receiver got, and whether each signature held."""

    url: str
    secret: str = ""
    received: list[dict] = field(default_factory=list)
    refused: int = 0
    fail_next: int = 0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Run an HTTP server on 127.0.0.1 that checks X-LmsCx-Signature on its own terms."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state.fail_next:
                state.fail_next -= 1
                self.send_response(503)
                self.end_headers()
                return
            fields = dict(
                part.split("=", 1) for part in self.headers.get("X-LmsCx-Signature", "").split(",")
            )
            signed = fields.get("t", "0").encode() + b"." + body
            expected = hmac.new(state.secret.encode(), signed, hashlib.sha256).hexdigest()
            fresh = abs(time.time() - int(fields.get("t", "0"))) < 300
            if fresh and hmac.compare_digest(expected, fields.get("v1", "")):
                state.received.append(
                    {"body": json.loads(body), "event": self.headers["X-LmsCx-Event"]}
                )
                self.send_response(204)
            else:
                state.refused += 1
                self.send_response(401)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hr/reviews"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
