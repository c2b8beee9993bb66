"""Insert new statements and their index rows into the ledger, in bulk.

``ledger_rows`` computes everything a statement's rows hold before the caller takes the
write lock; ``insert_statements`` then only writes them. On SQLite the caller holds the
write lock, so nothing can collide: the rows get the next seqs and go in through the
driver with the values already converted (SQLAlchemy's per-row parameter processing cost
more than SQLite's own work, all of it inside the lock). On PostgreSQL a concurrent
transaction may store the same id meanwhile: the INSERT says ``ON CONFLICT DO NOTHING`` and
returns the seqs of the rows it wrote, and each id it skipped is settled like a re-send
(no-op or 409).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.driver import DriverStatement, driver_statement
from lms_cx.xapi.errors import StatementConflict
from lms_cx.xapi.index import activity_rows, agent_rows, statement_columns
from lms_cx.xapi.prepare import same_statement

_STATEMENTS = Statement.__table__
#: The statement columns written on insert, in the order of the SQLite driver's parameters.
_COLUMNS = (
    "statement_id", "raw", "stored", "timestamp", "verb_id", "actor_ifi", "object_type",
    "object_id", "registration", "voids_statement_id", "authority_ifi", "credential_id",
    "voided",
)  # fmt: skip


@dataclass(slots=True)
class LedgerRow:
    """A new statement's row and index rows; after the insert, what the next steps read.

    It stands in for a ``Statement`` (same attribute names) without the ORM's cost.
    """

    statement_id: uuid.UUID
    raw: dict[str, Any]
    stored: datetime
    timestamp: datetime
    verb_id: str
    actor_ifi: str
    object_type: str
    object_id: str
    registration: uuid.UUID | None
    voids_statement_id: uuid.UUID | None
    authority_ifi: str | None
    credential_id: int | None
    activities: set[tuple[str, str]] = field(default_factory=set)
    agents: set[tuple[str, str]] = field(default_factory=set)
    voided: bool = False
    voided_by: uuid.UUID | None = None
    seq: int = 0
    #: SQLite: the column values as the driver takes them, in ``_COLUMNS`` order.
    converted: tuple[Any, ...] = ()

    def columns(self) -> dict[str, Any]:
        """Return the statement row's column values (without ``seq``)."""
        return {name: getattr(self, name) for name in _COLUMNS}


def ledger_rows(
    session: Session, prepared: list[dict[str, Any]], credential_id: int | None
) -> list[LedgerRow]:
    """Return the rows of the prepared statements (no database access: call before locking)."""
    rows = [
        LedgerRow(
            **statement_columns(statement),
            credential_id=credential_id,
            activities=activity_rows(statement),
            agents=agent_rows(statement),
        )
        for statement in prepared
    ]
    dialect = session.get_bind().dialect
    if dialect.name == "sqlite":
        insert = _sqlite_insert(dialect)
        for row in rows:
            row.converted = insert.row(row.columns())
    return rows


def _sqlite_insert(dialect: sa.Dialect) -> DriverStatement:
    return driver_statement("statement", dialect, _statement_insert, _STATEMENTS, ("seq",))


def _statement_insert() -> Any:
    return sa.insert(_STATEMENTS).values({name: sa.bindparam(name) for name in ("seq", *_COLUMNS)})


def _pair_insert(table: sa.Table, key: str) -> Any:
    return sa.insert(table).values(
        {name: sa.bindparam(name) for name in ("statement_seq", key, "relation")}
    )


_MAX_SEQ = sa.select(sa.func.max(_STATEMENTS.c.seq))
#: PostgreSQL: insert what no concurrent transaction stored meanwhile, in one statement.
_INSERT_NEW_PG = (
    postgresql.insert(_STATEMENTS)
    .on_conflict_do_nothing(index_elements=["statement_id"])
    .returning(_STATEMENTS.c.statement_id, _STATEMENTS.c.seq)
)
_RAW_OF_ID = sa.select(_STATEMENTS.c.raw).where(
    _STATEMENTS.c.statement_id == sa.bindparam("statement_id")
)
_INSERT_ACTIVITIES = sa.insert(StatementActivity.__table__)
_INSERT_AGENTS = sa.insert(StatementAgent.__table__)


def insert_statements(
    session: Session,
    new: list[tuple[int, LedgerRow]],
    originals: list[dict[str, Any]],
) -> list[LedgerRow]:
    """Insert the rows ``new`` (index in the request, row); return the rows written.

    Each returned row carries its ``seq``: what the voiding, outbox and projection steps
    read, without loading anything back.
    """
    if not new:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = _insert_new_postgresql(session, new, originals)
        _insert_index_rows(session, rows)
        return rows
    return _insert_sqlite(session, [row for _, row in new])


def _insert_sqlite(session: Session, rows: list[LedgerRow]) -> list[LedgerRow]:
    """Give the rows the next seqs (the caller holds the write lock) and insert them."""
    connection = session.connection()
    dialect = connection.dialect
    first = (connection.execute(_MAX_SEQ).scalar() or 0) + 1
    for seq, row in enumerate(rows, start=first):
        row.seq = seq
    _sqlite_insert(dialect).execute(connection, ((row.seq, *row.converted) for row in rows))
    # Index rows are plain text and integers: nothing to convert.
    activities = [(row.seq, *pair) for row in rows for pair in row.activities]
    agents = [(row.seq, *pair) for row in rows for pair in row.agents]
    for name, table, key, pairs in (
        ("activities", StatementActivity.__table__, "activity_id", activities),
        ("agents", StatementAgent.__table__, "agent_ifi", agents),
    ):
        if pairs:
            build = functools.partial(_pair_insert, table, key)
            driver_statement(name, dialect, build, table).execute(connection, pairs)
    return rows


def _insert_new_postgresql(
    session: Session, new: list[tuple[int, LedgerRow]], originals: list[dict[str, Any]]
) -> list[LedgerRow]:
    """Insert with ON CONFLICT DO NOTHING; a statement stored meanwhile is a no-op or a 409.

    Returns the rows actually inserted, with their seqs.
    """
    inserted = dict(session.execute(_INSERT_NEW_PG, [row.columns() for _, row in new]).all())
    kept = []
    for index, row in new:
        seq = inserted.get(row.statement_id)
        if seq is None:
            other = session.scalar(_RAW_OF_ID, {"statement_id": row.statement_id})
            if not same_statement(other, originals[index]):
                field_name = f"statements[{index}].id" if len(originals) > 1 else "id"
                raise StatementConflict(
                    "a different statement with this id is already stored", field_name
                )
            continue
        row.seq = seq
        kept.append(row)
    return kept


def _insert_index_rows(session: Session, rows: list[LedgerRow]) -> None:
    activities = [
        {"statement_seq": row.seq, "activity_id": activity_id, "relation": relation}
        for row in rows
        for activity_id, relation in row.activities
    ]
    agents = [
        {"statement_seq": row.seq, "agent_ifi": ifi, "relation": relation}
        for row in rows
        for ifi, relation in row.agents
    ]
    if activities:
        session.execute(_INSERT_ACTIVITIES, activities)
    if agents:
        session.execute(_INSERT_AGENTS, agents)
