"""The embedded Learning Record Store's HTTP API (xAPI 1.0.3), mounted at LMS_CX_XAPI_PREFIX.

Every request goes through the same steps before its view: CORS preflight, the alternate
request syntax unfolded (``lms_cx.xapi.http``), the ``X-Experience-API-Version`` check and
HTTP Basic authentication. Every response carries the version header and CORS headers;
errors are JSON ``{"error": ..., "field": ...}`` with the status the specification names.
The resources live in ``xapi_statements`` and ``xapi_documents``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from lms_cx.db import get_session, utcnow
from lms_cx.errors import ValidationError
from lms_cx.xapi.credentials import CACHE_EXTENSION, Caller, CredentialCache, authenticate
from lms_cx.xapi.errors import XapiForbidden, XapiMethodNotAllowed, XapiRequestError
from lms_cx.xapi.formats import format_timestamp
from lms_cx.xapi.http import VERSION_HEADER, XapiRequest, check_version, read_request
from lms_cx.xapi.vocab import XAPI_VERSION

xapi = Blueprint("lms_cx_xapi", __name__)

#: Every xAPI route takes every method, so a method a resource lacks is answered by the LRS
#: (a JSON 405 with ``Allow`` and the xAPI headers), not by the router's HTML page.
_ANY_METHOD = ["GET", "PUT", "POST", "DELETE", "PATCH"]
#: The methods of each resource (endpoint -> methods), filled by ``resource``.
_METHODS: dict[str, tuple[str, ...]] = {}


def resource(rule: str, *methods: str) -> Callable[[Callable], Callable]:
    """Route an xAPI resource that has ``methods`` (list HEAD beside GET).

    Any other method, also one the alternate syntax asks for, is a 405 before credentials
    are checked: a method is wrong whoever asks (ADL's conformance suite checks it so).
    """

    def register(view: Callable) -> Callable:
        _METHODS[f"{xapi.name}.{view.__name__}"] = methods
        return xapi.route(rule, methods=_ANY_METHOD)(view)

    return register


CORS_HEADERS = (
    "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, "
    "Accept-Language, X-Experience-API-Hash"
)
CORS_EXPOSED = "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"
#: How long a stored statement may take to become visible (open transactions): the
#: Consistent-Through header lags the clock by this much.
CONSISTENCY_LAG = timedelta(seconds=5)


class Unauthorized(XapiRequestError):
    """No credentials, or credentials the LRS refuses (answered with 401)."""

    status = 401


@xapi.record_once
def _exempt_from_csrf(state: Any) -> None:
    """Exempt the LRS from CSRF protection, whenever the host sets Flask-WTF's CSRFProtect up.

    xAPI clients authenticate with HTTP Basic, never with the session cookie, so a forged
    cross-site request carries no credentials. The host may create CSRFProtect before or
    after lms_cx, so the exemption is applied on the first request.
    """
    app: Flask = state.app

    def exempt() -> None:
        csrf = app.extensions.get("csrf")
        if csrf is not None and xapi.name not in getattr(csrf, "_lms_cx_exempted", ()):
            csrf.exempt(xapi)
            csrf._lms_cx_exempted = (xapi.name,)

    app.before_request_funcs.setdefault(None, []).insert(0, exempt)


def xapi_request() -> XapiRequest:
    """Return the current xAPI request (both syntaxes folded into one)."""
    return g.lms_cx_xapi_request


def caller() -> Caller:
    """Return the authenticated caller of the current request."""
    return g.lms_cx_xapi_caller


def require_scope(need: str) -> Caller:
    """Return the caller, or raise 403 when its scopes do not grant ``need``."""
    who = caller()
    if not who.may(need):
        raise XapiForbidden(f"this credential's scopes do not allow {need}", "Authorization")
    return who


@xapi.before_request
def _prepare() -> Any:
    if request.method == "OPTIONS":
        return Response(status=204)
    g.lms_cx_xapi_request = read_request(request)
    allowed = _METHODS.get(request.endpoint or "")
    if allowed is not None and xapi_request().method not in allowed:
        raise XapiMethodNotAllowed(xapi_request().method, allowed)
    if request.endpoint == "lms_cx_xapi.about":
        return None
    check_version(xapi_request().headers)
    g.lms_cx_xapi_caller = _authenticate(xapi_request().headers.get("Authorization"))
    return None


def _authenticate(header: str | None) -> Caller:
    if not header or not header.lower().startswith("basic "):
        raise Unauthorized("HTTP Basic credentials are required", "Authorization")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("the Authorization header is malformed", "Authorization") from None
    key, _, secret = decoded.partition(":")
    found = authenticate(get_session(), key, secret, _credential_cache())
    if found is None:
        raise Unauthorized("these credentials are refused", "Authorization")
    return found


def _credential_cache() -> CredentialCache:
    cache = current_app.extensions.get(CACHE_EXTENSION)
    if cache is None:
        max_age = float(current_app.config.get("LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS") or 0)
        cache = current_app.extensions[CACHE_EXTENSION] = CredentialCache(max_age)
    return cache


@xapi.after_request
def _headers(response: Response) -> Response:
    response.headers[VERSION_HEADER] = XAPI_VERSION
    if request.endpoint == "lms_cx_xapi.statements":
        # Part three, 2.1.3: on every answer of the Statement resource, errors included.
        response.headers["X-Experience-API-Consistent-Through"] = consistent_through()
    origins = current_app.config.get("LMS_CX_XAPI_CORS_ORIGINS") or ()
    if isinstance(origins, str) and origins != "*":
        origins = origins.replace(",", " ").split()
    origin = request.headers.get("Origin")
    if origin and (origins == "*" or origin in origins):
        response.headers["Access-Control-Allow-Origin"] = "*" if origins == "*" else origin
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
        response.headers["Access-Control-Max-Age"] = "3600"
        if origins != "*":
            response.headers.add("Vary", "Origin")
    return response


def consistent_through() -> str:
    """Return the X-Experience-API-Consistent-Through value (part three, 2.1.3)."""
    return format_timestamp(utcnow() - CONSISTENCY_LAG)


def error_response(message: str, status: int, field: str | None = None) -> Response:
    """Return a JSON error body with ``status``."""
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="lms_cx LRS"'
    return response


@xapi.errorhandler(ValidationError)
def _validation_error(error: ValidationError) -> Response:
    get_session().rollback()
    response = error_response(error.message, getattr(error, "status", 400), error.field)
    if isinstance(error, XapiMethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    return response


@xapi.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    get_session().rollback()
    return error_response(error.description or error.name, error.code or 500)


@resource("/about", "GET", "HEAD")
def about() -> Any:
    """Answer the About resource: the xAPI versions this LRS speaks (part three, 2.8)."""
    return jsonify({"version": [XAPI_VERSION], "extensions": {}})


# The resources add their routes to ``xapi`` when imported (a blueprint over several modules).
from lms_cx.blueprints import xapi_documents, xapi_statements  # noqa: E402, F401
