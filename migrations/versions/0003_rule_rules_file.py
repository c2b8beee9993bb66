"""Remember which rules file manages an assignment rule, so a sync can remove dropped rules.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_cx_assignment_rule") as batch:
        batch.add_column(sa.Column("rules_file", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lms_cx_assignment_rule") as batch:
        batch.drop_column("rules_file")
