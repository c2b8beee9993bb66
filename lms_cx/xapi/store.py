"""Store statements: the one way into the LRS ledger, for the HTTP API and lms_cx's services.

::

    ids = store_statements(session, [statement])                   # commits
    ids = store_statements(session, statements, commit=False)      # the caller commits

Everything happens in the caller's transaction: validation of the whole batch first, then
the statement rows, their index rows, voiding, one outbox item per forward destination,
the progress projection and the activity definitions. A batch is all-or-nothing; a
statement whose id is already stored with the same content is a no-op, with different
content a ``StatementConflict`` (409). After an error the caller must roll back.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models.xapi import OutboxItem, Statement
from lms_cx.xapi.activities import remember_definitions
from lms_cx.xapi.destinations import Destination, forward_destinations
from lms_cx.xapi.errors import StatementConflict, StatementError
from lms_cx.xapi.ledger import LedgerRow, insert_statements, ledger_rows
from lms_cx.xapi.prepare import prepare_statement, same_statement
from lms_cx.xapi.projection import apply_statements
from lms_cx.xapi.validation import validate_statements
from lms_cx.xapi.vocab import VERB_VOIDED
from lms_cx.xapi.write_gate import enter_write_gate


def internal_authority(app_or_config: Flask | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the Agent that vouches for statements lms_cx's own services write.

    ``LMS_CX_XAPI_AUTHORITY`` when set; otherwise an account Agent on
    ``LMS_CX_XAPI_ACCOUNT_HOMEPAGE`` named after the site.
    """
    if app_or_config is None:
        app_or_config = current_app
    config = app_or_config.config if isinstance(app_or_config, Flask) else app_or_config
    configured = config.get("LMS_CX_XAPI_AUTHORITY")
    if configured:
        return dict(configured)
    return {
        "objectType": "Agent",
        "name": str(config.get("LMS_CX_SITE_NAME") or "lms_cx"),
        "account": {
            "homePage": str(
                config.get("LMS_CX_XAPI_ACCOUNT_HOMEPAGE") or "https://lms-cx.example.com"
            ),
            "name": "lms_cx",
        },
    }


def store_statements(
    session: Session,
    statements: list[dict[str, Any]],
    *,
    authority: dict[str, Any] | None = None,
    credential_id: int | None = None,
    commit: bool = True,
    define: bool = True,
) -> list[uuid.UUID]:
    """Validate and store ``statements``; return their ids in order (part three, 2.1).

    ``authority`` is the Agent the credential asserts (default: ``internal_authority()``);
    it replaces any authority the statements carry. ``define=False`` (a credential without
    the ``define`` scope) leaves the canonical activity definitions alone. Raises
    ``StatementError`` (400) naming the property and, in a batch, the statement's index;
    ``StatementConflict`` (409).
    """
    validate_statements(statements)
    config: Mapping[str, Any] = current_app.config if has_app_context() else {}
    # One copy for the whole batch: the prepared statements share it and nothing changes them.
    authority = copy.deepcopy(authority or internal_authority(config))
    _check_unique_ids(statements)
    stored_at = utcnow()
    prepared = [prepare_statement(s, stored=stored_at, authority=authority) for s in statements]
    ledger = ledger_rows(session, prepared, credential_id)
    destinations = forward_destinations(config)
    _lock_for_writing(session)
    existing, voided_earlier = _existing(session, [row.statement_id for row in ledger])
    new: list[tuple[int, LedgerRow]] = []
    for index, row in enumerate(ledger):
        found = existing.get(row.statement_id)
        if found is None:
            new.append((index, row))
        elif not same_statement(found, statements[index]):
            raise _conflict(index, len(statements))
    _check_voiding(session, [prepared[index] for index, _ in new], len(statements))
    rows = insert_statements(session, new, statements)
    _apply_voiding(session, rows, voided_earlier)
    _enqueue(session, rows, destinations)
    if define:
        remember_definitions(session, [row.raw for row in rows])
    apply_statements(session, rows)
    if commit:
        session.commit()
    return [row.statement_id for row in ledger]


def _check_unique_ids(statements: list[dict[str, Any]]) -> None:
    seen: dict[str, int] = {}
    for index, statement in enumerate(statements):
        if "id" not in statement:
            continue
        key = str(uuid.UUID(statement["id"]))
        if key in seen:
            raise StatementError(
                f"repeats the id of statement {seen[key]} in the same batch",
                f"statements[{index}].id",
                index,
            )
        seen[key] = index


def _conflict(index: int, count: int) -> StatementConflict:
    field = f"statements[{index}].id" if count > 1 else "id"
    return StatementConflict(
        "a different statement with this id is already stored", field, index if count > 1 else None
    )


#: A write that changes nothing: it takes SQLite's write lock (see ``_lock_for_writing``).
_TAKE_WRITE_LOCK = sa.text("UPDATE lms_cx_statement SET voided = voided WHERE 0")
_STATEMENTS = Statement.__table__
#: Built once: constructing a select costs more than running it on an indexed column.
_STORED_OR_VOIDED = sa.select(
    _STATEMENTS.c.statement_id, _STATEMENTS.c.voids_statement_id, _STATEMENTS.c.raw
).where(
    sa.or_(
        _STATEMENTS.c.statement_id.in_(sa.bindparam("ids", expanding=True)),
        _STATEMENTS.c.voids_statement_id.in_(sa.bindparam("ids", expanding=True)),
    )
)


def _lock_for_writing(session: Session) -> None:
    """On SQLite, take the database's write lock before reading what is stored.

    SQLite serialises writers; taking the lock first (a write that changes nothing) means no
    other writer can store the same id between our check and our insert. PostgreSQL needs
    no such lock: its unique index and ``ON CONFLICT`` settle concurrent inserts. The
    LRS's writers first queue at the write gate, so the lock passes between them at once.
    """
    if session.get_bind().dialect.name == "sqlite":
        enter_write_gate(session)
        session.execute(_TAKE_WRITE_LOCK)


def _existing(
    session: Session, ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, dict[str, Any]], dict[uuid.UUID, uuid.UUID]]:
    """Return the stored JSON of ``ids`` already stored, and the voiding statements already
    stored for ``ids`` (target id -> voiding id), in one query."""
    wanted = set(ids)
    found = session.execute(_STORED_OR_VOIDED, {"ids": list(wanted)}).all()
    existing = {sid: raw for sid, _, raw in found if sid in wanted}
    voided_by = {target: sid for sid, target, _ in found if target in wanted}
    return existing, voided_by


def _check_voiding(session: Session, new: list[dict[str, Any]], count: int) -> None:
    """Refuse a statement that voids a voiding statement (part two, 2.3.2)."""
    voiding = {str(s["object"]["id"]).lower() for s in new if s["verb"]["id"] == VERB_VOIDED}
    if not voiding:
        return
    targets = {uuid.UUID(target) for target in voiding}
    voiding_in_batch = {uuid.UUID(s["id"]) for s in new if s["verb"]["id"] == VERB_VOIDED}
    stored_voiding = set(
        session.scalars(
            sa.select(Statement.statement_id).where(
                Statement.statement_id.in_(targets), Statement.voids_statement_id.is_not(None)
            )
        )
    )
    for index, statement in enumerate(new):
        if statement["verb"]["id"] != VERB_VOIDED:
            continue
        target = uuid.UUID(statement["object"]["id"])
        if target in stored_voiding or target in voiding_in_batch:
            field = f"statements[{index}].object.id" if count > 1 else "object.id"
            raise StatementError("a voiding statement cannot be voided", field)


def _apply_voiding(
    session: Session, rows: list[LedgerRow], voided_earlier: dict[uuid.UUID, uuid.UUID]
) -> None:
    """Mark the targets of new voiding statements voided, and new statements already voided.

    A target that is itself a voiding statement is never marked (part two, 2.3.2); a target
    not stored yet is marked when it arrives (``voided_earlier``: target -> voiding id).
    """
    table = Statement.__table__
    by_target = {row.voids_statement_id: row.statement_id for row in rows if row.voids_statement_id}
    for target, voiding in by_target.items():
        session.execute(
            sa.update(table)
            .where(table.c.statement_id == target, table.c.voids_statement_id.is_(None))
            .values(voided=True, voided_by=voiding)
        )
    plain = [row for row in rows if row.voids_statement_id is None]
    earlier = voided_earlier
    for row in plain:
        voided_by = by_target.get(row.statement_id) or earlier.get(row.statement_id)
        if voided_by is not None:
            row.voided, row.voided_by = True, voided_by
            if row.statement_id not in by_target:
                session.execute(
                    sa.update(table)
                    .where(table.c.seq == row.seq)
                    .values(voided=True, voided_by=voided_by)
                )


def _enqueue(session: Session, rows: list[LedgerRow], destinations: list[Destination]) -> None:
    """Queue every new statement for each destination whose filter it passes."""
    items = [
        {
            "statement_seq": row.seq,
            "statement_id": row.statement_id,
            "destination": destination.name,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": row.stored,
            "created_at": row.stored,
        }
        for row in rows
        for destination in destinations
        if destination.accepts(row.raw)
    ]
    if items:
        session.execute(sa.insert(OutboxItem), items)
