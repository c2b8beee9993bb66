"""Stored XSS: payloads saved in every author- or customer-controlled field render inert.

Each payload goes into every field at once (each copy tagged with the field's name), then every
page that shows those fields is fetched by someone allowed to see it. A page passes when a
browser's parser finds nothing executable in it, and each plain-text field it must show is
there as text, character for character: escaped, neither dropped nor turned into markup.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.models import Lesson, Persona, Question, ReviewPacket
from lms_cx.models.people import Employee
from lms_cx.reports.pdf import pdf_assets
from lms_cx.services import quiz
from lms_cx.services.lessons import open_lesson
from lms_cx.services.publishing import latest_course_version, publish_course
from lms_cx.services.review_cycles import (
    ReviewSettings,
    acknowledge_packet,
    add_note,
    create_cycle,
    generate_packets,
)
from lms_cx.services.review_webhooks import create_webhook
from lms_cx.xapi.store import store_statements
from tests import factories
from tests.security.html_safety import executable_markup, page_text

NOW = datetime.now(UTC).replace(microsecond=0)

PAYLOADS = {
    "script": '<script>alert("xss")</script>',
    "img-onerror": '<img src=x onerror=alert("xss")>',
    "attribute-break": '"><svg onload=alert("xss")>',
    "javascript-url": "javascript:alert('xss')//",
    "iframe": "'\"><iframe src=javascript:alert(1)></iframe>",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; <b onmouseover=alert(1)>b</b>",
}

#: Lesson Markdown: raw HTML is legal Markdown, so the sanitiser (not escaping) must act.
MARKDOWN = """# Heading {payload}

[a link](javascript:alert('xss')) and [another](JaVaScRiPt&#58;alert(1))
<a href="java&#x09;script:alert(1)">tab</a> <a href=" javascript:alert(1)">space</a>

{payload}

<div onclick="alert(1)" style="background:url(javascript:alert(1))">div</div>
<details open ontoggle=alert(1)><summary>s</summary></details>
![image](x "onerror=alert(1)") <img src="x" onerror="alert(1)">
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
</style></mglyph></table></mtext></math>
<svg><script>alert(1)</script></svg>
"""


#: Fields written in Markdown: sanitised, so a payload may lose its markup (only the tag stays).
MARKDOWN_FIELDS = frozenset({"prompt", "explanation"})


def tagged(payload: str, field: str) -> str:
    """Return ``payload`` followed by the field it is stored in, to find it on a page."""
    return f"{payload} [{field}]"


@dataclass
class Stored:
    """The signed-in person (every role), a colleague in their team, and the ids in URLs."""

    person: Employee
    colleague: Employee
    assignment_id: uuid.UUID
    open_attempt_id: uuid.UUID
    done_attempt_id: uuid.UUID
    feedback_id: int
    certificate_code: str
    module: str
    bank: str
    persona: str
    course: str
    cycle_id: int
    packet_id: int
    month: str


def _store_everywhere(app: Flask, session: Session, payload: str) -> Stored:
    """Put ``payload`` into every field a trainer, an HR system or a customer controls."""
    team = factories.team(session, tagged(payload, "team"))
    person = factories.employee(
        session,
        roles=("learner", "trainer", "manager", "admin"),
        team=team,
        manages=[team],
        display_name=tagged(payload, "employee"),
        locale="en",
    )
    colleague = factories.employee(
        session, team=team, display_name=tagged(payload, "colleague"), locale="en"
    )

    def option(key: str, correct: bool) -> dict:
        return {
            "id": key,
            "text": {"en": tagged(payload, f"option-{key}")},
            "correct": correct,
            "feedback": {"en": tagged(payload, f"feedback-{key}")},
        }

    question = {
        "slug": "q1",
        "type": "single_choice",
        "prompt": {"en": tagged(payload, "prompt")},
        "explanation": {"en": tagged(payload, "explanation")},
        "data": {"options": [option("a", True), option("b", False)]},
    }
    module = factories.learning_module(
        session, "xss-module", lessons=1, questions=[question], personas=["xss-persona"]
    )
    module.title = {"en": tagged(payload, "module-title")}
    module.description = {"en": tagged(payload, "module-description")}
    lesson = session.query(Lesson).filter_by(module_id=module.id).one()
    lesson.title = {"en": tagged(payload, "lesson-title")}
    lesson.body = {"en": MARKDOWN.format(payload=payload)}
    persona = session.query(Persona).filter_by(slug="xss-persona").one()
    persona.name = {"en": tagged(payload, "persona-name")}
    persona.segment = {"en": tagged(payload, "persona-segment")}
    persona.summary = {"en": tagged(payload, "persona-summary")}
    persona.goals = {"en": [tagged(payload, "persona-goal")]}
    persona.frustrations = {"en": [tagged(payload, "persona-frustration")]}
    course = factories.learning_course(session, "xss-course", [module])
    course.title = {"en": tagged(payload, "course-title")}
    course.description = {"en": tagged(payload, "course-description")}
    session.flush()
    publish_course(session, course)  # a version with the payload titles
    assigned = factories.assignment(session, person, course=course, due_at=NOW + timedelta(7))
    assigned.course_version_id = latest_course_version(session, course.id).id
    item = factories.feedback_item(
        session,
        colleague,
        occurred_at=NOW - timedelta(days=1),
        csat=1,
        comment=tagged(payload, "comment"),
        tags=[tagged(payload, "tag")],
        channel=tagged(payload, "channel")[:40],
        source="helpdesk",
    )
    certificate = factories.certificate(
        session, assigned, issued_at=NOW - timedelta(days=1), expires_at=None
    )
    session.commit()
    bank_slug = session.get(Question, session.query(Question.id).scalar()).bank.slug

    with app.test_request_context("/cx/learn/"):
        open_lesson(session, person, assigned.id, "xss-module", "lesson-1", "en", NOW)
        done = quiz.start_attempt(session, person, assigned.id, "xss-module", NOW)
        for drawn in done.drawn["questions"]:
            quiz.save_answer(session, person, done.id, drawn["key"], {"answer": ["b"]}, NOW)
        quiz.submit_attempt(session, person, done.id, f"xss-{done.id}", NOW)
        open_attempt = quiz.start_attempt(session, person, assigned.id, "xss-module", NOW)
        # An external tool's statement, as any xAPI client with credentials may send it.
        store_statements(
            session,
            [
                {
                    "actor": {"mbox": f"mailto:{person.email}", "name": tagged(payload, "actor")},
                    "verb": {
                        "id": "http://adlnet.gov/expapi/verbs/answered",
                        "display": {"en": tagged(payload, "verb")},
                    },
                    "object": {
                        "id": "https://tool.example.com/activities/xss",
                        "definition": {"name": {"en": tagged(payload, "activity-name")}},
                    },
                    "result": {"response": tagged(payload, "response")},
                    "context": {"registration": str(assigned.id)},
                }
            ],
        )
    review = _store_in_reviews(app, session, payload, person, colleague)
    return Stored(
        person=person,
        colleague=colleague,
        assignment_id=assigned.id,
        open_attempt_id=open_attempt.id,
        done_attempt_id=done.id,
        feedback_id=item.id,
        certificate_code=certificate.verification_code,
        module="xss-module",
        bank=bank_slug,
        persona="xss-persona",
        course="xss-course",
        **review,
    )


def _store_in_reviews(
    app: Flask, session: Session, payload: str, person: Employee, colleague: Employee
) -> dict:
    """Put ``payload`` into a review cycle: its name, a compliment quoted in the colleague's
    packet, their acknowledgement comment, a manager's note, and an HR webhook's name."""
    praised_at = NOW - timedelta(days=1)
    factories.feedback_item(
        session, colleague, occurred_at=praised_at, csat=5, comment=tagged(payload, "compliment")
    )
    session.commit()
    cycle = create_cycle(
        session,
        name=tagged(payload, "cycle"),
        period_start=(NOW - timedelta(days=30)).date(),
        period_end=NOW.date(),
        population={"team_ids": [colleague.team_id]},
        created_by_id=person.id,
    )
    generate_packets(session, cycle, ReviewSettings.from_config(app.config), NOW)
    packet = session.query(ReviewPacket).filter_by(employee_id=colleague.id).one()
    acknowledge_packet(session, packet, tagged(payload, "acknowledgement"), NOW)
    add_note(session, packet, person, tagged(payload, "note"))
    create_webhook(session, tagged(payload, "webhook"), "https://hr.example.com/packets")
    return {"cycle_id": cycle.id, "packet_id": packet.id, "month": praised_at.strftime("%Y-%m")}


#: Every page that shows stored fields, with the plain-text fields it must show.
PAGES: list[tuple[str, tuple[str, ...]]] = [
    ("/cx/learn/", ("course-title",)),
    ("/cx/learn/{s.assignment_id}/", ("course-title", "module-title")),
    ("/cx/learn/{s.assignment_id}/{s.module}/", ("module-title", "persona-name")),
    ("/cx/learn/{s.assignment_id}/{s.module}/lessons/lesson-1", ("lesson-title",)),
    ("/cx/learn/{s.assignment_id}/{s.module}/quiz", ("module-title",)),
    ("/cx/learn/attempts/{s.open_attempt_id}", ("prompt", "option-a", "option-b")),
    ("/cx/learn/attempts/{s.done_attempt_id}/result", ("prompt", "feedback-b", "explanation")),
    ("/cx/verify/{s.certificate_code}", ("employee", "course-title")),
    ("/cx/trainer/", ()),
    ("/cx/trainer/courses/", ("course-title",)),
    ("/cx/trainer/courses/{s.course}/", ("course-title", "module-title")),
    ("/cx/trainer/courses/{s.course}/versions/", ()),
    ("/cx/trainer/modules/", ("module-title",)),
    ("/cx/trainer/modules/{s.module}/", ("module-title", "lesson-title")),
    ("/cx/trainer/modules/{s.module}/edit", ()),
    ("/cx/trainer/modules/{s.module}/preview", ("lesson-title", "prompt", "persona-name")),
    ("/cx/trainer/modules/{s.module}/versions/", ()),
    ("/cx/trainer/modules/{s.module}/lessons/lesson-1/", ()),
    ("/cx/trainer/personas/", ("persona-name",)),
    ("/cx/trainer/personas/{s.persona}/", ()),
    ("/cx/trainer/banks/", ()),
    ("/cx/trainer/banks/{s.bank}/", ("prompt",)),
    ("/cx/trainer/banks/{s.bank}/questions/q1/", ()),
    ("/cx/feedback/", ("comment", "colleague")),
    ("/cx/feedback/{s.feedback_id}", ("comment", "colleague", "tag")),
    ("/cx/feedback/tags", ()),
    ("/cx/feedback/team", ()),
    ("/cx/feedback/tokens", ()),
    ("/cx/feedback/keywords?comment=<script>alert(1)</script>", ()),
    ("/cx/manager/", ("colleague", "team")),
    ("/cx/manager/people/{s.colleague.id}", ("colleague", "comment")),
    ("/cx/manager/organisation", ("team",)),
    ("/cx/admin/", ("team",)),
    ("/cx/admin/people/{s.person.id}/statements", ("employee", "activity-name")),
    ("/cx/inbox/", ()),
    ("/cx/rules/", ()),
    ("/cx/reviews/", ("cycle",)),
    ("/cx/reviews/cycles/{s.cycle_id}", ("cycle", "colleague")),
    (
        "/cx/reviews/packets/{s.packet_id}",
        ("cycle", "compliment", "acknowledgement", "note"),
    ),
    ("/cx/feedback/team?month={s.month}", ("compliment",)),
    ("/cx/reviews/webhooks", ("webhook",)),
]

#: What the packet's PDF must show: its HTML is checked before WeasyPrint lays it out.
PDF_FIELDS = ("colleague", "cycle", "compliment", "acknowledgement", "note")


@pytest.fixture(params=sorted(PAYLOADS))
def stored(request, app: Flask, session: Session, client: FlaskClient) -> tuple[str, Stored]:
    """Store one payload everywhere and sign in as the person holding every role."""
    payload = PAYLOADS[request.param]
    data = _store_everywhere(app, session, payload)
    response = client.post(
        "/cx/account/login", data={"email": data.person.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return payload, data


def test_every_page_renders_stored_payloads_inert(client, stored) -> None:
    """Test each page: nothing executable, and each plain-text field shown as typed."""
    payload, data = stored
    failures = []
    for template, fields in PAGES:
        url = template.format(s=data)
        response = client.get(url)
        html = response.get_data(as_text=True)
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
            continue
        failures += [f"{url}: {found}" for found in executable_markup(html)]
        text = page_text(html)
        failures += [
            f"{url}: field {field} not shown as text"
            for field in fields
            if (f"[{field}]" if field in MARKDOWN_FIELDS else tagged(payload, field)) not in text
        ]
    assert not failures, "\n".join(failures)


def test_packet_pdf_html_renders_stored_payloads_inert(
    app: Flask, session: Session, stored
) -> None:
    """Test the HTML the packet PDF is made from: nothing executable, each field as text."""
    payload, data = stored
    packet = session.get(ReviewPacket, data.packet_id)
    with app.test_request_context(f"/cx/reviews/packets/{data.packet_id}.pdf"):
        html = render_template("lms_cx/reviews/packet_pdf.html", packet=packet, **pdf_assets())
    assert not executable_markup(html)
    text = page_text(html)
    missing = [field for field in PDF_FIELDS if tagged(payload, field) not in text]
    assert not missing, missing


def test_csv_exports_carry_payloads_as_plain_cells(client, stored) -> None:
    """Test the CSV exports: each name is one cell holding exactly the text stored."""
    payload, data = stored
    for url in ("/cx/manager/readiness.csv", "/cx/manager/organisation.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = {
            cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
        }
        assert tagged(payload, "team") in cells, url


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1)", "-2+3"]
)
def test_csv_exports_keep_formulas_from_running(
    session: Session, client, login_as, formula: str
) -> None:
    """Test that a name starting like a formula is exported as text (a leading apostrophe)."""
    manager = login_as("manager", "learner")
    team = factories.team(session, formula)
    factories.employee(session, team=team, display_name=formula)
    from lms_cx.services.people import add_team_manager

    add_team_manager(session, team, session.merge(manager))
    session.commit()
    response = client.get(f"/cx/manager/readiness.csv?team={team.id}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = {cell for row in rows[1:] for cell in row}
    assert "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_checker_finds_each_payload_when_it_is_not_escaped() -> None:
    """Test the test: every payload, pasted raw into a page, is reported as executable."""
    for name, payload in PAYLOADS.items():
        if name in ("javascript-url",):
            payload = f'<a href="{payload}">x</a>'
        html = f"<!doctype html><html><body><p>{payload}</p></body></html>"
        assert executable_markup(html), name
    assert executable_markup('<a href="java\tscript:alert(1)">x</a>')
    assert not executable_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
