"""SQL injection: every filter, search and sort parameter of every list, report and LRS query.

Each parameter gets injection strings and, for comparison, a harmless value that also matches
nothing. The answer must be the same (status and rows shown), never a server error, and every
table must keep its rows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.db import Base
from tests import factories
from tests.reports.conftest import build_org
from tests.security.html_safety import page_text
from tests.xapi.conftest import credential_headers, make_statement

INJECTIONS = (
    "' OR 1=1--",
    "' OR '1'='1",
    '" OR ""="',
    "1; DROP TABLE lms_cx_employee; --",
    "1) UNION SELECT email, password_hash FROM lms_cx_employee--",
    "%' AND 1=0 UNION SELECT NULL--",
    "\\'; SELECT pg_sleep(5)--",
    "ʼ OR 1=1--",  # a modifier letter apostrophe, which some databases fold to '
    "x\x00' OR 1=1",
    "%",
    "_",
    "' OR 1=1--" + "A" * 5000,
)
#: Compared with: a value of no special meaning that matches nothing either.
HARMLESS = "harmless-zz"

#: Each page and the parameters it reads from its query string.
PAGES: dict[str, tuple[str, ...]] = {
    "/cx/feedback/": (
        "q",
        "team",
        "track",
        "channel",
        "language",
        "source",
        "negative",
        "since",
        "until",
        "page",
    ),
    "/cx/feedback/keywords": ("comment", "language", "tags"),
    "/cx/manager/": ("team", "track", "status", "overdue", "sort", "dir", "page"),
    "/cx/manager/readiness.csv": ("team", "track", "status", "sort", "dir"),
    "/cx/manager/organisation": ("team", "sort"),
    "/cx/trainer/courses/": ("q", "track", "stage", "status"),
    "/cx/trainer/modules/": ("q", "track", "stage", "status"),
    "/cx/trainer/personas/": ("q", "archived"),
    "/cx/trainer/banks/": ("q",),
    "/cx/trainer/": ("locale",),
    "/cx/inbox/": ("page",),
    "/cx/verify/": ("code",),
    "/cx/rules/": ("q",),
}

#: The LRS's query parameters (xAPI 1.0.3, part three, 2.1.3 and 2.2-2.3).
LRS_PAGES: dict[str, tuple[str, ...]] = {
    "/xapi/statements": (
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
        "statementId",
        "voidedStatementId",
    ),
    "/xapi/activities": ("activityId",),
    "/xapi/agents": ("agent",),
    "/xapi/activities/state": ("activityId", "agent", "stateId", "registration", "since"),
    "/xapi/activities/profile": ("activityId", "profileId", "since"),
    "/xapi/agents/profile": ("agent", "profileId", "since"),
}


def _row_counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def _shown(response, *echoes: str) -> str:
    """Return what a response shows, with the values sent (``echoes``) left out."""
    body = response.get_data(as_text=True)
    text = page_text(body) if (response.content_type or "").startswith("text/html") else body
    for value in echoes:
        for echoed in (value, value.strip(), value.upper(), value.replace("\x00", "\ufffd")):
            if echoed:
                text = text.replace(echoed, "")
    return " ".join(text.split())


@pytest.fixture
def org(app: Flask, session: Session) -> None:
    """Teams, people, a course, feedback and statements: rows an injection could reveal."""
    now = datetime.now(UTC)
    with app.test_request_context("/"):
        built = build_org(session)
        factories.learning_module(session, "spare", personas=["caller"])
        for person, comment in ((built.ola, "rude agent"), (built.piotr, "slow answer")):
            factories.feedback_item(
                session, person, occurred_at=now - timedelta(days=2), csat=1, comment=comment
            )
        session.commit()


@pytest.mark.slow
def test_every_filter_parameter_resists_injection(client, session, login_as, org) -> None:
    """Test each page's parameters: same status and rows as a harmless value, no 500."""
    login_as("admin", "trainer", "manager", "learner")
    before = _row_counts(session)
    failures = []
    for path, names in PAGES.items():
        for name in names:
            harmless_answers = {}
            for value in INJECTIONS:
                # As long as the injection, so that a length limit treats both alike.
                calm = HARMLESS if len(value) < 100 else HARMLESS.ljust(len(value), "A")
                if calm not in harmless_answers:
                    harmless_answers[calm] = client.get(f"{path}?{urlencode({name: calm})}")
                harmless = harmless_answers[calm]
                response = client.get(f"{path}?{urlencode({name: value})}")
                where = f"GET {path}?{name}={value[:40]!r}"
                status = response.status_code
                if status >= 500 or status not in (harmless.status_code, 400):
                    failures.append(f"{where}: {status}, harmless: {harmless.status_code}")
                elif status == 200 and _shown(response, value, calm) != _shown(
                    harmless, value, calm
                ):
                    failures.append(f"{where}: shows other rows than a harmless value")
    assert not failures, "\n".join(failures)
    assert _row_counts(session) == before


def test_every_lrs_query_parameter_resists_injection(app: Flask, client, session) -> None:
    """Test the LRS's query parameters: 400 or the same answer as a harmless value."""
    headers = credential_headers(app, "all")
    with app.app_context():
        from lms_cx.db import get_session
        from lms_cx.xapi.store import store_statements

        store_statements(get_session(), [make_statement(), make_statement("completed")])
    before = _row_counts(session)
    failures = []
    for path, names in LRS_PAGES.items():
        for name in names:
            harmless = client.get(f"{path}?{urlencode({name: HARMLESS})}", headers=headers)
            for value in INJECTIONS:
                response = client.get(f"{path}?{urlencode({name: value})}", headers=headers)
                where = f"GET {path}?{name}={value[:40]!r}"
                if response.status_code not in (harmless.status_code, 400, 404):
                    failures.append(f"{where}: {response.status_code}")
                elif response.status_code == 200 and harmless.status_code == 200:
                    body, calm = response.get_json(silent=True), harmless.get_json(silent=True)
                    statements = isinstance(body, dict) and "statements" in body
                    if statements and len(body["statements"]) != len(calm["statements"]):
                        failures.append(f"{where}: other statements than a harmless value")
    assert not failures, "\n".join(failures)
    assert _row_counts(session) == before


def test_nul_characters_in_json_bodies_are_refused_not_crashed_on(
    app: Flask, client, session
) -> None:
    """Test the JSON APIs with a NUL character in a string (PostgreSQL cannot store one):
    a 4xx answer naming the problem, never a 500, nothing stored."""
    from lms_cx.services.feedback_tokens import create_api_token

    person = factories.employee(session)
    person.external_id = "A1"
    token = create_api_token(session, "Help desk").secret
    session.commit()
    before = _row_counts(session)
    feedback = client.post(
        "/cx/api/feedback",
        json={
            "items": [
                {
                    "employee": "A1",
                    "occurred_at": "2026-01-05T10:00:00Z",
                    "csat": 1,
                    "comment": "rude\x00agent",
                }
            ]
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    statement = make_statement(result={"response": "yes\x00no"})
    lrs = client.post("/xapi/statements", json=statement, headers=credential_headers(app, "all"))
    state = client.put(
        "/xapi/activities/state?"
        + urlencode(
            {
                "activityId": "https://tool.example.com/a",
                "stateId": "s\x00",
                "agent": '{"mbox": "mailto:a@example.com"}',
            }
        ),
        json={"note": "x\x00y"},
        headers=credential_headers(app, "all", name="second"),
    )
    answers = {"feedback": feedback.status_code, "lrs": lrs.status_code, "state": state.status_code}
    assert all(400 <= status < 500 for status in answers.values()), answers
    assert "comment" in feedback.get_data(as_text=True)  # the problem names the field
    assert "result.response" in lrs.get_data(as_text=True)
    after = _row_counts(session)
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"lms_cx_lrs_credential"}, changed


#: Search- and filter-like fields of POST forms, with a valid rest of the form.
#: ``preview``: the form only reads (a rule's preview), so nothing may be written;
#: ``save``: the value may be kept, as text, in one new row of ``table``.
def _post_forms(session: Session) -> list[tuple[str, dict, tuple[str, ...], str, str]]:
    from lms_cx.models import Module, Track

    module_id = session.scalar(sa.select(Module.id).order_by(Module.id))
    track_id = session.scalar(sa.select(Track.id).order_by(Track.id))
    rule = {
        "name": "Injected",
        "content": f"module:{module_id}",
        "trigger": "on_hire",
        "due_in_days": "14",
        "preview": "Preview",
    }
    return [
        (
            "/cx/rules/new",
            rule,
            ("job_role", "location", "team_ids", "app_roles", "attributes"),
            "preview",
            "",
        ),
        (
            "/cx/feedback/keywords",
            {"locale": "en", "keyword": "rude", "track_id": str(track_id)},
            ("keyword", "locale", "track_id"),
            "save",
            "lms_cx_keyword_rule",
        ),
        (
            "/cx/feedback/tags",
            {"tag": "tone", "track_id": str(track_id)},
            ("tag", "track_id"),
            "save",
            "lms_cx_tag_track_mapping",
        ),
        (
            "/cx/feedback/rules/new",
            {
                "name": "Injected",
                "track_id": str(track_id),
                "min_negative_items": "3",
                "window_days": "30",
                "csat_max": "2",
                "target": f"module:{module_id}",
                "due_in_days": "14",
            },
            ("name", "track_id", "min_negative_items", "window_days", "csat_max", "target"),
            "save",
            "lms_cx_remedial_rule",
        ),
        (
            "/cx/reviews/cycles/new",
            {"name": "Q", "period_start": "2026-01-01", "period_end": "2026-03-31"},
            ("name", "job_roles", "team_ids", "previous_cycle_id"),
            "save",
            "lms_cx_review_cycle",
        ),
    ]


def _matching(response) -> str:
    """Return the preview's sentence saying how many employees a rule matches."""
    text = " ".join(page_text(response.get_data(as_text=True)).split())
    found = re.search(r"\d+ active employees? match", text)
    return found.group(0) if found else ""


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


@pytest.mark.slow
def test_post_form_filter_fields_resist_injection(client, session, login_as, org) -> None:
    """Test the search-like fields of POST forms: 200, or 400/422 with the field's message,
    or (where the form saves) the value kept as text; never a 500, no other table touched."""
    login_as("admin", "trainer", "manager", "learner")
    failures = []
    for path, base, names, kind, table in _post_forms(session):
        for name in names:
            prefix = "department = " if name == "attributes" else ""
            if kind == "preview":
                harmless = client.post(path, data={**base, name: prefix + HARMLESS})
            for value in INJECTIONS:
                where = f"POST {path} {name}={value[:40]!r}"
                given = prefix + value
                before = _row_counts(session)
                response = client.post(path, data={**base, name: given})
                changed = _changed(before, _row_counts(session))
                status, body = response.status_code, response.get_data(as_text=True)
                if "\x00" in value and status == 400:
                    pass  # every page refuses a NUL character before the form is read
                elif status in (400, 422) and 'class="error"' not in body:
                    failures.append(f"{where}: {status} without a field message")
                elif kind == "preview" and status == 200:
                    if _matching(response) != _matching(harmless):
                        failures.append(f"{where}: matches other people than a harmless value")
                elif kind == "save" and status == 302:
                    if changed not in ({table: 1}, {}):
                        failures.append(f"{where}: changed {changed}")
                    continue
                elif status not in (200, 400, 422):
                    failures.append(f"{where}: {status}")
                if changed:
                    failures.append(f"{where}: changed {changed} without saving")
    assert not failures, "\n".join(failures)


def test_review_cycle_population_resists_injection(app: Flask, client, session, login_as, org):
    """Test cycles whose job-role population is an injection string: generating their
    packets matches nobody and writes no packet, never a 500."""
    from lms_cx.models import ReviewCycle

    login_as("admin")
    failures = []
    for value in INJECTIONS:
        data = {"name": "Q", "period_start": "2026-01-01", "period_end": "2026-03-31"}
        created = client.post("/cx/reviews/cycles/new", data={**data, "job_roles": value})
        if created.status_code != 302:
            refused = created.status_code == 400 and "\x00" in value
            shown = created.status_code == 422 and 'class="error"' in created.get_data(as_text=True)
            if not (refused or shown):
                failures.append(f"create job_roles={value[:40]!r}: {created.status_code}")
            continue
        cycle_id = session.scalar(sa.select(sa.func.max(ReviewCycle.id)))
        before = _row_counts(session)
        generated = client.post(f"/cx/reviews/cycles/{cycle_id}/generate")
        if generated.status_code != 302:
            failures.append(f"generate job_roles={value[:40]!r}: {generated.status_code}")
        changed = _changed(before, _row_counts(session))
        if changed:
            failures.append(f"generate job_roles={value[:40]!r}: changed {changed}")
    assert not failures, "\n".join(failures)
