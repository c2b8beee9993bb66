"""The curriculum: competency tracks, personas, courses, modules and their lessons.

Every learner-facing text is a JSON object keyed by locale (``{"en": "...", "fa": "..."}``)
so one row serves every language; ``default_locale`` says which one to fall back to.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, TimestampMixin
from lms_cx.models.checks import one_of

if TYPE_CHECKING:
    from lms_cx.models.assessment import QuestionBank
    from lms_cx.models.versions import CourseVersion, ModuleVersion

#: Where in the employee lifecycle a course or module belongs.
LIFECYCLE_STAGES = ("onboarding", "ongoing")

#: When a learner sees whether an answer was right: after each question or after the quiz.
FEEDBACK_MODES = ("immediate", "end")

#: cmi5's moveOn values: what a learner must achieve for a module to count as done.
MOVE_ON_VALUES = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")


class Track(Base):
    """A competency track; the four built-in ones are seeded, organisations may add more."""

    __tablename__ = "lms_cx_track"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)
    #: Built-in tracks are referenced by code in the shipped curriculum, so they cannot be deleted.
    is_builtin: Mapped[bool] = mapped_column(default=False)

    modules: Mapped[list[Module]] = relationship(back_populates="track")


class Persona(TimestampMixin, Base):
    """A customer persona that scenarios and role-plays put the learner in front of.

    ``goals``, ``frustrations``, ``typical_phrases`` and ``good_looks_like`` are lists per
    locale: ``{"en": ["...", "..."], "fa": [...]}``.
    """

    __tablename__ = "lms_cx_persona"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(default=dict)
    segment: Mapped[dict[str, str]] = mapped_column(default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(default=dict)
    goals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    frustrations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    typical_phrases: Mapped[dict[str, Any]] = mapped_column(default=dict)
    good_looks_like: Mapped[dict[str, Any]] = mapped_column(default=dict)
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    archived_at: Mapped[datetime | None]


class Course(TimestampMixin, Base):
    """An ordered set of modules that is assigned, completed and certified as a whole."""

    __tablename__ = "lms_cx_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    lifecycle_stage: Mapped[str] = mapped_column(sa.String(20), default="ongoing")
    #: How long a certificate for this course stays valid; None means it never expires.
    certificate_valid_days: Mapped[int | None]
    archived_at: Mapped[datetime | None]

    course_modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseModule.position"
    )
    versions: Mapped[list[CourseVersion]] = relationship(
        order_by="CourseVersion.version", viewonly=True
    )

    __table_args__ = (one_of("lifecycle_stage", LIFECYCLE_STAGES, "stage"),)


class Module(TimestampMixin, Base):
    """A unit of learning in one track: lessons, personas and an optional quiz."""

    __tablename__ = "lms_cx_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_track.id"), index=True)
    lifecycle_stage: Mapped[str] = mapped_column(sa.String(20), default="ongoing")
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    estimated_minutes: Mapped[int | None]
    question_bank_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_question_bank.id", ondelete="SET NULL"), index=True
    )
    #: None means unlimited attempts.
    attempts_limit: Mapped[int | None]
    time_limit_minutes: Mapped[int | None]
    feedback_mode: Mapped[str] = mapped_column(sa.String(20), default="immediate")
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    archived_at: Mapped[datetime | None]

    track: Mapped[Track] = relationship(back_populates="modules")
    question_bank: Mapped[QuestionBank | None] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="Lesson.position"
    )
    module_personas: Mapped[list[ModulePersona]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="ModulePersona.position"
    )
    versions: Mapped[list[ModuleVersion]] = relationship(
        order_by="ModuleVersion.version", viewonly=True
    )

    __table_args__ = (
        one_of("lifecycle_stage", LIFECYCLE_STAGES, "stage"),
        one_of("feedback_mode", FEEDBACK_MODES, "feedback_mode"),
    )


class CourseModule(Base):
    """A module's place in a course, with cmi5's rule for when it counts as done."""

    __tablename__ = "lms_cx_course_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    move_on: Mapped[str] = mapped_column(sa.String(20), default="CompletedAndPassed")
    #: Overrides the quiz's pass mark within this course (cmi5 masteryScore, 0..1).
    mastery_score: Mapped[float | None]

    course: Mapped[Course] = relationship(back_populates="course_modules")
    module: Mapped[Module] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("course_id", "module_id"),
        one_of("move_on", MOVE_ON_VALUES, "move_on"),
    )


class ModulePrerequisite(Base):
    """Within a course, a module the learner must finish before starting another."""

    __tablename__ = "lms_cx_module_prerequisite"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_course.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), primary_key=True
    )
    requires_module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (sa.CheckConstraint("module_id <> requires_module_id", name="not_self"),)


class Lesson(TimestampMixin, Base):
    """A page of a module; ``body`` is Markdown per locale, sanitised when rendered."""

    __tablename__ = "lms_cx_lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    body: Mapped[dict[str, str]] = mapped_column(default=dict)

    module: Mapped[Module] = relationship(back_populates="lessons")

    __table_args__ = (sa.UniqueConstraint("module_id", "slug"),)


class ModulePersona(Base):
    """A persona featured in a module, in display order."""

    __tablename__ = "lms_cx_module_persona"

    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_module.id", ondelete="CASCADE"), primary_key=True
    )
    persona_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_persona.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    module: Mapped[Module] = relationship(back_populates="module_personas")
    persona: Mapped[Persona] = relationship()
