"""lms_cx's own declarative base, column types and access to the host's session.

Models live on their own ``DeclarativeBase`` so that lms_cx never mixes its tables into
the host application's metadata (and its migrations never see the host's tables), yet
they are queried through whatever Flask-SQLAlchemy session the app already has.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

TABLE_PREFIX = "lms_cx_"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON on SQLite, JSONB on PostgreSQL (indexable, compared by value).
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Store timezone-aware UTC datetimes and always load them as aware UTC.

    SQLite has no timezone type; without this, values read back are naive and
    comparisons with ``utcnow()`` raise.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert an aware datetime to UTC (naive on SQLite, which has no zone type)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: lms_cx stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def new_uuid() -> uuid.UUID:
    """Return a random UUID (used for ids that travel in xAPI statements)."""
    return uuid.uuid4()


class Base(DeclarativeBase):
    """Declarative base of every lms_cx table (all named ``lms_cx_*``)."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        dict[str, str]: JSONType,
        list[Any]: JSONType,
        list[str]: JSONType,
        uuid.UUID: sa.Uuid(),
    }


class TimestampMixin:
    """``created_at`` / ``updated_at`` columns kept by the database session."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def get_session() -> Session:
    """Return the Flask-SQLAlchemy session lms_cx works through in this app context."""
    return current_app.extensions["sqlalchemy"].session


def get_engine() -> sa.Engine:
    """Return the engine of the app's default bind (where lms_cx's tables live)."""
    return current_app.extensions["sqlalchemy"].engine
