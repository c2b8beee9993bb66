"""Publishing: freeze a module's or course's drafts into an immutable, numbered version.

A version holds a snapshot of everything a learner sees, so a learner who started version 3
finishes version 3 whatever authors change afterwards. Publishing unchanged drafts creates no
new version; each new version records what changed since the one before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.models import (
    Course,
    CourseModule,
    CourseVersion,
    Lesson,
    Module,
    ModulePersona,
    ModulePrerequisite,
    ModuleVersion,
    Persona,
    Question,
    QuestionBank,
    QuestionPool,
    Track,
)
from lms_cx.models.people import Employee


@dataclass(frozen=True)
class Published:
    """The outcome of publishing: the version, and whether it is new."""

    version: ModuleVersion | CourseVersion
    created: bool


def content_hash(snapshot: dict[str, Any]) -> str:
    """Return a stable SHA-256 of a snapshot (key order and spacing never matter)."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def persona_snapshot(persona: Persona) -> dict[str, Any]:
    """Return everything about a persona that a learner is shown."""
    return {
        "slug": persona.slug,
        "name": persona.name,
        "segment": persona.segment,
        "summary": persona.summary,
        "goals": persona.goals,
        "frustrations": persona.frustrations,
        "typical_phrases": persona.typical_phrases,
        "good_looks_like": persona.good_looks_like,
        "default_locale": persona.default_locale,
    }


def bank_snapshot(session: Session, bank: QuestionBank) -> dict[str, Any]:
    """Return a question bank with its pools and questions, in order."""
    pools = dict(
        session.execute(
            sa.select(QuestionPool.id, QuestionPool.slug).where(QuestionPool.bank_id == bank.id)
        ).all()
    )
    draws = dict(
        session.execute(
            sa.select(QuestionPool.slug, QuestionPool.draw_count).where(
                QuestionPool.bank_id == bank.id
            )
        ).all()
    )
    personas = dict(session.execute(sa.select(Persona.id, Persona.slug)).all())
    questions = session.scalars(
        sa.select(Question).where(Question.bank_id == bank.id).order_by(Question.position)
    )
    return {
        "slug": bank.slug,
        "title": bank.title,
        "shuffle_questions": bank.shuffle_questions,
        "shuffle_options": bank.shuffle_options,
        "pools": [{"slug": slug, "draw": draws[slug]} for slug in sorted(draws)],
        "questions": [
            {
                "slug": question.slug,
                "type": question.type,
                "pool": pools.get(question.pool_id) if question.pool_id else None,
                "prompt": question.prompt,
                "explanation": question.explanation,
                "weight": question.weight,
                "persona": personas.get(question.persona_id) if question.persona_id else None,
                "data": question.data,
            }
            for question in questions
        ],
    }


def module_snapshot(session: Session, module: Module) -> dict[str, Any]:
    """Return everything a learner of ``module`` sees: lessons, personas, quiz and its rules."""
    lessons = session.scalars(
        sa.select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position)
    )
    personas = session.scalars(
        sa.select(Persona)
        .join(ModulePersona, ModulePersona.persona_id == Persona.id)
        .where(ModulePersona.module_id == module.id)
        .order_by(ModulePersona.position)
    )
    bank = session.get(QuestionBank, module.question_bank_id) if module.question_bank_id else None
    return {
        "slug": module.slug,
        "track": session.scalar(sa.select(Track.code).where(Track.id == module.track_id)),
        "lifecycle_stage": module.lifecycle_stage,
        "title": module.title,
        "description": module.description,
        "estimated_minutes": module.estimated_minutes,
        "default_locale": module.default_locale,
        "quiz_settings": {
            "attempts_limit": module.attempts_limit,
            "time_limit_minutes": module.time_limit_minutes,
            "feedback": module.feedback_mode,
        },
        "lessons": [
            {"slug": lesson.slug, "title": lesson.title, "body": lesson.body} for lesson in lessons
        ],
        "personas": [persona_snapshot(persona) for persona in personas],
        "quiz": bank_snapshot(session, bank) if bank is not None else None,
    }


def _changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return the slugs added, removed and edited between two lists of snapshot items."""
    before = {item["slug"]: item for item in old}
    after = {item["slug"]: item for item in new}
    return {
        "added": [slug for slug in after if slug not in before],
        "removed": [slug for slug in before if slug not in after],
        "edited": [slug for slug in after if slug in before and after[slug] != before[slug]],
    }


def module_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Summarise what changed between two module snapshots (``old`` None: the first version)."""
    if old is None:
        return {"first_version": True}
    old_questions = (old.get("quiz") or {}).get("questions", [])
    new_questions = (new.get("quiz") or {}).get("questions", [])
    skip = {"lessons", "personas", "quiz"}
    return {
        "lessons": _changes(old["lessons"], new["lessons"]),
        "questions": _changes(old_questions, new_questions),
        "personas": _changes(old["personas"], new["personas"]),
        "settings": sorted(key for key in new if key not in skip and new[key] != old.get(key))
        + (["quiz"] if _quiz_settings(old) != _quiz_settings(new) else []),
    }


def course_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Summarise what changed between two course snapshots (``old`` None: the first version).

    Module entries compare by slug, version number and rules; the id of the version row is left
    out, so a preview of drafts (which have no version rows yet) reads like the published
    summary.
    """
    if old is None:
        return {"first_version": True}

    def entries(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {key: value for key, value in item.items() if key != "module_version_id"}
            for item in snapshot["modules"]
        ]

    return {
        "modules": _changes(entries(old), entries(new)),
        "settings": sorted(key for key in new if key != "modules" and new[key] != old.get(key)),
    }


def _quiz_settings(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    quiz = snapshot.get("quiz")
    return None if quiz is None else {k: v for k, v in quiz.items() if k != "questions"}


def latest_module_version(session: Session, module_id: int) -> ModuleVersion | None:
    """Return the newest published version of a module, if any."""
    return session.scalar(
        sa.select(ModuleVersion)
        .where(ModuleVersion.module_id == module_id)
        .order_by(ModuleVersion.version.desc())
        .limit(1)
    )


def latest_course_version(session: Session, course_id: int) -> CourseVersion | None:
    """Return the newest published version of a course, if any."""
    return session.scalar(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course_id)
        .order_by(CourseVersion.version.desc())
        .limit(1)
    )


def preview_module_changes(session: Session, module: Module) -> dict[str, Any]:
    """Return what publishing ``module`` now would change, without publishing."""
    latest = latest_module_version(session, module.id)
    return module_changes(latest.snapshot if latest else None, module_snapshot(session, module))


def publish_module(
    session: Session,
    module: Module,
    published_by: Employee | None = None,
    now: datetime | None = None,
    *,
    commit: bool = True,
) -> Published:
    """Freeze ``module``'s drafts as its next version, unless nothing changed since the last."""
    snapshot = module_snapshot(session, module)
    digest = content_hash(snapshot)
    latest = latest_module_version(session, module.id)
    if latest is not None and latest.content_hash == digest:
        return Published(latest, created=False)
    version = ModuleVersion(
        module_id=module.id,
        version=(latest.version + 1) if latest else 1,
        snapshot=snapshot,
        content_hash=digest,
        change_summary=module_changes(latest.snapshot if latest else None, snapshot),
        published_at=now or utcnow(),
        published_by_id=published_by.id if published_by else None,
    )
    session.add(version)
    session.flush()
    if commit:
        session.commit()
    return Published(version, created=True)


def publish_course(
    session: Session,
    course: Course,
    published_by: Employee | None = None,
    now: datetime | None = None,
) -> Published:
    """Publish every module of ``course`` that changed, then the course itself if it changed."""
    entries = session.execute(
        sa.select(CourseModule, Module)
        .join(Module, Module.id == CourseModule.module_id)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position)
    ).all()
    requires: dict[int, list[str]] = {}
    slugs = {module.id: module.slug for _entry, module in entries}
    for row in session.scalars(
        sa.select(ModulePrerequisite).where(ModulePrerequisite.course_id == course.id)
    ):
        requires.setdefault(row.module_id, []).append(slugs[row.requires_module_id])
    modules = []
    for entry, module in entries:
        published = publish_module(session, module, published_by, now, commit=False)
        modules.append(
            {
                "slug": module.slug,
                "module_version_id": published.version.id,
                "version": published.version.version,
                "move_on": entry.move_on,
                "mastery_score": entry.mastery_score,
                "requires": sorted(requires.get(module.id, [])),
            }
        )
    snapshot = {
        "slug": course.slug,
        "title": course.title,
        "description": course.description,
        "lifecycle_stage": course.lifecycle_stage,
        "default_locale": course.default_locale,
        "certificate_valid_days": course.certificate_valid_days,
        "modules": modules,
    }
    digest = content_hash(snapshot)
    latest = latest_course_version(session, course.id)
    if latest is not None and latest.content_hash == digest:
        session.commit()
        return Published(latest, created=False)
    old = latest.snapshot if latest else None
    version = CourseVersion(
        course_id=course.id,
        version=(latest.version + 1) if latest else 1,
        snapshot=snapshot,
        content_hash=digest,
        change_summary=course_changes(old, snapshot),
        published_at=now or utcnow(),
        published_by_id=published_by.id if published_by else None,
    )
    session.add(version)
    session.commit()
    return Published(version, created=True)


def publish_slugs(
    session: Session,
    course_slugs: list[str],
    module_slugs: list[str],
    published_by: Employee | None = None,
) -> list[tuple[str, str, Published]]:
    """Publish the named courses, then the named modules that none of them holds.

    Return ``(kind, slug, Published)`` for each, kind being ``course`` or ``module``.
    """
    results: list[tuple[str, str, Published]] = []
    in_courses: set[str] = set()
    for course in session.scalars(sa.select(Course).where(Course.slug.in_(course_slugs))):
        results.append(("course", course.slug, publish_course(session, course, published_by)))
        in_courses |= set(
            session.scalars(
                sa.select(Module.slug)
                .join(CourseModule, CourseModule.module_id == Module.id)
                .where(CourseModule.course_id == course.id)
            )
        )
    for module in session.scalars(
        sa.select(Module).where(Module.slug.in_(set(module_slugs) - in_courses))
    ):
        results.append(("module", module.slug, publish_module(session, module, published_by)))
    return results
