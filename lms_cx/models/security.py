"""Sign-in throttling: failed attempts counted per email and per network address."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms_cx.db import Base


class LoginThrottle(Base):
    """Failed sign-ins for one key (``email:<sha256>`` or ``ip:<address>``) in the current window.

    Kept in the database rather than in memory so that every worker process of a deployment
    counts the same failures. Emails are stored hashed: this table is not a list of who tried.
    """

    __tablename__ = "lms_cx_login_throttle"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
