"""Published versions: frozen snapshots of a module or course that learners are pinned to.

Editing a module changes only the draft rows in the catalog; publishing writes a new
version, so a learner who already started keeps the content (and quiz) they began with.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, utcnow

if TYPE_CHECKING:
    from lms_cx.models.catalog import Course, Module


class ModuleVersion(Base):
    """A published, immutable snapshot of a module: its lessons, questions and personas."""

    __tablename__ = "lms_cx_module_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"))
    version: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: sha256 of the canonical snapshot JSON; publishing unchanged content adds no version.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    change_summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )

    module: Mapped[Module] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("module_id", "version"),
        sa.CheckConstraint("version >= 1", name="version"),
    )


class CourseVersion(Base):
    """A published, immutable snapshot of a course: its modules, order, rules and versions."""

    __tablename__ = "lms_cx_course_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE"))
    version: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    change_summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="SET NULL")
    )

    course: Mapped[Course] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("course_id", "version"),
        sa.CheckConstraint("version >= 1", name="version"),
    )
