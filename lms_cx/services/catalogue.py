"""What the catalogue holds, by track and by course, for trainers."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import Course, CourseModule, Module, ModuleVersion, Question, QuestionBank, Track


@dataclass(frozen=True)
class TrackSummary:
    """A competency track and how many modules serve it."""

    code: str
    title: str
    module_count: int


@dataclass(frozen=True)
class ModuleSummary:
    """A module as the trainer's list shows it."""

    slug: str
    title: str
    track_code: str
    lifecycle_stage: str
    question_count: int
    latest_version: int | None


@dataclass(frozen=True)
class CourseSummary:
    """A course and the number of modules in it."""

    slug: str
    title: str
    lifecycle_stage: str
    module_count: int


@dataclass(frozen=True)
class CatalogueOverview:
    """Tracks, courses and modules for the trainer's home."""

    tracks: list[TrackSummary]
    courses: list[CourseSummary]
    modules: list[ModuleSummary]


def catalogue_overview(session: Session, locale: str) -> CatalogueOverview:
    """Return every track, course and module with their counts (a few grouped queries)."""
    module_counts = dict(
        session.execute(sa.select(Module.track_id, sa.func.count()).group_by(Module.track_id)).all()
    )
    tracks = [
        TrackSummary(track.code, pick_text(track.title, locale), module_counts.get(track.id, 0))
        for track in session.scalars(sa.select(Track).order_by(Track.position, Track.code))
    ]
    course_counts = dict(
        session.execute(
            sa.select(CourseModule.course_id, sa.func.count()).group_by(CourseModule.course_id)
        ).all()
    )
    courses = [
        CourseSummary(
            course.slug,
            pick_text(course.title, locale, course.default_locale) or course.slug,
            course.lifecycle_stage,
            course_counts.get(course.id, 0),
        )
        for course in session.scalars(
            sa.select(Course).where(Course.archived_at.is_(None)).order_by(Course.slug)
        )
    ]
    question_counts = dict(
        session.execute(
            sa.select(QuestionBank.id, sa.func.count(Question.id))
            .join(Question, Question.bank_id == QuestionBank.id)
            .group_by(QuestionBank.id)
        ).all()
    )
    latest = dict(
        session.execute(
            sa.select(ModuleVersion.module_id, sa.func.max(ModuleVersion.version)).group_by(
                ModuleVersion.module_id
            )
        ).all()
    )
    modules = [
        ModuleSummary(
            module.slug,
            pick_text(module.title, locale, module.default_locale) or module.slug,
            track_code,
            module.lifecycle_stage,
            question_counts.get(module.question_bank_id, 0),
            latest.get(module.id),
        )
        for module, track_code in session.execute(
            sa.select(Module, Track.code)
            .join(Track, Module.track_id == Track.id)
            .where(Module.archived_at.is_(None))
            .order_by(Track.position, Module.slug)
        )
    ]
    return CatalogueOverview(tracks=tracks, courses=courses, modules=modules)
