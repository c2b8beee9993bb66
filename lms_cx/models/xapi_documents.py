"""The LRS's other resources: attachments, activity definitions, state and profile documents.

Documents are stored as bytes with their content type and an ETag, because the xAPI
document APIs (xAPI 1.0.3, part three, 2.3-2.6) accept any media type and use
``If-Match``/``If-None-Match`` for concurrency control.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms_cx.db import Base, utcnow


class Attachment(Base):
    """An attachment's bytes, stored once per SHA-2 hash however many statements use it."""

    __tablename__ = "lms_cx_attachment"

    sha2: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(255))
    length: Mapped[int] = mapped_column(sa.BigInteger)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """The canonical definition of an activity, served by ``GET /xapi/activities``."""

    __tablename__ = "lms_cx_activity"

    activity_id: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StateDocument(Base):
    """A state document an activity keeps for an agent (and optionally a registration).

    ``registration`` is ``''`` when absent, so the unique key holds on every database.
    """

    __tablename__ = "lms_cx_state_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(500))
    agent_ifi: Mapped[str] = mapped_column(sa.String(500))
    registration: Mapped[str] = mapped_column(sa.String(36), default="", server_default="")
    state_id: Mapped[str] = mapped_column(sa.String(500))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str] = mapped_column(sa.String(255))
    etag: Mapped[str] = mapped_column(sa.String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint(
            "activity_id",
            "agent_ifi",
            "registration",
            "state_id",
            name="uq_lms_cx_state_document_key",
        ),
    )


class ActivityProfile(Base):
    """A profile document attached to an activity."""

    __tablename__ = "lms_cx_activity_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.String(500))
    profile_id: Mapped[str] = mapped_column(sa.String(500))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str] = mapped_column(sa.String(255))
    etag: Mapped[str] = mapped_column(sa.String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("activity_id", "profile_id", name="uq_lms_cx_activity_profile_key"),
    )


class AgentProfile(Base):
    """A profile document attached to an agent."""

    __tablename__ = "lms_cx_agent_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_ifi: Mapped[str] = mapped_column(sa.String(500))
    profile_id: Mapped[str] = mapped_column(sa.String(500))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str] = mapped_column(sa.String(255))
    etag: Mapped[str] = mapped_column(sa.String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("agent_ifi", "profile_id", name="uq_lms_cx_agent_profile_key"),
    )
