"""Every route of the product against every role: who gets in and who is refused.

``ACCESS`` lists every endpoint the app serves. A new route without a row fails
``test_every_route_has_a_row``, so nobody adds a page without deciding who may open it.
Object ids in URLs are ids nobody owns: an allowed role gets past the role gate (usually to a
404), a refused one is stopped at it. Ownership of real objects (another learner's
assignment, another team's employee) is tested where those objects live.
"""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from werkzeug.routing import Rule

ANONYMOUS = "anonymous"
PERSONAS = (ANONYMOUS, "learner", "trainer", "manager", "admin")
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS}
AUTHORS = frozenset({"trainer", "admin"})
FEEDBACK_READERS = frozenset({"trainer", "admin", "manager"})
ADMINS = frozenset({"admin"})
#: Managers see their own teams; admins see every team.
MANAGERS = frozenset({"manager", "admin"})
#: Served to xAPI clients with LRS credentials (HTTP Basic), never to a browser session.
LRS = "lrs"
#: Served to help desks with an API token, never to a browser session.
TOKEN = "token"

ACCESS: dict[str, frozenset[str] | str] = {
    "index": EVERYONE,
    "static": EVERYONE,
    "lms_cx.static": EVERYONE,
    "lms_cx_account.login": EVERYONE,
    "lms_cx_account.logout": EVERYONE,
    "lms_cx_verify.lookup": EVERYONE,
    "lms_cx_verify.certificate": EVERYONE,
    "lms_cx_xapi.about": EVERYONE,
    "lms_cx_xapi.statements": LRS,
    "lms_cx_xapi.activities": LRS,
    "lms_cx_xapi.activity_profile": LRS,
    "lms_cx_xapi.state": LRS,
    "lms_cx_xapi.agents": LRS,
    "lms_cx_xapi.agent_profile": LRS,
    "lms_cx.api.post_feedback": TOKEN,
    "lms_cx.home": SIGNED_IN,
    "lms_cx.admin.home": ADMINS,
    "lms_cx.admin.calendar": ADMINS,
    "lms_cx.admin.forwarding": ADMINS,
    "lms_cx.learner_record.statements": ADMINS,
    "lms_cx.learner_record.void": ADMINS,
    # The learner's own pages: every signed-in person learns.
    **{
        f"lms_cx.learner.{name}": SIGNED_IN
        for name in (
            "home",
            "assignment",
            "module",
            "lesson",
            "quiz",
            "start_quiz",
            "resume",
            "attempt",
            "answer",
            "attempt_result_page",
            "submit",
            "certificate",
        )
    },
    **{f"lms_cx.inbox.{name}": SIGNED_IN for name in ("home", "read", "read_all")},
    **{
        f"lms_cx.rules.{name}": AUTHORS for name in ("index", "new", "edit", "set_active", "delete")
    },
    "lms_cx.feedback.index": FEEDBACK_READERS,
    "lms_cx.feedback.item": FEEDBACK_READERS,
    # Everyone sees their own team's month and the feedback about themselves.
    "lms_cx.feedback.team": SIGNED_IN,
    "lms_cx.feedback.my_item": SIGNED_IN,
    **{f"lms_cx.feedback.{name}": ADMINS for name in ("tokens", "revoke_token")},
    # Reviews: everyone their own packet (404 for anyone else's), managers their teams, HR all.
    **{
        f"lms_cx.reviews.{name}": SIGNED_IN
        for name in ("index", "packet", "packet_pdf", "acknowledge")
    },
    **{
        f"lms_cx.reviews.{name}": MANAGERS
        for name in ("cycle", "cycle_export_zip", "add_packet_note")
    },
    **{
        f"lms_cx.reviews.{name}": ADMINS
        for name in (
            "new_cycle",
            "generate",
            "close",
            "finalize",
            "cycle_export_csv",
            "cycle_export_json",
            "webhook_list",
            "webhook_delete",
            "webhook_deliver",
        )
    },
    **{
        f"lms_cx.feedback.{name}": AUTHORS
        for name in (
            "upload",
            "confirm_import",
            "keywords",
            "delete_keyword",
            "rules",
            "rule_form",
            "delete_rule",
            "apply_rules",
            "tags",
            "delete_tag",
            "remap",
            "restore_defaults",
        )
    },
    **{
        f"lms_cx.trainer.{name}": AUTHORS
        for name in (
            "home",
            "banks",
            "bank",
            "bank_clone",
            "bank_delete",
            "bank_edit",
            "bank_new",
            "pool_add",
            "pool_edit",
            "pool_delete",
            "question_edit",
            "question_delete",
            "question_duplicate",
            "question_move",
            "question_types",
            "question_new",
            "courses",
            "course",
            "course_archive",
            "course_clone",
            "course_edit",
            "course_module_add",
            "course_module",
            "course_module_move",
            "course_module_remove",
            "course_publish",
            "course_restore",
            "course_versions",
            "course_new",
            "modules",
            "module",
            "module_archive",
            "module_clone",
            "module_edit",
            "lesson",
            "lesson_delete",
            "lesson_move",
            "lesson_new",
            "module_preview",
            "module_publish",
            "module_quiz_new",
            "module_restore",
            "module_versions",
            "module_version",
            "module_new",
            "personas",
            "persona",
            "persona_archive",
            "persona_clone",
            "persona_restore",
            "persona_new",
        )
    },
    **{
        f"lms_cx.manager.{name}": MANAGERS
        for name in ("home", "readiness_csv", "readiness_pdf", "person", "refresher")
    },
    **{
        f"lms_cx.manager.{name}": ADMINS
        for name in ("organisation", "organisation_export_csv", "organisation_export_pdf")
    },
}

#: Values for URL variables: ids that match no object.
SAMPLE_VALUES = {
    "integer": 987654,
    "uuid": uuid.UUID("00000000-0000-4000-8000-000000000000"),
    "default": "no-such-thing",
    "path": "lms_cx/app.css",
}


def _url(app: Flask, rule: Rule) -> str:
    values = {}
    for name, converter in rule._converters.items():  # noqa: SLF001 - werkzeug keeps them here
        kind = type(converter).__name__.removesuffix("Converter").lower()
        if rule.endpoint.endswith("static"):
            kind = "path"
        values[name] = SAMPLE_VALUES.get(kind, SAMPLE_VALUES["default"])
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def test_every_route_has_a_row(app: Flask) -> None:
    """Test that each endpoint the app serves is in ACCESS, and ACCESS names no ghost."""
    served = {rule.endpoint for rule in _rules(app)}
    assert sorted(served - set(ACCESS)) == [], "routes without a row in ACCESS"
    assert sorted(set(ACCESS) - served) == [], "rows in ACCESS for routes that do not exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_in_only_where_its_row_allows(
    app: Flask, client, login_as, persona: str
) -> None:
    """Test every route with every method as ``persona``: allowed past the gate, or refused."""
    if persona != ANONYMOUS:
        # Each persona holds exactly its role (and learns, as every employee does).
        roles = ("learner",) if persona == "learner" else (persona, "learner")
        login_as(*roles)
    failures = []
    for rule in _rules(app):
        if rule.endpoint == "lms_cx_account.logout":
            continue  # signing out would end the persona's session mid-test
        access = ACCESS[rule.endpoint]
        url = _url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = {"X-Experience-API-Version": "1.0.3"} if access == LRS else {}
            response = client.open(url, method=method, headers=headers)
            status = response.status_code
            location = response.headers.get("Location", "")
            response.close()
            if access in (LRS, TOKEN):
                # A browser session is no credential for the LRS or the feedback API. A
                # method an xAPI resource lacks is a 405 whoever asks (nothing is revealed).
                lacking = status == 405 and response.headers.get("Allow") and access == LRS
                if status != 401 and not lacking:
                    failures.append(f"{method} {url}: {status}, wanted 401")
                continue
            allowed = persona in access
            to_login = status in (301, 302, 303) and "/account/login" in location
            if allowed and (status in (401, 403) or to_login):
                failures.append(f"{method} {url}: {status} {location}, wanted in")
            if not allowed and persona == ANONYMOUS and not to_login:
                failures.append(f"{method} {url}: {status}, wanted a redirect to sign in")
            if not allowed and persona != ANONYMOUS and status not in (403, 404):
                failures.append(f"{method} {url}: {status}, wanted 403")
            if status >= 500:
                failures.append(f"{method} {url}: {status} server error")
    assert failures == []
