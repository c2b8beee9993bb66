"""Let agent filters answer from the index alone: add ``relation`` to the agent index.

An ``agent`` query checks each match's relation (actor, object, ...); with the relation in the
index, PostgreSQL and SQLite no longer visit the table row for every candidate.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:35:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "lms_cx_statement_agent"
INDEX = "ix_lms_cx_statement_agent_agent_seq"


def upgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, ["agent_ifi", "statement_seq", "relation"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, ["agent_ifi", "statement_seq"])
