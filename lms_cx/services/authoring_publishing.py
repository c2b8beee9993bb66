"""Publishing from the web: what would change, what blocks publishing, and version histories.

The versions themselves are made by ``lms_cx.services.publishing`` (``publish_module``,
``publish_course``); this module only prepares the trainer's confirmation page and guards it:
the page carries the hash of the drafts it showed, and publishing refuses when the drafts
changed in between, so a trainer never publishes something they did not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import (
    Course,
    CourseModule,
    CourseVersion,
    Lesson,
    Module,
    ModulePrerequisite,
    ModuleVersion,
    Question,
    QuestionBank,
    QuestionPool,
)
from lms_cx.models.people import Employee
from lms_cx.services.authoring import FORM, FieldErrors
from lms_cx.services.publishing import (
    Published,
    content_hash,
    course_changes,  # the same summary publish_course records, so the preview cannot disagree
    latest_course_version,
    latest_module_version,
    module_snapshot,
    preview_module_changes,
    publish_course,
    publish_module,
)

#: A module's or course's state as the trainer's lists show it.
STATUSES = ("draft", "changed", "published", "archived")


@dataclass(frozen=True)
class ModulePublishPreview:
    """What publishing a module now would do."""

    changes: dict[str, Any]
    latest: ModuleVersion | None
    problems: list[str]
    #: The hash of the drafts shown; publishing checks the drafts still have it.
    draft_hash: str
    #: The snapshot the drafts would freeze (for describing the changes).
    snapshot: dict[str, Any]

    @property
    def unchanged(self) -> bool:
        """Return True when the drafts equal the latest version (publishing adds nothing)."""
        return self.latest is not None and self.latest.content_hash == self.draft_hash


@dataclass(frozen=True)
class ModuleUpdate:
    """A module that publishing a course would publish anew."""

    slug: str
    title: str
    from_version: int | None
    to_version: int


@dataclass(frozen=True)
class CoursePublishPreview:
    """What publishing a course now would do."""

    changes: dict[str, Any]
    latest: CourseVersion | None
    problems: list[str]
    module_updates: list[ModuleUpdate]
    draft_hash: str

    @property
    def unchanged(self) -> bool:
        """Return True when publishing would make no new course version."""
        if self.latest is None:
            return False
        return not (any(self.changes.get("modules", {}).values()) or self.changes.get("settings"))


def draft_hash(session: Session, module: Module) -> str:
    """Return the hash of what ``module``'s drafts would publish."""
    return content_hash(module_snapshot(session, module))


def latest_hashes(session: Session, module_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Return each module's latest version number and content hash, in one query."""
    if not module_ids:
        return {}
    newest = (
        sa.select(ModuleVersion.module_id, sa.func.max(ModuleVersion.version).label("version"))
        .where(ModuleVersion.module_id.in_(module_ids))
        .group_by(ModuleVersion.module_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(ModuleVersion.module_id, ModuleVersion.version, ModuleVersion.content_hash).join(
            newest,
            sa.and_(
                newest.c.module_id == ModuleVersion.module_id,
                newest.c.version == ModuleVersion.version,
            ),
        )
    )
    return {module_id: (version, digest) for module_id, version, digest in rows}


def module_status(
    session: Session,
    module: Module,
    latest: dict[int, tuple[int, str]] | None = None,
    drafts: dict[int, str] | None = None,
) -> str:
    """Return ``archived``, ``draft`` (never published), ``changed`` or ``published``.

    ``latest`` (from ``latest_hashes``) and ``drafts`` (a memo of draft hashes by module id)
    save queries when many statuses are wanted at once.
    """
    if module.archived_at is not None:
        return "archived"
    if latest is None:
        latest = latest_hashes(session, [module.id])
    if module.id not in latest:
        return "draft"
    return (
        "published" if latest[module.id][1] == _draft_hash(session, module, drafts) else "changed"
    )


def _draft_hash(session: Session, module: Module, drafts: dict[int, str] | None) -> str:
    if drafts is None:
        return draft_hash(session, module)
    if module.id not in drafts:
        drafts[module.id] = draft_hash(session, module)
    return drafts[module.id]


def module_problems(session: Session, module: Module, locale: str) -> list[str]:
    """Return what stops ``module`` from being published, as sentences for the trainer."""
    problems = []
    if module.archived_at is not None:
        problems.append(_("The module is archived; restore it before publishing."))
    if not module.estimated_minutes:
        problems.append(_("Set the module's estimated minutes."))
    lessons = session.scalars(sa.select(Lesson).where(Lesson.module_id == module.id)).all()
    if not lessons:
        problems.append(_("Add at least one lesson."))
    for lesson in lessons:
        if not (lesson.body.get(module.default_locale) or "").strip():
            problems.append(
                _(
                    "The lesson “%(lesson)s” has no text in %(locale)s, the default language.",
                    lesson=pick_text(lesson.title, locale, module.default_locale) or lesson.slug,
                    locale=module.default_locale,
                )
            )
    if module.question_bank_id is not None:
        bank = session.get(QuestionBank, module.question_bank_id)
        assert bank is not None
        count = session.scalar(
            sa.select(sa.func.count(Question.id)).where(Question.bank_id == bank.id)
        )
        if not count:
            problems.append(_("The quiz bank “%(bank)s” has no questions yet.", bank=bank.slug))
        for slug, draw, size in session.execute(
            sa.select(QuestionPool.slug, QuestionPool.draw_count, sa.func.count(Question.id))
            .outerjoin(Question, Question.pool_id == QuestionPool.id)
            .where(QuestionPool.bank_id == bank.id)
            .group_by(QuestionPool.slug, QuestionPool.draw_count)
        ):
            if draw > size:
                problems.append(
                    _(
                        "The pool “%(pool)s” draws %(draw)d questions but holds %(size)d.",
                        pool=slug,
                        draw=draw,
                        size=size,
                    )
                )
        for slug in session.scalars(
            sa.select(Question.slug).where(
                Question.bank_id == bank.id,
                Question.type == "scenario",
                Question.persona_id.is_(None),
            )
        ):
            problems.append(_("The scenario “%(question)s” needs a persona.", question=slug))
    return problems


def module_publish_preview(session: Session, module: Module, locale: str) -> ModulePublishPreview:
    """Return the change summary, blocking problems and draft hash for the publish page."""
    snapshot = module_snapshot(session, module)
    return ModulePublishPreview(
        changes=preview_module_changes(session, module),
        latest=latest_module_version(session, module.id),
        problems=module_problems(session, module, locale),
        draft_hash=content_hash(snapshot),
        snapshot=snapshot,
    )


def publish_module_draft(
    session: Session,
    module: Module,
    seen_hash: str,
    locale: str,
    published_by: Employee | None = None,
) -> Published:
    """Publish ``module`` if its drafts are still those the trainer saw and nothing blocks it."""
    problems = module_problems(session, module, locale)
    if problems:
        raise FieldErrors({FORM: problems})
    if draft_hash(session, module) != seen_hash:
        raise FieldErrors.one(
            FORM,
            _("The drafts changed while you were looking. Check the changes below again."),
        )
    try:
        return publish_module(session, module, published_by)
    except BaseException:
        session.rollback()
        raise


def _course_draft(
    session: Session, course: Course, locale: str, drafts: dict[int, str] | None = None
) -> tuple[dict[str, Any], list[ModuleUpdate], dict[str, str], list[Module]]:
    """Return the course snapshot publishing would write (without version row ids).

    Also return the modules that would get a new version, each module's draft hash, and the
    modules in order.
    """
    rows = session.execute(
        sa.select(CourseModule, Module)
        .join(Module, Module.id == CourseModule.module_id)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position)
    ).all()
    slugs = {module.id: module.slug for _entry, module in rows}
    requires: dict[int, list[str]] = {}
    for row in session.scalars(
        sa.select(ModulePrerequisite).where(ModulePrerequisite.course_id == course.id)
    ):
        requires.setdefault(row.module_id, []).append(slugs[row.requires_module_id])
    entries, updates, hashes = [], [], {}
    latest = latest_hashes(session, [module.id for _entry, module in rows])
    for entry, module in rows:
        version, published_hash = latest.get(module.id, (0, ""))
        digest = hashes[module.slug] = _draft_hash(session, module, drafts)
        if digest != published_hash:
            updates.append(
                ModuleUpdate(
                    module.slug,
                    pick_text(module.title, locale, module.default_locale) or module.slug,
                    version or None,
                    version + 1,
                )
            )
            version += 1
        entries.append(
            {
                "slug": module.slug,
                "version": version,
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
        "modules": entries,
    }
    return snapshot, updates, hashes, [module for _entry, module in rows]


def _course_changes(
    session: Session, course: Course, locale: str, drafts: dict[int, str] | None = None
) -> tuple[dict[str, Any], CourseVersion | None, list[ModuleUpdate], str, list[Module]]:
    """Return the change summary publishing would record, the latest version, the modules
    that would get a new version, the drafts' hash and the course's modules."""
    snapshot, updates, hashes, modules = _course_draft(session, course, locale, drafts)
    latest = latest_course_version(session, course.id)
    changes = course_changes(latest.snapshot if latest else None, snapshot)
    digest = content_hash({"course": snapshot, "modules": hashes})
    return changes, latest, updates, digest, modules


def course_publish_preview(session: Session, course: Course, locale: str) -> CoursePublishPreview:
    """Return what publishing ``course`` would change, and what blocks it."""
    changes, latest, updates, digest, modules = _course_changes(session, course, locale)
    problems = []
    if course.archived_at is not None:
        problems.append(_("The course is archived; restore it before publishing."))
    if not modules:
        problems.append(_("Add at least one module."))
    for module in modules:
        title = pick_text(module.title, locale, module.default_locale) or module.slug
        problems.extend(
            f"{title}: {problem}" for problem in module_problems(session, module, locale)
        )
    return CoursePublishPreview(
        changes=changes,
        latest=latest,
        problems=problems,
        module_updates=updates,
        draft_hash=digest,
    )


def course_status(session: Session, course: Course, drafts: dict[int, str] | None = None) -> str:
    """Return ``archived``, ``draft``, ``changed`` or ``published`` for ``course``
    (``drafts``: a memo of module draft hashes shared by several calls)."""
    if course.archived_at is not None:
        return "archived"
    changes, latest, _updates, _digest, _modules = _course_changes(
        session, course, course.default_locale, drafts
    )
    if latest is None:
        return "draft"
    changed = any(changes["modules"].values()) or changes["settings"]
    return "changed" if changed else "published"


def publish_course_draft(
    session: Session,
    course: Course,
    seen_hash: str,
    locale: str,
    published_by: Employee | None = None,
) -> Published:
    """Publish ``course`` (and its changed modules) if the drafts are those the trainer saw."""
    preview = course_publish_preview(session, course, locale)
    if preview.problems:
        raise FieldErrors({FORM: preview.problems})
    if preview.draft_hash != seen_hash:
        raise FieldErrors.one(
            FORM,
            _("The drafts changed while you were looking. Check the changes below again."),
        )
    try:
        return publish_course(session, course, published_by)
    except BaseException:
        session.rollback()
        raise
