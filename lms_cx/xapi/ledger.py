"""Insert new statements and their index rows into the ledger, in bulk.

One multi-row INSERT for the statements (their seqs read back) and one per index table. The
caller has checked which ids are new; on SQLite it holds the write lock, so nothing can
collide. On PostgreSQL a concurrent transaction may store the same id meanwhile: the bulk
insert then fails inside a savepoint and the statements are inserted one by one with
``ON CONFLICT DO NOTHING``, each collision settled like a re-send (no-op or 409).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.errors import StatementConflict
from lms_cx.xapi.index import activity_rows, agent_rows, statement_columns
from lms_cx.xapi.prepare import same_statement


def insert_statements(
    session: Session,
    new: list[tuple[int, dict[str, Any]]],
    originals: list[dict[str, Any]],
    credential_id: int | None,
) -> list[Statement]:
    """Insert the prepared statements ``new`` (index, statement); return them as rows.

    The rows returned are transient ``Statement`` objects carrying their ``seq``: what the
    voiding, outbox and projection steps read, without loading them back.
    """
    if not new:
        return []
    values = [statement_columns(prepared) | {"credential_id": credential_id} for _, prepared in new]
    if session.get_bind().dialect.name == "postgresql":
        try:
            with session.begin_nested():
                seqs = _bulk_insert(session, values)
        except IntegrityError:
            return _insert_one_by_one(session, new, originals, values)
    else:
        seqs = _bulk_insert(session, values)
    rows = [Statement(seq=seq, **row) for seq, row in zip(seqs, values, strict=True)]
    _insert_index_rows(session, rows, [prepared for _, prepared in new])
    return rows


def _bulk_insert(session: Session, values: list[dict[str, Any]]) -> list[int]:
    """Insert the statements in one multi-row INSERT; return their seqs in order.

    The seqs are read back by id: SQLAlchemy can keep RETURNING rows in parameter order on
    SQLite only by inserting one row at a time.
    """
    table = Statement.__table__
    if len(values) == 1:
        return [session.scalar(sa.insert(table).values(**values[0]).returning(table.c.seq))]
    session.execute(sa.insert(table), values)
    ids = [row["statement_id"] for row in values]
    seqs = dict(
        session.execute(
            sa.select(table.c.statement_id, table.c.seq).where(table.c.statement_id.in_(ids))
        ).all()
    )
    return [seqs[statement_id] for statement_id in ids]


def _insert_one_by_one(
    session: Session,
    new: list[tuple[int, dict[str, Any]]],
    originals: list[dict[str, Any]],
    values: list[dict[str, Any]],
) -> list[Statement]:
    """Insert with ON CONFLICT DO NOTHING; a statement stored meanwhile is a no-op or a 409."""
    table = Statement.__table__
    rows, prepared_rows = [], []
    for (index, prepared), row in zip(new, values, strict=True):
        seq = session.scalar(
            postgresql.insert(table)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["statement_id"])
            .returning(table.c.seq)
        )
        if seq is None:
            other = session.scalar(
                sa.select(table.c.raw).where(table.c.statement_id == row["statement_id"])
            )
            if not same_statement(other, originals[index]):
                field = f"statements[{index}].id" if len(originals) > 1 else "id"
                raise StatementConflict(
                    "a different statement with this id is already stored", field
                )
            continue
        rows.append(Statement(seq=seq, **row))
        prepared_rows.append(prepared)
    _insert_index_rows(session, rows, prepared_rows)
    return rows


def _insert_index_rows(
    session: Session, rows: list[Statement], prepared: list[dict[str, Any]]
) -> None:
    activities, agents = [], []
    for row, statement in zip(rows, prepared, strict=True):
        activities += [
            {"statement_seq": row.seq, "activity_id": activity_id, "relation": relation}
            for activity_id, relation in activity_rows(statement)
        ]
        agents += [
            {"statement_seq": row.seq, "agent_ifi": ifi, "relation": relation}
            for ifi, relation in agent_rows(statement)
        ]
    if activities:
        session.execute(sa.insert(StatementActivity.__table__), activities)
    if agents:
        session.execute(sa.insert(StatementAgent.__table__), agents)
