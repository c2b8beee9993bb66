"""Performance reviews: cycles, the packet generated per employee, and managers' notes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, utcnow
from lms_cx.models.checks import one_of

if TYPE_CHECKING:
    from lms_cx.models.people import Employee

CYCLE_STATUSES = ("draft", "open", "closed")


class ReviewCycle(Base):
    """A review period and the population of employees who get a packet in it."""

    __tablename__ = "lms_cx_review_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    #: Which employees take part, in the same criteria language as assignment rules.
    population: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    #: The cycle packets compare against ("since last review").
    previous_cycle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_review_cycle.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    previous_cycle: Mapped[ReviewCycle | None] = relationship(remote_side=[id])
    packets: Mapped[list[ReviewPacket]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        one_of("status", CYCLE_STATUSES, "status"),
        sa.CheckConstraint("period_end >= period_start", name="period"),
    )


class ReviewPacket(Base):
    """An employee's review packet: training results and customer feedback for the period.

    ``data`` is the figures frozen when generated (or finalized), so the packet reads the
    same later whatever happens to the underlying rows.
    """

    __tablename__ = "lms_cx_review_packet"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_review_cycle.id", ondelete="CASCADE")
    )
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    readiness_index: Mapped[float | None]
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalized_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    employee_comment: Mapped[str | None] = mapped_column(sa.Text)

    cycle: Mapped[ReviewCycle] = relationship(back_populates="packets")
    employee: Mapped[Employee] = relationship()
    notes: Mapped[list[ReviewNote]] = relationship(
        back_populates="packet",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReviewNote.created_at",
    )

    __table_args__ = (sa.UniqueConstraint("cycle_id", "employee_id"),)


class ReviewNote(Base):
    """A note a manager (or HR) adds to a review packet."""

    __tablename__ = "lms_cx_review_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_review_packet.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    packet: Mapped[ReviewPacket] = relationship(back_populates="notes")
