"""The in-app inbox: adding notifications exactly once, listing them, marking them read.

Every producer gives each notification a ``dedupe_key`` that names the event (``due-soon:7:<id>``,
``escalation:<id>:<manager>``); the key is unique in the database, so a producer that runs
twice, or two producers at once, still leave one row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lms_cx.models import Notification

#: Notifications per inbox page.
PAGE_SIZE = 30


@dataclass(frozen=True)
class NewNotification:
    """A notification to add: to whom, what it says, and the key that makes it unique."""

    employee_id: int
    kind: str
    subject: str
    body: str
    link: str | None
    dedupe_key: str


@dataclass(frozen=True)
class InboxPage:
    """One page of a person's inbox, newest first."""

    items: list[Notification]
    unread: int
    page: int
    has_more: bool


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Return which of ``keys`` already belong to a notification."""
    keys = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(
                sa.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))
            )
        )
    return found


def add_notifications(session: Session, items: Sequence[NewNotification], now: datetime) -> int:
    """Add ``items`` whose key is new (the database refuses a repeated key); return how many."""
    fresh = {item.dedupe_key: item for item in items}
    for key in existing_keys(session, fresh):
        del fresh[key]
    if not fresh:
        return 0
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "employee_id": item.employee_id,
            "kind": item.kind,
            "subject": item.subject[:300],
            "body": item.body,
            "link": item.link,
            "dedupe_key": item.dedupe_key,
            "created_at": now,
        }
        for item in fresh.values()
    ]
    added = 0
    for start in range(0, len(rows), 200):
        statement = (
            insert(Notification)
            .values(rows[start : start + 200])
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.id)
        )
        added += len(session.execute(statement).all())
    return added


def inbox_page(session: Session, employee_id: int, page: int = 1) -> InboxPage:
    """Return page ``page`` (from 1) of the employee's notifications and their unread count."""
    page = max(page, 1)
    rows = list(
        session.scalars(
            sa.select(Notification)
            .where(Notification.employee_id == employee_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return InboxPage(
        items=rows[:PAGE_SIZE],
        unread=unread_count(session, employee_id),
        page=page,
        has_more=len(rows) > PAGE_SIZE,
    )


def unread_count(session: Session, employee_id: int) -> int:
    """Return how many of the employee's notifications are unread."""
    return (
        session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.employee_id == employee_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(session: Session, employee_id: int, notification_id: int, now: datetime) -> bool:
    """Mark one of the employee's own notifications read; return False when it is not theirs."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.employee_id != employee_id:
        return False
    if notification.read_at is None:
        notification.read_at = now
    session.commit()
    return True


def mark_all_read(session: Session, employee_id: int, now: datetime) -> int:
    """Mark every unread notification of the employee read; return how many changed."""
    changed = session.execute(
        sa.update(Notification)
        .where(Notification.employee_id == employee_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return changed or 0
