"""The forwarding outbox in figures: queue depth, oldest pending item, recent errors.

``outbox_status`` serves ``flask lms-cx xapi status`` and the admin page alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models.xapi import OutboxItem


@dataclass(frozen=True)
class OutboxError:
    """The last error of one item that failed (and is retried, or dead)."""

    destination: str
    statement_id: uuid.UUID
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class DestinationFigures:
    """Counts of one destination's items by status."""

    destination: str
    pending: int = 0
    delivered: int = 0
    dead: int = 0
    oldest_pending_at: datetime | None = None


@dataclass(frozen=True)
class OutboxStatus:
    """The state of the forwarding queue."""

    destinations: list[DestinationFigures] = field(default_factory=list)
    recent_errors: list[OutboxError] = field(default_factory=list)

    @property
    def pending(self) -> int:
        """Return the number of items waiting to be delivered, all destinations together."""
        return sum(d.pending for d in self.destinations)

    @property
    def dead(self) -> int:
        """Return the number of items that ran out of attempts."""
        return sum(d.dead for d in self.destinations)

    @property
    def oldest_pending_at(self) -> datetime | None:
        """Return when the oldest waiting item was queued."""
        times = [d.oldest_pending_at for d in self.destinations if d.oldest_pending_at]
        return min(times, default=None)


def outbox_status(session: Session, *, errors: int = 10) -> OutboxStatus:
    """Return the queue's figures per destination and its ``errors`` most recent errors."""
    rows = session.execute(
        sa.select(
            OutboxItem.destination,
            OutboxItem.status,
            sa.func.count(),
            sa.func.min(OutboxItem.created_at),
        ).group_by(OutboxItem.destination, OutboxItem.status)
    ).all()
    figures: dict[str, dict] = {}
    for destination, status, count, oldest in rows:
        entry = figures.setdefault(destination, {"destination": destination})
        entry[status] = count
        if status == "pending":
            entry["oldest_pending_at"] = oldest
    failed = session.scalars(
        sa.select(OutboxItem)
        .where(OutboxItem.last_error.is_not(None), OutboxItem.status != "delivered")
        .order_by(OutboxItem.id.desc())
        .limit(errors)
    )
    return OutboxStatus(
        destinations=[DestinationFigures(**entry) for _, entry in sorted(figures.items())],
        recent_errors=[
            OutboxError(
                destination=item.destination,
                statement_id=item.statement_id,
                status=item.status,
                attempts=item.attempts,
                last_error=item.last_error or "",
                next_attempt_at=item.next_attempt_at,
            )
            for item in failed
        ],
    )
