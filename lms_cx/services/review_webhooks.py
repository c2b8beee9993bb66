"""Signed webhooks that post each finalized review packet to an HR system.

Finalizing a packet queues one delivery per active webhook (idempotent by
``review_packet:<id>:finalized``); ``deliver_webhooks`` posts what is due with httpx and
retries failures with a doubling delay until ``LMS_CX_WEBHOOK_MAX_ATTEMPTS``, after which
the delivery is ``dead`` (kept with its error, never dropped).

Each request carries ``X-LmsCx-Signature: t=<unix time>,v1=<hex>``, where ``<hex>`` is the
HMAC-SHA256, keyed with the webhook's secret, of ``<unix time>.`` followed by the exact body
bytes. The receiver recomputes it and refuses stale times, so a captured request cannot be
replayed later (``docs/reviews.md`` shows a receiver).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.models import Webhook, WebhookDelivery

PACKET_FINALIZED = "review_packet.finalized"
#: Events a webhook may subscribe to.
WEBHOOK_EVENTS = (PACKET_FINALIZED,)
SIGNATURE_HEADER = "X-LmsCx-Signature"
#: Longest delay between two tries of one delivery.
MAX_BACKOFF = timedelta(hours=6)


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """Return the exact bytes sent (and signed) for ``payload``."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``X-LmsCx-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, now: int, tolerance_seconds: int = 300
) -> bool:
    """Return True when ``header`` signs ``body`` with ``secret`` within the tolerance."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass(frozen=True)
class NewWebhook:
    """A webhook just created: ``secret`` is shown this once."""

    id: int
    name: str
    url: str
    secret: str


def create_webhook(
    session: Session, name: str, url: str, event: str = PACKET_FINALIZED
) -> NewWebhook:
    """Add a webhook with a fresh secret and commit; raise ``ValidationError`` on bad input."""
    name, url = (name or "").strip(), (url or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("name the webhook, up to 200 characters"), field="name")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise ValidationError(_("give an http:// or https:// address"), field="url")
    if event not in WEBHOOK_EVENTS:
        raise ValidationError(_("unknown event %(event)s", event=event), field="event")
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook = Webhook(name=name, url=url, secret=secret, event=event, is_active=True)
    session.add(webhook)
    session.commit()
    return NewWebhook(webhook.id, webhook.name, webhook.url, secret)


@dataclass(frozen=True)
class WebhookView:
    """A webhook as the admin page lists it (never its secret), with its delivery counts."""

    id: int
    name: str
    url: str
    event: str
    is_active: bool
    counts: dict[str, int]
    last_error: str | None


def list_webhooks(session: Session) -> list[WebhookView]:
    """Return every webhook with how many deliveries are pending, delivered and dead."""
    counts: dict[int, dict[str, int]] = {}
    for webhook_id, status, count in session.execute(
        sa.select(WebhookDelivery.webhook_id, WebhookDelivery.status, sa.func.count()).group_by(
            WebhookDelivery.webhook_id, WebhookDelivery.status
        )
    ):
        counts.setdefault(webhook_id, {})[status] = count
    errors = dict(
        session.execute(
            sa.select(WebhookDelivery.webhook_id, WebhookDelivery.last_error)
            .where(WebhookDelivery.last_error.is_not(None), WebhookDelivery.status != "delivered")
            .order_by(WebhookDelivery.id)
        ).all()
    )
    return [
        WebhookView(
            w.id,
            w.name,
            w.url,
            w.event,
            w.is_active,
            {s: counts.get(w.id, {}).get(s, 0) for s in ("pending", "delivered", "dead")},
            errors.get(w.id),
        )
        for w in session.scalars(sa.select(Webhook).order_by(Webhook.id))
    ]


def delete_webhook(session: Session, webhook_id: int) -> bool:
    """Delete a webhook and its deliveries; commit; return False when there is none."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        return False
    session.delete(webhook)
    session.commit()
    return True


def queue_packet_deliveries(
    session: Session, records: list[tuple[int, dict[str, Any]]], now: datetime
) -> list[int]:
    """Queue each finalized packet record for every active webhook (flushed, not committed)."""
    hooks = session.scalars(
        sa.select(Webhook).where(Webhook.is_active.is_(True), Webhook.event == PACKET_FINALIZED)
    ).all()
    if not hooks or not records:
        return []
    keys = [f"review_packet:{packet_id}:finalized" for packet_id, _record in records]
    queued = set(
        session.execute(
            sa.select(WebhookDelivery.webhook_id, WebhookDelivery.payload_key).where(
                WebhookDelivery.payload_key.in_(keys)
            )
        ).all()
    )
    deliveries = []
    for hook in hooks:
        for (_packet_id, record), key in zip(records, keys, strict=True):
            if (hook.id, key) in queued:
                continue
            payload = {"event": PACKET_FINALIZED, "delivery_key": key, "packet": record}
            delivery = WebhookDelivery(
                webhook_id=hook.id,
                event=PACKET_FINALIZED,
                payload_key=key,
                payload=payload,
                status="pending",
                next_attempt_at=now,
            )
            session.add(delivery)
            deliveries.append(delivery)
    session.flush()
    return [delivery.id for delivery in deliveries]


@dataclass(frozen=True)
class DeliveryRun:
    """What one run of ``deliver_webhooks`` did."""

    delivered: int
    failed: int
    dead: int


@dataclass(frozen=True)
class DeliverySettings:
    """Timeout and retry policy."""

    timeout: float
    max_attempts: int
    backoff_seconds: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeliverySettings:
        """Read the ``LMS_CX_WEBHOOK_*`` keys."""
        return cls(
            float(config["LMS_CX_WEBHOOK_TIMEOUT"]),
            int(config["LMS_CX_WEBHOOK_MAX_ATTEMPTS"]),
            int(config["LMS_CX_WEBHOOK_BACKOFF_SECONDS"]),
        )


def deliver_webhooks(
    session: Session,
    settings: DeliverySettings,
    *,
    now: datetime | None = None,
    delivery_ids: list[int] | None = None,
    limit: int = 200,
) -> DeliveryRun:
    """Post the pending deliveries that are due (or just ``delivery_ids``); commit each."""
    now = now or utcnow()
    query = (
        sa.select(WebhookDelivery)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == "pending", Webhook.is_active.is_(True))
        .order_by(WebhookDelivery.id)
        .limit(limit)
    )
    if delivery_ids is not None:
        query = query.where(WebhookDelivery.id.in_(delivery_ids))
    else:
        query = query.where(WebhookDelivery.next_attempt_at <= now)
    delivered = failed = dead = 0
    with httpx.Client(timeout=settings.timeout, follow_redirects=False) as client:
        for delivery in session.scalars(query).all():
            error = _post(client, delivery, now)
            delivery.attempts += 1
            if error is None:
                delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
                delivered += 1
            else:
                delivery.last_error = error
                if delivery.attempts >= settings.max_attempts:
                    delivery.status = "dead"
                    dead += 1
                else:
                    wait = timedelta(
                        seconds=settings.backoff_seconds * 2 ** (delivery.attempts - 1)
                    )
                    delivery.next_attempt_at = now + min(wait, MAX_BACKOFF)
                    failed += 1
            session.commit()
    return DeliveryRun(delivered, failed, dead)


def _post(client: httpx.Client, delivery: WebhookDelivery, now: datetime) -> str | None:
    """Post one delivery; return None on a 2xx answer, else the error in words."""
    hook = delivery.webhook
    body = body_bytes(delivery.payload)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "lms_cx-webhooks",
        "X-LmsCx-Event": delivery.event,
        "X-LmsCx-Delivery": delivery.payload_key,
        SIGNATURE_HEADER: signature(hook.secret, int(now.timestamp()), body),
    }
    try:
        response = client.post(hook.url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"[:1000]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text[:300]}"
