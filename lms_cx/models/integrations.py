"""Integrations: API tokens for the REST API, outgoing webhooks and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, utcnow
from lms_cx.models.checks import one_of

DELIVERY_STATUSES = ("pending", "delivered", "dead")


class ApiToken(Base):
    """A bearer token for the REST API; only its hash is stored."""

    __tablename__ = "lms_cx_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    #: ``feedback:write``, ``reviews:read``, ...
    scopes: Mapped[list[str]] = mapped_column(default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Webhook(Base):
    """An HTTP endpoint notified of one kind of event, signed with ``secret``."""

    __tablename__ = "lms_cx_webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(2000))
    #: Kept in clear because it signs every payload (HMAC); it is never shown again.
    secret: Mapped[str] = mapped_column(sa.String(200))
    #: ``review_packet.finalized``, ``certificate.issued``, ...
    event: Mapped[str] = mapped_column(sa.String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True
    )


class WebhookDelivery(Base):
    """One event payload owed to one webhook, retried until delivered or dead.

    ``payload_key`` (e.g. ``review_packet:42:finalized``) makes queuing idempotent.
    """

    __tablename__ = "lms_cx_webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_webhook.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(100))
    payload_key: Mapped[str] = mapped_column(sa.String(200))
    # Frozen at queue time, so a retry sends what the event said then.
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")

    __table_args__ = (
        sa.UniqueConstraint("webhook_id", "payload_key"),
        one_of("status", DELIVERY_STATUSES, "status"),
        sa.Index("ix_lms_cx_webhook_delivery_due", "status", "next_attempt_at"),
    )
