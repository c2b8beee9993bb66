"""Slow down password guessing: lock an email, or a network address, after repeated failures.

Counting per email stops guessing one person's password; counting per address stops one
machine from trying a short password list against every account. Unknown emails are counted
like known ones, so the lock reveals nothing about who has an account.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models.security import LoginThrottle


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures lock an email or an address, and for how long."""

    max_per_email: int = 5
    max_per_address: int = 30
    lock_seconds: int = 900

    @classmethod
    def from_config(cls, config: dict) -> ThrottlePolicy:
        """Read the policy from ``LMS_CX_LOGIN_*`` settings."""
        return cls(
            max_per_email=int(config["LMS_CX_LOGIN_MAX_FAILURES"]),
            max_per_address=int(config["LMS_CX_LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            lock_seconds=int(config["LMS_CX_LOGIN_LOCK_SECONDS"]),
        )


def throttle_keys(email: str, address: str | None) -> dict[str, str]:
    """Return the throttle keys of a sign-in: ``{"email": ..., "address": ...}``."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = {"email": f"email:{digest}"}
    if address:
        keys["address"] = f"ip:{address}"[:120]
    return keys


def locked_until(
    session: Session, keys: dict[str, str], now: datetime | None = None
) -> datetime | None:
    """Return when the latest lock on any of ``keys`` ends, or None when sign-in is allowed."""
    now = now or utcnow()
    ends = session.scalars(
        sa.select(LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(keys.values()), LoginThrottle.locked_until > now
        )
    ).all()
    return max(ends, default=None)


def record_failure(
    session: Session, keys: dict[str, str], policy: ThrottlePolicy, now: datetime | None = None
) -> None:
    """Count a failed sign-in against every key; lock a key that reaches its limit. Commits."""
    now = now or utcnow()
    window = timedelta(seconds=policy.lock_seconds)
    limits = {"email": policy.max_per_email, "address": policy.max_per_address}
    for kind, key in keys.items():
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            session.add(row)
        elif row.window_started_at + window <= now:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limits[kind]:
            row.locked_until = now + window
    try:
        session.commit()
    except IntegrityError:
        # Another request created the row first; counting one failure fewer is harmless.
        session.rollback()


def record_success(session: Session, keys: dict[str, str]) -> None:
    """Forget the failures of this email after a successful sign-in (the address keeps its)."""
    session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == keys["email"]))
    session.commit()
