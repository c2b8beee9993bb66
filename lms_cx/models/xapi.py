"""The LRS ledger: statements, their index rows, credentials and the forwarding outbox.

The original statement JSON is kept in ``raw`` exactly as stored (pydantic dumps would
rewrite scores as strings); the other columns are extracted from it for querying.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, utcnow
from lms_cx.models.checks import one_of

#: A 64-bit sequence on PostgreSQL; SQLite only autoincrements an ``INTEGER PRIMARY KEY``.
SeqType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

OUTBOX_STATUSES = ("pending", "delivered", "dead")


class LrsCredential(Base):
    """A key/secret pair an xAPI client uses (HTTP Basic) to read or write the LRS."""

    __tablename__ = "lms_cx_lrs_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(300))
    #: xAPI scopes (``statements/write``, ``statements/read/mine``, ``all``, ...).
    scopes: Mapped[list[str]] = mapped_column(default=list)
    #: The Agent put in ``authority`` of statements this credential stores.
    authority: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class Statement(Base):
    """A stored xAPI statement (xAPI 1.0.3, part three, 2.1).

    ``seq`` orders statements by storage and pages the ``more`` links; ``statement_id`` is
    the statement's own id.
    """

    __tablename__ = "lms_cx_statement"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    statement_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    raw: Mapped[dict[str, Any]]
    stored: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    timestamp: Mapped[datetime]
    verb_id: Mapped[str] = mapped_column(sa.String(500))
    actor_ifi: Mapped[str] = mapped_column(sa.String(500))
    #: ``Activity``, ``Agent``, ``Group``, ``StatementRef`` or ``SubStatement``.
    object_type: Mapped[str] = mapped_column(sa.String(20))
    #: The activity id, the agent's IFI or the referenced statement id.
    object_id: Mapped[str] = mapped_column(sa.String(500))
    registration: Mapped[uuid.UUID | None]
    voided: Mapped[bool] = mapped_column(default=False)
    voided_by: Mapped[uuid.UUID | None]
    #: Set on a voiding statement: the id of the statement it voids.
    voids_statement_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    authority_ifi: Mapped[str | None] = mapped_column(sa.String(500))
    credential_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_lrs_credential.id", ondelete="SET NULL")
    )

    activities: Mapped[list[StatementActivity]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    agents: Mapped[list[StatementAgent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.Index("ix_lms_cx_statement_actor_verb_stored", "actor_ifi", "verb_id", "stored"),
        sa.Index("ix_lms_cx_statement_verb_stored", "verb_id", "stored"),
        sa.Index("ix_lms_cx_statement_object_stored", "object_id", "stored"),
        sa.Index("ix_lms_cx_statement_registration_stored", "registration", "stored"),
    )


class StatementActivity(Base):
    """An activity a statement mentions, for ``activity=...&related_activities=true`` queries.

    ``relation`` is ``object``, ``parent``, ``grouping``, ``category``, ``other`` or
    ``substatement``.
    """

    __tablename__ = "lms_cx_statement_activity"

    statement_seq: Mapped[int] = mapped_column(
        SeqType, sa.ForeignKey("lms_cx_statement.seq", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    relation: Mapped[str] = mapped_column(sa.String(20), primary_key=True)

    __table_args__ = (
        sa.Index("ix_lms_cx_statement_activity_activity_seq", "activity_id", "statement_seq"),
    )


class StatementAgent(Base):
    """An agent a statement mentions, for ``agent=...&related_agents=true`` queries.

    ``relation`` is ``actor``, ``object``, ``authority``, ``instructor``, ``team`` or
    ``member``.
    """

    __tablename__ = "lms_cx_statement_agent"

    statement_seq: Mapped[int] = mapped_column(
        SeqType, sa.ForeignKey("lms_cx_statement.seq", ondelete="CASCADE"), primary_key=True
    )
    agent_ifi: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    relation: Mapped[str] = mapped_column(sa.String(20), primary_key=True)

    __table_args__ = (
        # ``relation`` last: agent filters are answered from the index alone.
        sa.Index("ix_lms_cx_statement_agent_agent_seq", "agent_ifi", "statement_seq", "relation"),
    )


class OutboxItem(Base):
    """A statement waiting to be forwarded to one external LRS (durable, retried).

    Written in the statement's transaction; a failed delivery records its error and the next
    attempt time; after the last retry the item is ``dead``, never dropped.
    """

    __tablename__ = "lms_cx_outbox_item"

    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    statement_seq: Mapped[int] = mapped_column(
        SeqType, sa.ForeignKey("lms_cx_statement.seq", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[uuid.UUID]
    #: The configured destination's name (``LMS_CX_XAPI_FORWARD`` key).
    destination: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("statement_id", "destination"),
        one_of("status", OUTBOX_STATUSES, "status"),
        sa.Index("ix_lms_cx_outbox_item_due", "status", "destination", "next_attempt_at"),
    )
