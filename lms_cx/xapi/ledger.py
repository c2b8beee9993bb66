"""Insert new statements and their index rows into the ledger, in bulk.

One multi-row INSERT for the statements (their seqs read back) and one per index table. The
caller has checked which ids are new; on SQLite it holds the write lock, so nothing can
collide. On PostgreSQL a concurrent transaction may store the same id meanwhile: the INSERT
says ``ON CONFLICT DO NOTHING`` and returns the seqs of the rows it wrote, and each id it
skipped is settled like a re-send (no-op or 409).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.errors import StatementConflict
from lms_cx.xapi.index import activity_rows, agent_rows, statement_columns
from lms_cx.xapi.prepare import same_statement

_STATEMENTS = Statement.__table__
#: Built once (constructing statements costs more than running these).
_INSERT_ONE = sa.insert(_STATEMENTS).returning(_STATEMENTS.c.seq)
_INSERT_MANY = sa.insert(_STATEMENTS)
_SEQS_OF_IDS = sa.select(_STATEMENTS.c.statement_id, _STATEMENTS.c.seq).where(
    _STATEMENTS.c.statement_id.in_(sa.bindparam("ids", expanding=True))
)
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
        new, values, seqs = _insert_new_postgresql(session, new, originals, values)
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
    if len(values) == 1:
        return [session.execute(_INSERT_ONE, values[0]).scalar_one()]
    session.execute(_INSERT_MANY, values)
    ids = [row["statement_id"] for row in values]
    seqs = dict(session.execute(_SEQS_OF_IDS, {"ids": ids}).all())
    return [seqs[statement_id] for statement_id in ids]


def _insert_new_postgresql(
    session: Session,
    new: list[tuple[int, dict[str, Any]]],
    originals: list[dict[str, Any]],
    values: list[dict[str, Any]],
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]], list[int]]:
    """Insert with ON CONFLICT DO NOTHING; a statement stored meanwhile is a no-op or a 409.

    Returns the statements actually inserted, their column values and their seqs.
    """
    inserted = dict(session.execute(_INSERT_NEW_PG, values).all())
    kept_new, kept_values, seqs = [], [], []
    for (index, prepared), row in zip(new, values, strict=True):
        seq = inserted.get(row["statement_id"])
        if seq is None:
            other = session.scalar(_RAW_OF_ID, {"statement_id": row["statement_id"]})
            if not same_statement(other, originals[index]):
                field = f"statements[{index}].id" if len(originals) > 1 else "id"
                raise StatementConflict(
                    "a different statement with this id is already stored", field
                )
            continue
        kept_new.append((index, prepared))
        kept_values.append(row)
        seqs.append(seq)
    return kept_new, kept_values, seqs


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
        session.execute(_INSERT_ACTIVITIES, activities)
    if agents:
        session.execute(_INSERT_AGENTS, agents)
