"""Customer feedback about employees, its competency themes and the remedial rules it drives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, TimestampMixin, utcnow
from lms_cx.models.checks import between, course_or_module

if TYPE_CHECKING:
    from lms_cx.models.catalog import Track


class FeedbackImport(Base):
    """One run of a feedback import (CSV upload or API batch), with its counts."""

    __tablename__ = "lms_cx_feedback_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str | None] = mapped_column(sa.String(300))
    source: Mapped[str] = mapped_column(sa.String(60))
    rows_total: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackItem(Base):
    """What one customer said about one employee on one occasion.

    Scores follow their usual scales: CSAT 1-5, NPS 0-10, CES 1-7. ``(source, external_id)``
    identifies an item from a help desk, so re-importing updates instead of duplicating.
    """

    __tablename__ = "lms_cx_feedback_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE")
    )
    occurred_at: Mapped[datetime]
    #: ``phone``, ``chat``, ``email``, ``in_person``, ``social``...
    channel: Mapped[str | None] = mapped_column(sa.String(40))
    csat: Mapped[int | None]
    nps: Mapped[int | None]
    ces: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(10))
    tags: Mapped[list[str]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(sa.String(60), default="manual", server_default="manual")
    external_id: Mapped[str | None] = mapped_column(sa.String(200))
    import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_feedback_import.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    themes: Mapped[list[FeedbackTheme]] = relationship(
        back_populates="feedback_item", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.UniqueConstraint("source", "external_id"),
        between("csat", 1, 5, "csat"),
        between("nps", 0, 10, "nps"),
        between("ces", 1, 7, "ces"),
        sa.Index("ix_lms_cx_feedback_item_employee_occurred", "employee_id", "occurred_at"),
    )


class FeedbackTheme(Base):
    """A competency track a feedback item points to, and why.

    ``reason`` names the match: ``tag:billing`` or ``keyword:fa:منتظر``.
    """

    __tablename__ = "lms_cx_feedback_theme"

    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_feedback_item.id", ondelete="CASCADE"), primary_key=True
    )
    track_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_track.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    reason: Mapped[str] = mapped_column(sa.String(300))

    feedback_item: Mapped[FeedbackItem] = relationship(back_populates="themes")
    track: Mapped[Track] = relationship()


class TagTrackMapping(Base):
    """Maps a feedback tag (from the help desk) to the competency track it reveals."""

    __tablename__ = "lms_cx_tag_track_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(sa.String(100), unique=True)
    track_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_track.id", ondelete="CASCADE"), index=True
    )


class KeywordRule(Base):
    """A keyword that, found in a comment in ``locale``, ties the feedback to a track."""

    __tablename__ = "lms_cx_keyword_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(sa.String(10))
    keyword: Mapped[str] = mapped_column(sa.String(200))
    track_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_track.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        sa.UniqueConstraint("locale", "keyword", "track_id", name="uq_lms_cx_keyword_rule_key"),
    )


class RemedialRule(TimestampMixin, Base):
    """Assign remedial training when an employee collects enough negative feedback in a track.

    An item is negative when its CSAT is at most ``csat_max`` (or its NPS at most
    ``nps_max``, when set); ``min_negative_items`` within ``window_days`` fire the rule.
    """

    __tablename__ = "lms_cx_remedial_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    track_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_track.id", ondelete="CASCADE"), index=True
    )
    min_negative_items: Mapped[int] = mapped_column(default=3)
    window_days: Mapped[int] = mapped_column(default=30)
    csat_max: Mapped[int | None] = mapped_column(default=2)
    nps_max: Mapped[int | None]
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE")
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE")
    )
    due_in_days: Mapped[int | None] = mapped_column(default=14)
    is_active: Mapped[bool] = mapped_column(default=True)

    track: Mapped[Track] = relationship()

    __table_args__ = (
        course_or_module(),
        sa.CheckConstraint("min_negative_items >= 1", name="min_negative_items"),
    )


class AssignmentFeedbackItem(Base):
    """A feedback item that caused a remedial assignment (the assignment's evidence)."""

    __tablename__ = "lms_cx_assignment_feedback_item"

    # Named by hand: the naming convention's name would pass PostgreSQL's 63-character limit.
    assignment_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey(
            "lms_cx_assignment.id",
            ondelete="CASCADE",
            name="fk_lms_cx_assignment_feedback_item_assignment",
        ),
        primary_key=True,
    )
    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey(
            "lms_cx_feedback_item.id",
            ondelete="CASCADE",
            name="fk_lms_cx_assignment_feedback_item_feedback_item",
        ),
        primary_key=True,
        index=True,
    )
