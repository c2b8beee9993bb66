"""One xAPI request, whichever syntax it came in (xAPI 1.0.3, part three, 1.2-1.3 and 3.3).

Browsers that cannot send custom headers use the alternate request syntax: a form POST with
``?method=PUT`` (or GET, DELETE...) whose form carries the headers, the query parameters and
the body (``content``). ``read_request`` folds both syntaxes into one ``XapiRequest``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Request, current_app
from werkzeug.datastructures import Headers

from lms_cx.xapi import formats
from lms_cx.xapi.errors import XapiRequestError, XapiTooLarge

#: Headers the alternate syntax may carry as form fields (part three, 1.3).
FORM_HEADERS = (
    "Authorization",
    "X-Experience-API-Version",
    "Content-Type",
    "Content-Length",
    "If-Match",
    "If-None-Match",
)
ALTERNATE_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
VERSION_HEADER = "X-Experience-API-Version"
_VERSION = re.compile(r"^1\.0(\.\d+)?$")


@dataclass
class XapiRequest:
    """The method, headers, parameters and body of an xAPI request."""

    method: str
    headers: Headers
    params: dict[str, str]
    body: bytes
    alternate: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        """Return the media type of the body, lower-cased, without parameters."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json_body(self) -> Any:
        """Return the body parsed as JSON, or raise a 400 naming the problem."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise XapiRequestError(f"the body is not valid JSON ({error})", "content") from None


def read_request(request: Request) -> XapiRequest:
    """Return the request as an ``XapiRequest``, unfolding the alternate syntax."""
    limit = int(current_app.config.get("LMS_CX_XAPI_MAX_BODY_BYTES") or 0)
    if limit:
        if (request.content_length or 0) > limit:
            raise XapiTooLarge(f"the body is larger than {limit} bytes", "content")
        # A body without Content-Length (chunked) is read one byte past the limit, no further:
        # werkzeug cuts it there silently, so a longer body is told by its length below.
        request.max_content_length = limit + 1
    method_override = request.args.get("method")
    if request.method != "POST" or method_override is None:
        for name in request.args:
            if name.lower() == "method":
                raise XapiRequestError("'method' is allowed only on a POST", name)
        body = request.get_data(cache=True)
        if limit and len(body) > limit:
            raise XapiTooLarge(f"the body is larger than {limit} bytes", "content")
        return XapiRequest(
            method=request.method,
            headers=Headers(request.headers),
            params=_single_values(request.args),
            body=body,
        )
    if set(request.args) != {"method"}:
        raise XapiRequestError(
            "the alternate request syntax allows no query parameter but 'method'", "method"
        )
    method = method_override.upper()
    if method not in ALTERNATE_METHODS or method_override != method:
        raise XapiRequestError(f"unknown method {method_override!r}", "method")
    if request.mimetype != "application/x-www-form-urlencoded":
        raise XapiRequestError(
            "the alternate request syntax needs Content-Type application/x-www-form-urlencoded",
            "Content-Type",
        )
    headers = Headers(request.headers)
    headers.remove("Content-Type")
    headers.remove("Content-Length")
    params: dict[str, str] = {}
    body = b""
    for name, value in _single_values(request.form).items():
        if name in FORM_HEADERS:
            headers[name] = value
        elif name == "content":
            body = value.encode("utf-8")
        else:
            params[name] = value
    return XapiRequest(method=method, headers=headers, params=params, body=body, alternate=True)


def _single_values(multi: Any) -> dict[str, str]:
    values = {}
    for name in multi:
        found = multi.getlist(name)
        if len(found) > 1:
            raise XapiRequestError("a parameter may appear only once", name)
        if "\x00" in found[0]:
            # PostgreSQL cannot compare or store text holding NUL: refused, not a 500.
            raise XapiRequestError("must not contain a NUL character", name)
        values[name] = found[0]
    return values


def check_version(headers: Headers) -> None:
    """Refuse a request without a 1.0.x ``X-Experience-API-Version`` header (3.3)."""
    version = headers.get(VERSION_HEADER)
    if version is None:
        raise XapiRequestError("the X-Experience-API-Version header is required", VERSION_HEADER)
    if not _VERSION.match(version.strip()):
        raise XapiRequestError(
            f"version {version!r} is not supported; this LRS speaks 1.0.x", VERSION_HEADER
        )


def check_params(params: dict[str, str], allowed: set[str]) -> None:
    """Refuse parameters not in ``allowed`` (also those matching only in case, 3.2)."""
    for name in params:
        if name not in allowed:
            hint = next((a for a in allowed if a.lower() == name.lower()), None)
            reason = f"did you mean {hint!r}? Names are case-sensitive" if hint else "unknown"
            raise XapiRequestError(f"parameter not allowed here ({reason})", name)


def require(params: dict[str, str], name: str) -> str:
    """Return a required parameter or raise a 400 naming it."""
    if name not in params:
        raise XapiRequestError("is required", name)
    return params[name]


def iri_param(params: dict[str, str], name: str, *, required: bool = True) -> str | None:
    """Return an IRI parameter, validated as statements validate IRIs."""
    if name not in params and not required:
        return None
    value = require(params, name)
    if not formats.is_iri(value):
        raise XapiRequestError("must be an IRI", name)
    return value


def agent_param(params: dict[str, str], name: str = "agent", *, required: bool = True) -> Any:
    """Return an Agent (or Identified Group) parameter, parsed and validated."""
    from lms_cx.xapi.rules import RuleError, check_actor

    if name not in params and not required:
        return None
    try:
        agent = json.loads(require(params, name))
    except ValueError:
        raise XapiRequestError("must be an Agent as JSON", name) from None
    try:
        check_actor(agent, [name])
    except RuleError as error:
        raise XapiRequestError(error.message, ".".join(map(str, error.path))) from None
    return agent


def bool_param(params: dict[str, str], name: str) -> bool:
    """Return a boolean parameter (``true``/``false`` as in JSON), default false."""
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise XapiRequestError("must be true or false", name)
    return value == "true"


def uuid_param(params: dict[str, str], name: str) -> str | None:
    """Return a UUID parameter (or None when absent)."""
    value = params.get(name)
    if value is not None and not formats.is_uuid(value):
        raise XapiRequestError("must be a UUID", name)
    return value.lower() if value else None


def timestamp_param(params: dict[str, str], name: str) -> Any:
    """Return a timestamp parameter as an aware datetime (or None when absent)."""
    if name not in params:
        return None
    moment = formats.parse_timestamp(params[name])
    if moment is None:
        raise XapiRequestError("must be an ISO 8601 timestamp", name)
    return moment
