"""lms_cx's REST API for integrations (help desks posting feedback), under ``/api``.

Requests authenticate with a bearer token (``flask lms-cx feedback tokens create``), never
with the session cookie, so the blueprint is exempt from CSRF protection. Every answer,
errors included, is JSON.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from lms_cx.db import get_session
from lms_cx.i18n import gettext as _
from lms_cx.models import ApiToken
from lms_cx.services.feedback_import import ingest_feedback_json, rules_run_on_import
from lms_cx.services.feedback_tokens import authenticate_api_token

api = Blueprint("api", __name__)

#: Largest request body the API reads, in bytes.
MAX_BODY_BYTES = 5 * 1024 * 1024


def _exempt_from_csrf(app: Any) -> None:
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(api)


@api.record_once
def _on_register(state: BlueprintSetupState) -> None:
    """Exempt the API from CSRF when the app already has Flask-WTF's CSRFProtect."""
    _exempt_from_csrf(state.app)


@api.before_app_request
def _exempt_when_protected_later() -> None:
    """Exempt the API when CSRFProtect was set up after lms_cx (as the standalone app does).

    This hook was registered with lms_cx, before CSRFProtect's, so it runs first.
    """
    if request.blueprint == "lms_cx.api":
        _exempt_from_csrf(current_app)


def error(status: int, code: str, message: str, **extra: Any) -> Any:
    """Return a JSON error body ``{"error": code, "message": ...}`` with ``status``."""
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def _unauthorized(message: str, *, token_given: bool) -> Any:
    """Return 401 with the bearer challenge of RFC 6750 (``invalid_token`` when one was sent)."""
    response = error(401, "unauthorized", message)
    challenge = 'Bearer realm="lms_cx"' + (', error="invalid_token"' if token_given else "")
    response.headers["WWW-Authenticate"] = challenge
    return response


@api.errorhandler(HTTPException)
def http_error(exception: HTTPException) -> Any:
    """Answer every HTTP error of the API in JSON."""
    return error(
        exception.code or 500,
        (exception.name or "error").lower().replace(" ", "_"),
        exception.description or "",
    )


def _bearer_token(scope: str) -> ApiToken | Any:
    """Return the request's live token holding ``scope``, or the 401/403 response to send."""
    header = request.headers.get("Authorization", "")
    kind, _sep, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        return _unauthorized(
            _("send an API token: Authorization: Bearer <token>"), token_given=False
        )
    token = authenticate_api_token(get_session(), secret.strip())
    if token is None:
        return _unauthorized(_("the API token is unknown or revoked"), token_given=True)
    if scope not in (token.scopes or []):
        return error(403, "forbidden", _("the API token lacks the scope %(scope)s", scope=scope))
    g.lms_cx_api_token = token
    return token


@api.post("/feedback")
def post_feedback() -> Any:
    """Store customer feedback: one JSON object, a list, or ``{"items": [...]}`` (all or nothing).

    201 with the item when one new item was created, 200 otherwise; 400 with ``errors``
    (each ``{"field", "message"}``) when anything is invalid, and then nothing is stored.
    """
    token = _bearer_token("feedback:write")
    if not isinstance(token, ApiToken):
        return token
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return error(
            413, "too_large", _("the body is larger than %(max)d bytes", max=MAX_BODY_BYTES)
        )
    payload = request.get_json(silent=True)
    if payload is None:
        return error(
            400,
            "invalid_json",
            _("the body is not JSON (send Content-Type: application/json)"),
            errors=[{"field": None, "message": _("the body is not JSON")}],
        )
    config = current_app.config
    result = ingest_feedback_json(
        get_session(),
        payload,
        default_source=config["LMS_CX_FEEDBACK_API_SOURCE"],
        max_items=int(config["LMS_CX_FEEDBACK_API_MAX_ITEMS"]),
        apply_rules=rules_run_on_import(config),
    )
    if result.problems:
        return error(
            400,
            "invalid_feedback",
            _("the feedback is invalid; nothing was stored"),
            errors=[{"field": p.field, "message": p.message} for p in result.problems],
        )
    remedial = len(result.remedial)
    if not result.batch:
        item = result.items[0]
        body = {**item, "remedial_assignments": remedial}
        return jsonify(body), 201 if item["status"] == "created" else 200
    counts = result.counts()
    body = {
        **counts,
        "import_id": result.import_id,
        "items": result.items,
        "remedial_assignments": remedial,
    }
    return jsonify(body), 201 if counts["created"] else 200
