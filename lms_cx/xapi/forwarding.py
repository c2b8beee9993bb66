"""Forward stored statements to external LRSs from the durable outbox.

Each outbox item is claimed with a lease before it is sent: a short transaction selects due
items (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share the queue; SQLite
serialises writers) and pushes their ``next_attempt_at`` past the request timeout. The batch
is then POSTed with httpx outside any transaction. Success marks the items ``delivered``; a
failure records the error and schedules a retry with exponential backoff, and after the last
attempt the item is ``dead`` (kept, never dropped). A worker that dies mid-send leaves its
items to be retried when the lease ends. Statement ids travel unchanged, so a re-send is a
no-op for the receiving LRS and every statement arrives exactly once by id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models.xapi import OutboxItem, Statement
from lms_cx.xapi.attachments import multipart_response
from lms_cx.xapi.destinations import Destination, forward_destinations
from lms_cx.xapi.vocab import XAPI_VERSION

#: Longest wait between two attempts, however many failed.
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class ForwardSettings:
    """How the forwarder batches, waits and retries (from ``LMS_CX_XAPI_FORWARD_*``)."""

    batch_size: int = 50
    max_attempts: int = 12
    backoff_seconds: float = 30
    timeout: float = 15

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ForwardSettings:
        """Read the settings from an app's config."""
        return cls(
            batch_size=int(config.get("LMS_CX_XAPI_FORWARD_BATCH_SIZE") or 50),
            max_attempts=int(config.get("LMS_CX_XAPI_FORWARD_MAX_ATTEMPTS") or 12),
            backoff_seconds=float(config.get("LMS_CX_XAPI_FORWARD_BACKOFF_SECONDS") or 0),
            timeout=float(config.get("LMS_CX_XAPI_FORWARD_TIMEOUT") or 15),
        )

    def delay(self, attempts: int) -> timedelta:
        """Return the wait before attempt ``attempts + 1``: doubling, capped at six hours."""
        seconds = self.backoff_seconds * (2 ** max(attempts - 1, 0))
        return min(timedelta(seconds=seconds), MAX_BACKOFF)


@dataclass
class ForwardReport:
    """What one drain of the outbox did."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def claim_batch(
    session: Session, destination: Destination, settings: ForwardSettings, now: datetime
) -> list[tuple[int, int]]:
    """Claim up to a batch of due items; return ``(item id, statement seq)`` pairs."""
    due = (
        sa.select(OutboxItem.id, OutboxItem.statement_seq)
        .where(
            OutboxItem.status == "pending",
            OutboxItem.destination == destination.name,
            OutboxItem.next_attempt_at <= now,
        )
        .order_by(OutboxItem.id)
        .limit(settings.batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    else:
        # Take SQLite's write lock first, so two workers cannot claim the same items.
        session.execute(sa.update(OutboxItem).where(sa.false()).values(attempts=0))
    claimed = [(row.id, row.statement_seq) for row in session.execute(due)]
    if claimed:
        lease = now + timedelta(seconds=settings.timeout * 2 + 5)
        session.execute(
            sa.update(OutboxItem)
            .where(OutboxItem.id.in_([item for item, _ in claimed]))
            .values(next_attempt_at=lease)
        )
    session.commit()
    return claimed


def send_batch(
    client: httpx.Client, destination: Destination, body: bytes, content_type: str
) -> httpx.Response:
    """POST one batch of statements to ``destination``'s Statement resource."""
    auth = (
        (destination.username or "", destination.password or "") if destination.username else None
    )
    return client.post(
        destination.endpoint.rstrip("/") + "/statements",
        content=body,
        headers={"Content-Type": content_type, "X-Experience-API-Version": XAPI_VERSION},
        auth=auth,
    )


def _batch_body(session: Session, seqs: list[int]) -> tuple[bytes, str]:
    raws = [
        raw
        for raw in session.scalars(
            sa.select(Statement.raw).where(Statement.seq.in_(seqs)).order_by(Statement.seq)
        )
    ]
    if any(raw.get("attachments") for raw in raws):
        # An LRS must not push statements without the attachment data it holds (1.5.2).
        return multipart_response(session, raws, raws)
    return json.dumps(raws, ensure_ascii=False).encode("utf-8"), "application/json"


def _finish(
    session: Session,
    item_ids: list[int],
    settings: ForwardSettings,
    error: str | None,
    report: ForwardReport,
    *,
    final: bool = False,
) -> None:
    now = utcnow()
    if error is None:
        session.execute(
            sa.update(OutboxItem)
            .where(OutboxItem.id.in_(item_ids))
            .values(status="delivered", delivered_at=now, last_error=None, next_attempt_at=None)
        )
        report.delivered += len(item_ids)
    else:
        report.errors.append(error)
        for item in session.scalars(sa.select(OutboxItem).where(OutboxItem.id.in_(item_ids))):
            item.attempts += 1
            item.last_error = error[:2000]
            if final or item.attempts >= settings.max_attempts:
                item.status = "dead"
                item.next_attempt_at = None
                report.dead += 1
            else:
                item.next_attempt_at = now + settings.delay(item.attempts)
                report.failed += 1
    session.commit()


def forward_once(
    session: Session,
    destination: Destination,
    settings: ForwardSettings,
    client: httpx.Client,
    report: ForwardReport,
) -> int:
    """Claim and send one batch to ``destination``; return how many items were claimed."""
    claimed = claim_batch(session, destination, settings, utcnow())
    if not claimed:
        return 0
    item_ids = [item for item, _ in claimed]
    body, content_type = _batch_body(session, [seq for _, seq in claimed])
    session.rollback()  # release the read transaction while the request is in flight
    try:
        response = send_batch(client, destination, body, content_type)
    except httpx.HTTPError as error:
        _finish(session, item_ids, settings, f"{type(error).__name__}: {error}", report)
        return len(claimed)
    if response.status_code in (200, 204):
        _finish(session, item_ids, settings, None, report)
    elif response.status_code in (400, 409) and len(claimed) > 1:
        # One statement spoils the batch: send them one by one to find it.
        for item_id, seq in claimed:
            one = [(item_id, seq)]
            _send_single(session, destination, settings, client, report, one)
    else:
        error = f"HTTP {response.status_code}: {response.text[:500]}"
        final = response.status_code in (400, 409)  # the same request will never succeed
        _finish(session, item_ids, settings, error, report, final=final)
    return len(claimed)


def _send_single(
    session: Session,
    destination: Destination,
    settings: ForwardSettings,
    client: httpx.Client,
    report: ForwardReport,
    claimed: list[tuple[int, int]],
) -> None:
    body, content_type = _batch_body(session, [seq for _, seq in claimed])
    session.rollback()
    item_ids = [item for item, _ in claimed]
    try:
        response = send_batch(client, destination, body, content_type)
    except httpx.HTTPError as error:
        _finish(session, item_ids, settings, f"{type(error).__name__}: {error}", report)
        return
    if response.status_code in (200, 204):
        _finish(session, item_ids, settings, None, report)
    else:
        final = response.status_code in (400, 409)
        error = f"HTTP {response.status_code}: {response.text[:500]}"
        _finish(session, item_ids, settings, error, report, final=final)


def drain_outbox(
    session: Session,
    config: Mapping[str, Any],
    *,
    client: httpx.Client | None = None,
    max_batches: int | None = None,
) -> ForwardReport:
    """Send every due outbox item of every destination, batch by batch, until none is due."""
    settings = ForwardSettings.from_config(config)
    report = ForwardReport()
    own_client = client is None
    client = client or httpx.Client(timeout=settings.timeout)
    batches = 0
    try:
        for destination in forward_destinations(config):
            while max_batches is None or batches < max_batches:
                failures = report.failed
                if forward_once(session, destination, settings, client, report) == 0:
                    break
                batches += 1
                if report.failed > failures:
                    break  # the destination is failing: leave it to its backoff
    finally:
        if own_client:
            client.close()
    return report
