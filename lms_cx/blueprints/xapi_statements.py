"""The Statement resource: PUT, POST, GET single and GET filtered (xAPI 1.0.3, part three, 2.1)."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Response, current_app, request, url_for
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import http_date, parse_accept_header

from lms_cx.blueprints.xapi import require_scope, resource, xapi_request
from lms_cx.db import get_session
from lms_cx.models.xapi import Statement
from lms_cx.models.xapi_documents import Activity
from lms_cx.xapi.agents import agent_ifi
from lms_cx.xapi.attachments import (
    check_attachments,
    multipart_response,
    parse_multipart,
    save_attachments,
)
from lms_cx.xapi.errors import StatementError, XapiNotFound, XapiRequestError
from lms_cx.xapi.formatting import FORMATS, format_statement
from lms_cx.xapi.http import (
    agent_param,
    bool_param,
    check_params,
    iri_param,
    timestamp_param,
    uuid_param,
)
from lms_cx.xapi.index import column_key
from lms_cx.xapi.query import StatementQuery, decode_cursor, encode_cursor, find_statements
from lms_cx.xapi.store import store_statements

QUERY_PARAMS = {
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
    "cursor",
}
SINGLE_PARAMS = {"statementId", "voidedStatementId", "attachments", "format"}


@resource("/statements", "GET", "HEAD", "PUT", "POST")
def statements() -> Any:
    """Dispatch the Statement resource by the (possibly overridden) method."""
    method = xapi_request().method
    if method in ("GET", "HEAD"):
        return get_statements()
    if method == "PUT":
        return put_statement()
    return post_statements()


def _received_statements() -> tuple[Any, dict]:
    """Return the statements JSON and attachment parts of a PUT or POST body."""
    req = xapi_request()
    if req.content_type == "multipart/mixed":
        return parse_multipart(req.headers.get("Content-Type", ""), req.body)
    # The alternate syntax's ``content`` form field is a statement's JSON even when no
    # Content-Type field says so (part three, 1.3).
    if req.content_type != "application/json" and not (req.alternate and not req.content_type):
        raise XapiRequestError(
            "statements are sent as application/json or multipart/mixed", "Content-Type"
        )
    return req.json_body(), {}


def _store(statements: list[dict[str, Any]], parts: dict) -> list[uuid.UUID]:
    who = require_scope("statements/write")
    if not all(isinstance(s, dict) for s in statements):
        raise StatementError("each statement must be a JSON object", "statements")
    check_attachments(statements, parts)
    session = get_session()
    save_attachments(session, parts)
    ids = store_statements(
        session,
        statements,
        authority=who.authority,
        credential_id=who.credential_id,
        commit=False,
        define=who.defines,
    )
    session.commit()
    return ids


def put_statement() -> Response:
    """Store one statement under ``statementId`` (204)."""
    params = xapi_request().params
    check_params(params, {"statementId"})
    statement_id = uuid_param(params, "statementId")
    if statement_id is None:
        raise XapiRequestError("is required", "statementId")
    statement, parts = _received_statements()
    if not isinstance(statement, dict):
        raise StatementError("PUT stores one statement (a JSON object)", "statement")
    if "id" in statement and str(statement["id"]).lower() != statement_id:
        raise StatementError("differs from the statementId parameter", "id")
    statement = dict(statement, id=statement.get("id", statement_id))
    _store([statement], parts)
    return Response(status=204)


def post_statements() -> Response:
    """Store one statement or a batch; answer their ids (200)."""
    check_params(xapi_request().params, set())
    received, parts = _received_statements()
    batch = received if isinstance(received, list) else [received]
    if not batch:
        raise StatementError("the batch is empty", "statements")
    ids = _store(batch, parts)
    return _json([str(i) for i in ids])


def _json(document: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False), status=status, mimetype="application/json"
    )


def _format_options() -> tuple[str, LanguageAccept, Any]:
    params = xapi_request().params
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise XapiRequestError("must be ids, exact or canonical", "format")
    languages = parse_accept_header(request.headers.get("Accept-Language"), LanguageAccept)
    session = get_session()

    def definition(activity_id: str) -> Any:
        return session.scalar(
            sa.select(Activity.definition).where(Activity.activity_id == column_key(activity_id))
        )

    return fmt, languages, definition


def _render(document: Any, rows: list[Statement]) -> Response:
    if bool_param(xapi_request().params, "attachments"):
        body, content_type = multipart_response(get_session(), document, [r.raw for r in rows])
        response = Response(body, content_type=content_type)
    else:
        response = _json(document)
    if rows:
        response.headers["Last-Modified"] = http_date(max(r.stored for r in rows))
    return response


def get_statements() -> Response:
    """Answer one statement (statementId / voidedStatementId) or a StatementResult."""
    who = require_scope("statements/read")
    params = xapi_request().params
    if "statementId" in params or "voidedStatementId" in params:
        return _get_single(params, who)
    check_params(params, QUERY_PARAMS)
    query = _parse_query(params)
    if who.reads_only_own:
        query.authority_ifi = column_key(agent_ifi(who.authority) or "")
    most = int(current_app.config.get("LMS_CX_XAPI_MAX_LIMIT") or 500)
    page_size = min(query.limit or most, most)
    rows, after, cap = find_statements(get_session(), query, page_size)
    fmt, languages, definition = _format_options()
    result: dict[str, Any] = {
        "statements": [
            format_statement(r.raw, fmt, languages=languages, definitions=definition) for r in rows
        ]
    }
    if after is not None:
        more = {k: v for k, v in params.items() if k != "cursor"}
        more["cursor"] = encode_cursor(after, cap)
        result["more"] = url_for("lms_cx_xapi.statements") + "?" + urlencode(more)
    return _render(result, rows)


def _get_single(params: dict[str, str], who: Any) -> Response:
    check_params(params, SINGLE_PARAMS)
    if "statementId" in params and "voidedStatementId" in params:
        raise XapiRequestError("give statementId or voidedStatementId, not both", "statementId")
    name = "statementId" if "statementId" in params else "voidedStatementId"
    wanted = uuid_param(params, name)
    bool_param(params, "attachments")
    row = get_session().scalar(
        sa.select(Statement).where(Statement.statement_id == uuid.UUID(wanted))
    )
    voided_wanted = name == "voidedStatementId"
    if row is None or row.voided != voided_wanted:
        raise XapiNotFound("no such statement" + (" (voided)" if voided_wanted else ""), name)
    if who.reads_only_own and row.authority_ifi != column_key(agent_ifi(who.authority) or ""):
        raise XapiNotFound("no such statement", name)
    fmt, languages, definition = _format_options()
    document = format_statement(row.raw, fmt, languages=languages, definitions=definition)
    return _render(document, [row])


def _parse_query(params: dict[str, str]) -> StatementQuery:
    query = StatementQuery(params=params)
    query.agent = agent_param(params, required=False)
    query.verb = iri_param(params, "verb", required=False)
    query.activity = iri_param(params, "activity", required=False)
    query.registration = uuid_param(params, "registration")
    query.related_activities = bool_param(params, "related_activities")
    query.related_agents = bool_param(params, "related_agents")
    query.ascending = bool_param(params, "ascending")
    bool_param(params, "attachments")
    query.since = timestamp_param(params, "since")
    query.until = timestamp_param(params, "until")
    limit = params.get("limit", "0")
    if not limit.isdigit():
        raise XapiRequestError("must be a non-negative integer", "limit")
    query.limit = int(limit)
    if "cursor" in params:
        query.after_seq, query.cap_seq = decode_cursor(params["cursor"])
    return query
