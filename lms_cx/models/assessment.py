"""Assessment: question banks, pools and questions (content), quiz attempts and responses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms_cx.db import Base, TimestampMixin, new_uuid, utcnow
from lms_cx.models.checks import one_of

if TYPE_CHECKING:
    from lms_cx.models.enrolment import Assignment

#: Where a bank's content came from; file-backed banks are overwritten by re-imports.
BANK_SOURCES = ("yaml", "gift", "web")

#: The built-in question types; each has a handler in the question-type registry.
QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "ordering",
    "scenario",
    "short_answer",
    "matching",
    "numerical",
)

ATTEMPT_STATUSES = ("in_progress", "submitted", "expired")


class QuestionBank(TimestampMixin, Base):
    """A named set of questions that one or more modules draw their quiz from."""

    __tablename__ = "lms_cx_question_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.String(10), default="web")
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")

    pools: Mapped[list[QuestionPool]] = relationship(
        back_populates="bank", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", order_by="Question.position"
    )

    __table_args__ = (one_of("source", BANK_SOURCES, "source"),)


class QuestionPool(Base):
    """A group of interchangeable questions of which each attempt draws ``draw_count``."""

    __tablename__ = "lms_cx_question_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_question_bank.id", ondelete="CASCADE")
    )
    slug: Mapped[str] = mapped_column(sa.String(120))
    draw_count: Mapped[int] = mapped_column(default=1)

    bank: Mapped[QuestionBank] = relationship(back_populates="pools")

    __table_args__ = (
        sa.UniqueConstraint("bank_id", "slug"),
        sa.CheckConstraint("draw_count >= 1", name="draw_count"),
    )


class Question(TimestampMixin, Base):
    """A question; ``data`` holds what its type needs (options, answers, scores, feedback, steps).

    ``prompt`` and ``explanation`` are Markdown per locale.
    """

    __tablename__ = "lms_cx_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_question_bank.id", ondelete="CASCADE")
    )
    pool_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_question_pool.id", ondelete="SET NULL"), index=True
    )
    #: Stable within the bank, so a re-import updates the question instead of adding one.
    slug: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(sa.String(30))
    prompt: Mapped[dict[str, str]] = mapped_column(default=dict)
    explanation: Mapped[dict[str, str]] = mapped_column(default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    persona_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lms_cx_persona.id", ondelete="SET NULL"), index=True
    )
    weight: Mapped[float] = mapped_column(default=1.0)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    pool: Mapped[QuestionPool | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("bank_id", "slug"),
        one_of("type", QUESTION_TYPES, "type"),
        sa.CheckConstraint("weight >= 0", name="weight"),
    )


class QuizAttempt(Base):
    """One learner's attempt at a module's quiz, against the pinned module version.

    ``drawn`` freezes what the learner was shown (question keys and option orders), so
    reloading the page or publishing a new version never changes a running attempt.
    """

    __tablename__ = "lms_cx_quiz_attempt"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    assignment_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("lms_cx_assignment.id", ondelete="CASCADE")
    )
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_employee.id", ondelete="CASCADE"), index=True
    )
    # A course assignment covers several modules, so attempts are numbered per module.
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("lms_cx_module.id"), index=True)
    module_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lms_cx_module_version.id"), index=True
    )
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="in_progress")
    drawn: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score_raw: Mapped[float | None]
    score_max: Mapped[float | None]
    score_scaled: Mapped[float | None]
    passed: Mapped[bool | None]
    #: Sent with the submit form; a second submit with the same key is a no-op (exactly once).
    submission_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)

    assignment: Mapped[Assignment] = relationship(back_populates="quiz_attempts")
    responses: Mapped[list[QuizResponse]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "module_id", "number"),
        one_of("status", ATTEMPT_STATUSES, "status"),
        sa.CheckConstraint("number >= 1", name="number"),
    )


class QuizResponse(Base):
    """A learner's answer to one drawn question of an attempt, with its score."""

    __tablename__ = "lms_cx_quiz_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("lms_cx_quiz_attempt.id", ondelete="CASCADE")
    )
    #: The question's key in the version snapshot (``bank-slug/question-slug``), not its row id,
    #: so responses stay meaningful after the bank is edited.
    question_key: Mapped[str] = mapped_column(sa.String(250))
    response: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    correct: Mapped[bool | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="responses")

    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_key"),)
