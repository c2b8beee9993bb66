"""State, activity profile and agent profile documents (xAPI 1.0.3, part three, 2.2-2.7, 3.1).

A document is bytes with a content type, identified by its scope (activity, agent,
registration) and id. Its ETag is the SHA-1 of its content. Writes honour ``If-Match`` and
``If-None-Match``; a profile PUT over an existing document without either header is a 409.
POSTing JSON to a JSON document merges the top-level properties.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models.xapi_documents import ActivityProfile, AgentProfile, StateDocument
from lms_cx.xapi.errors import (
    XapiNotFound,
    XapiPreconditionFailed,
    XapiPreconditionRequired,
    XapiRequestError,
)


@dataclass(frozen=True)
class DocumentKind:
    """One of the three document resources: its table, scope columns and id column."""

    model: Any
    scope_columns: tuple[str, ...]
    id_column: str
    id_param: str
    #: Profiles need If-Match/If-None-Match on a PUT over an existing document (3.1).
    needs_precondition: bool


STATE = DocumentKind(
    StateDocument, ("activity_id", "agent_ifi", "registration"), "state_id", "stateId", False
)
ACTIVITY_PROFILE = DocumentKind(ActivityProfile, ("activity_id",), "profile_id", "profileId", True)
AGENT_PROFILE = DocumentKind(AgentProfile, ("agent_ifi",), "profile_id", "profileId", True)


def etag_of(content: bytes) -> str:
    """Return the ETag of a document: the lower-case hex SHA-1 of its content (3.1)."""
    return hashlib.sha1(content).hexdigest()


def _where(kind: DocumentKind, scope: dict[str, str]) -> list[Any]:
    return [getattr(kind.model, column) == scope[column] for column in kind.scope_columns]


def get_document(session: Session, kind: DocumentKind, scope: dict[str, str], doc_id: str) -> Any:
    """Return the document row, or raise 404."""
    row = session.scalar(
        sa.select(kind.model).where(
            *_where(kind, scope), getattr(kind.model, kind.id_column) == doc_id
        )
    )
    if row is None:
        raise XapiNotFound("no document with this id", kind.id_param)
    return row


def list_ids(
    session: Session, kind: DocumentKind, scope: dict[str, str], since: datetime | None
) -> tuple[list[str], datetime | None]:
    """Return the ids of the scope's documents (updated after ``since``) and the latest update."""
    query = sa.select(getattr(kind.model, kind.id_column), kind.model.updated_at).where(
        *_where(kind, scope)
    )
    if since is not None:
        query = query.where(kind.model.updated_at > since)
    rows = session.execute(query.order_by(getattr(kind.model, kind.id_column))).all()
    return [row[0] for row in rows], max((row[1] for row in rows), default=None)


def _matches(header: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    return "*" in tags or etag in tags


def _check_preconditions(
    existing: Any, if_match: str | None, if_none_match: str | None, *, put: bool, kind: DocumentKind
) -> None:
    if if_match is not None and (existing is None or not _matches(if_match, existing.etag)):
        raise XapiPreconditionFailed("If-Match does not match the current document", "If-Match")
    if (
        if_none_match is not None
        and existing is not None
        and _matches(if_none_match, existing.etag)
    ):
        raise XapiPreconditionFailed("If-None-Match: the document already exists", "If-None-Match")
    if put and kind.needs_precondition and if_match is None and if_none_match is None:
        if existing is not None:
            raise XapiPreconditionRequired(
                "the document exists: fetch it, then PUT with If-Match set to its ETag "
                "(or If-None-Match: * to create only)",
                "If-Match",
            )
        # ADL's conformance suite (XAPI-00273): a profile PUT always names its expectation.
        raise XapiRequestError(
            "a PUT of a profile needs If-None-Match: * to create it, or If-Match with the "
            "ETag of the document it replaces",
            "If-None-Match",
        )


def _locked(session: Session, kind: DocumentKind, scope: dict[str, str], doc_id: str) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock first, so check-then-write cannot race another writer.
        session.execute(sa.update(kind.model).where(sa.false()).values(etag=kind.model.etag))
    return session.scalar(
        sa.select(kind.model)
        .where(*_where(kind, scope), getattr(kind.model, kind.id_column) == doc_id)
        .with_for_update()
    )


def write_document(
    session: Session,
    kind: DocumentKind,
    scope: dict[str, str],
    doc_id: str,
    content: bytes,
    content_type: str,
    *,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
) -> None:
    """PUT (``merge=False``) or POST (``merge=True``) a document, honouring preconditions."""
    existing = _locked(session, kind, scope, doc_id)
    _check_preconditions(existing, if_match, if_none_match, put=not merge, kind=kind)
    if merge and existing is not None:
        content, content_type = _merged(existing, content, content_type)
    elif merge and _is_json(content_type):
        _json_object(content, "content")
    now = utcnow()
    if existing is not None:
        existing.content, existing.content_type = content, content_type
        existing.etag, existing.updated_at = etag_of(content), now
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = dict(scope) | {
        kind.id_column: doc_id,
        "content": content,
        "content_type": content_type,
        "etag": etag_of(content),
        "updated_at": now,
    }
    created = session.execute(
        insert(kind.model).values(**values).on_conflict_do_nothing().returning(kind.model.id)
    ).first()
    if created is None:
        raise XapiPreconditionFailed("the document was created meanwhile; retry", kind.id_param)


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def _json_object(content: bytes, field: str) -> dict[str, Any]:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise XapiRequestError("must be a JSON object to be merged", field)
    return value


def _merged(existing: Any, content: bytes, content_type: str) -> tuple[bytes, str]:
    """Merge posted JSON into the stored JSON document, top-level properties only (2.2)."""
    if not (_is_json(content_type) and _is_json(existing.content_type)):
        raise XapiRequestError(
            "POST merges JSON only: both documents must be application/json", "Content-Type"
        )
    merged = _json_object(existing.content, "document") | _json_object(content, "content")
    return json.dumps(merged, ensure_ascii=False).encode("utf-8"), "application/json"


def delete_document(
    session: Session,
    kind: DocumentKind,
    scope: dict[str, str],
    doc_id: str,
    *,
    if_match: str | None = None,
) -> None:
    """Delete one document (a no-op when it does not exist and no If-Match is given)."""
    existing = _locked(session, kind, scope, doc_id)
    if if_match is not None and (existing is None or not _matches(if_match, existing.etag)):
        raise XapiPreconditionFailed("If-Match does not match the current document", "If-Match")
    if existing is not None:
        session.delete(existing)


def delete_documents(session: Session, kind: DocumentKind, scope: dict[str, str]) -> int:
    """Delete every document of a scope (the State resource's multiple DELETE)."""
    result = session.execute(sa.delete(kind.model).where(*_where(kind, scope)))
    return result.rowcount or 0
