"""The document resources (State, Activity Profile, Agent Profile) and Activities and Agents
(xAPI 1.0.3, part three, 2.2-2.7)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Response
from werkzeug.http import http_date

from lms_cx.blueprints.xapi import require_scope, resource, xapi_request
from lms_cx.db import get_session
from lms_cx.models.xapi_documents import Activity
from lms_cx.xapi import documents
from lms_cx.xapi.agents import IFI_PROPERTIES, agent_ifi
from lms_cx.xapi.documents import ACTIVITY_PROFILE, AGENT_PROFILE, STATE, DocumentKind
from lms_cx.xapi.errors import XapiRequestError
from lms_cx.xapi.http import (
    agent_param,
    check_params,
    iri_param,
    require,
    timestamp_param,
    uuid_param,
)
from lms_cx.xapi.index import column_key


def _json(document: Any) -> Response:
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")


def _scope(kind: DocumentKind, params: dict[str, str]) -> dict[str, str]:
    """Return the scope columns of a document request, validated."""
    scope: dict[str, str] = {}
    if "activity_id" in kind.scope_columns:
        scope["activity_id"] = column_key(iri_param(params, "activityId") or "")
    if "agent_ifi" in kind.scope_columns:
        agent = agent_param(params)
        if agent.get("objectType") == "Group" and agent_ifi(agent) is None:
            raise XapiRequestError("must be an Agent or an Identified Group", "agent")
        scope["agent_ifi"] = column_key(agent_ifi(agent) or "")
    if "registration" in kind.scope_columns:
        scope["registration"] = uuid_param(params, "registration") or ""
    return scope


_DOCUMENT_METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")


def _document_resource(kind: DocumentKind, scope_params: set[str]) -> Response:
    """Serve GET, PUT, POST and DELETE of one document resource."""
    req = xapi_request()
    params = req.params
    method = req.method
    reading = method in ("GET", "HEAD")
    base = "state" if kind is STATE else "profile"
    require_scope(base + "/read" if reading else base)
    session = get_session()
    allowed = scope_params | {kind.id_param} | ({"since"} if reading else set())
    check_params(params, allowed)
    scope = _scope(kind, params)
    doc_id = params.get(kind.id_param)
    if reading and doc_id is None:
        ids, latest = documents.list_ids(session, kind, scope, timestamp_param(params, "since"))
        response = _json(ids)
        if latest is not None:
            response.headers["Last-Modified"] = http_date(latest)
        return response
    if reading:
        row = documents.get_document(session, kind, scope, doc_id)
        response = Response(row.content, content_type=row.content_type)
        response.headers["ETag"] = f'"{row.etag}"'
        response.headers["Last-Modified"] = http_date(row.updated_at)
        return response
    if "since" in params:
        raise XapiRequestError("is allowed on GET only", "since")
    if method == "DELETE" and doc_id is None:
        if kind is not STATE:
            raise XapiRequestError("is required", kind.id_param)
        documents.delete_documents(session, kind, scope)
    elif method == "DELETE":
        documents.delete_document(
            session, kind, scope, doc_id, if_match=req.headers.get("If-Match")
        )
    else:
        require(params, kind.id_param)
        documents.write_document(
            session,
            kind,
            scope,
            doc_id,
            req.body,
            req.headers.get("Content-Type") or "application/octet-stream",
            merge=method == "POST",
            if_match=req.headers.get("If-Match"),
            if_none_match=req.headers.get("If-None-Match"),
        )
    session.commit()
    return Response(status=204)


@resource("/activities/state", *_DOCUMENT_METHODS)
def state() -> Response:
    """Serve the State resource (part three, 2.3)."""
    return _document_resource(STATE, {"activityId", "agent", "registration"})


@resource("/activities/profile", *_DOCUMENT_METHODS)
def activity_profile() -> Response:
    """Serve the Activity Profile resource (part three, 2.7)."""
    return _document_resource(ACTIVITY_PROFILE, {"activityId"})


@resource("/agents/profile", *_DOCUMENT_METHODS)
def agent_profile() -> Response:
    """Serve the Agent Profile resource (part three, 2.6)."""
    return _document_resource(AGENT_PROFILE, {"agent"})


def _only_get() -> dict[str, str]:
    require_scope("define/read")
    return xapi_request().params


@resource("/activities", "GET", "HEAD")
def activities() -> Response:
    """Answer an Activity with its canonical definition (part three, 2.5)."""
    params = _only_get()
    check_params(params, {"activityId"})
    activity_id = iri_param(params, "activityId") or ""
    definition = get_session().scalar(
        sa.select(Activity.definition).where(Activity.activity_id == column_key(activity_id))
    )
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        activity["definition"] = definition
    return _json(activity)


@resource("/agents", "GET", "HEAD")
def agents() -> Response:
    """Answer the Person object of an Agent (part three, 2.4): what the LRS knows of it."""
    params = _only_get()
    check_params(params, {"agent"})
    agent = agent_param(params)
    if agent.get("objectType") == "Group":
        raise XapiRequestError("must be an Agent, not a Group", "agent")
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for prop in IFI_PROPERTIES:
        if prop in agent:
            person[prop] = [agent[prop]]
    return _json(person)
