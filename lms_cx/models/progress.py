"""The progress projection: where each learner stands in each activity, per registration."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms_cx.db import Base


class Progress(Base):
    """Status, scores and times of one actor in one activity within one registration.

    A projection of the statements table, written by one function for every stored statement
    (ours or an external tool's) and rebuilt from the ledger by ``flask lms-cx progress rebuild``.
    ``registration`` is the assignment's UUID as text, or ``''`` for statements without one
    (the empty string rather than NULL, so the unique constraint holds on every database).
    """

    __tablename__ = "lms_cx_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(sa.String(36), default="", server_default="")
    #: The actor's inverse functional identifier, e.g. ``mbox:mailto:a@example.com``.
    actor_ifi: Mapped[str] = mapped_column(sa.String(500))
    #: Resolved from the actor when it is one of ours; external learners stay NULL.
    employee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    activity_id: Mapped[str] = mapped_column(sa.String(500))
    #: ``attempted``, ``completed``, ``passed``, ``failed`` (the projection owns the values).
    status: Mapped[str] = mapped_column(sa.String(20), default="attempted")
    completion: Mapped[bool | None]
    success: Mapped[bool | None]
    best_score_scaled: Mapped[float | None]
    last_score_scaled: Mapped[float | None]
    attempts: Mapped[int] = mapped_column(default=0)
    first_activity_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    passed_at: Mapped[datetime | None]
    last_statement_id: Mapped[uuid.UUID | None]

    __table_args__ = (
        sa.UniqueConstraint(
            "registration", "actor_ifi", "activity_id", name="uq_lms_cx_progress_key"
        ),
        sa.Index("ix_lms_cx_progress_employee_activity", "employee_id", "activity_id"),
    )
