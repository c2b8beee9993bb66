"""Authoring courses from the web: settings, module order, cmi5 rules and prerequisites.

The rules match the course file format, so a course made here exports and re-imports
unchanged: a module appears once, and a prerequisite must come earlier in the course.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import Course, CourseModule, CourseVersion, Module, ModulePrerequisite
from lms_cx.models.catalog import LIFECYCLE_STAGES, MOVE_ON_VALUES
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    free_slug,
    require_default_text,
    saving,
    set_text,
)
from lms_cx.services.authoring_modules import LOCALE_PATTERN


@dataclass(frozen=True)
class CourseFields:
    """What the course form sends; texts are in the editing locale."""

    title: str
    lifecycle_stage: str
    description: str = ""
    default_locale: str = "en"
    certificate_valid_days: int | None = None
    #: A new course's slug, or a new slug for a course never published (None: keep).
    slug: str | None = None


@dataclass(frozen=True)
class OutlineEntry:
    """A module's place in a course as the course editor shows it."""

    entry: CourseModule
    module: Module
    title: str
    requires: list[str]


def find_course(session: Session, slug: str) -> Course | None:
    """Return the course with ``slug``, if any."""
    return session.scalar(sa.select(Course).where(Course.slug == slug))


def find_entry(session: Session, course: Course, module_slug: str) -> CourseModule | None:
    """Return ``course``'s entry for the module ``module_slug``, if the course holds it."""
    return session.scalar(
        sa.select(CourseModule)
        .join(Module, Module.id == CourseModule.module_id)
        .where(CourseModule.course_id == course.id, Module.slug == module_slug)
    )


def is_course_published(session: Session, course: Course) -> bool:
    """Return True when ``course`` has at least one published version."""
    query = sa.select(CourseVersion.id).where(CourseVersion.course_id == course.id).limit(1)
    return session.scalar(query) is not None


def course_outline(session: Session, course: Course, locale: str) -> list[OutlineEntry]:
    """Return the course's modules in order, each with the slugs of its prerequisites."""
    rows = session.execute(
        sa.select(CourseModule, Module)
        .join(Module, Module.id == CourseModule.module_id)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position, CourseModule.id)
    ).all()
    slugs = {module.id: module.slug for _entry, module in rows}
    requires: dict[int, list[str]] = {}
    for row in session.scalars(
        sa.select(ModulePrerequisite).where(ModulePrerequisite.course_id == course.id)
    ):
        requires.setdefault(row.module_id, []).append(slugs.get(row.requires_module_id, "?"))
    return [
        OutlineEntry(
            entry,
            module,
            pick_text(module.title, locale, module.default_locale) or module.slug,
            sorted(requires.get(module.id, [])),
        )
        for entry, module in rows
    ]


def _course_values(
    session: Session, course: Course | None, fields: CourseFields, locale: str
) -> dict[str, object]:
    errors = FieldErrors()
    values: dict[str, object] = {}
    if course is None or (fields.slug is not None and fields.slug != course.slug):
        if course is not None and is_course_published(session, course):
            errors.add(
                "slug",
                _("The slug cannot change once the course is published; clone it instead."),
            )
        else:
            values["slug"] = check_new_slug(
                session,
                Course,
                fields.slug or "",
                errors=errors,
                exclude_id=course.id if course else None,
            )
    if fields.lifecycle_stage not in LIFECYCLE_STAGES:
        errors.add("lifecycle_stage", _("Choose onboarding or ongoing."))
    if not LOCALE_PATTERN.match(fields.default_locale or ""):
        errors.add("default_locale", _("Choose a language."))
    days = fields.certificate_valid_days
    if days is not None and days < 1:
        errors.add(
            "certificate_valid_days",
            _("Enter 1 or more days, or leave it blank for certificates that never expire."),
        )
    title = set_text(course.title if course else None, locale, fields.title)
    require_default_text(errors, "title", title, fields.default_locale, _("title"))
    errors.raise_if_any()
    values.update(
        title=title,
        description=set_text(
            course.description if course else None, locale, fields.description, multiline=True
        ),
        lifecycle_stage=fields.lifecycle_stage,
        default_locale=fields.default_locale,
        certificate_valid_days=days,
    )
    return values


def create_course(session: Session, fields: CourseFields, locale: str) -> Course:
    """Add an empty draft course; raise FieldErrors (writing nothing) on problems."""
    values = _course_values(session, None, fields, locale)
    with saving(session):
        course = Course(**values)
        session.add(course)
    return course


def update_course(session: Session, course: Course, fields: CourseFields, locale: str) -> Course:
    """Save the course settings form; raise FieldErrors (writing nothing) on problems."""
    values = _course_values(session, course, fields, locale)
    with saving(session):
        for key, value in values.items():
            setattr(course, key, value)
    return course


def clone_course(
    session: Session, course: Course, slug: str, locale: str, title: str | None = None
) -> Course:
    """Copy ``course`` (settings, module order, rules, prerequisites) as a new draft ``slug``.

    The modules themselves are shared, not copied: a course is an arrangement of modules.
    """
    errors = FieldErrors()
    slug = check_new_slug(session, Course, slug, errors=errors)
    errors.raise_if_any()
    with saving(session):
        copy = Course(
            slug=slug,
            title=set_text(course.title, locale, title) if title else dict(course.title),
            description=dict(course.description),
            default_locale=course.default_locale,
            lifecycle_stage=course.lifecycle_stage,
            certificate_valid_days=course.certificate_valid_days,
        )
        session.add(copy)
        session.flush()
        for entry in session.scalars(
            sa.select(CourseModule).where(CourseModule.course_id == course.id)
        ):
            session.add(
                CourseModule(
                    course_id=copy.id,
                    module_id=entry.module_id,
                    position=entry.position,
                    move_on=entry.move_on,
                    mastery_score=entry.mastery_score,
                )
            )
        for row in session.scalars(
            sa.select(ModulePrerequisite).where(ModulePrerequisite.course_id == course.id)
        ):
            session.add(
                ModulePrerequisite(
                    course_id=copy.id,
                    module_id=row.module_id,
                    requires_module_id=row.requires_module_id,
                )
            )
    return copy


def suggest_course_slug(session: Session, course: Course) -> str:
    """Return a free slug for a copy of ``course``."""
    return free_slug(session, Course, f"{course.slug}-copy"[:110])


def archive_course(session: Session, course: Course, now: datetime | None = None) -> None:
    """Archive ``course``: it leaves the catalogue; its versions and assignments stay."""
    with saving(session):
        course.archived_at = now or utcnow()


def restore_course(session: Session, course: Course) -> None:
    """Bring an archived course back to the catalogue."""
    with saving(session):
        course.archived_at = None


def _check_rule(errors: FieldErrors, move_on: str, mastery_score: float | None) -> None:
    if move_on not in MOVE_ON_VALUES:
        errors.add("move_on", _("Choose when the module counts as done."))
    if mastery_score is not None and not 0 <= mastery_score <= 1:
        errors.add("mastery_score", _("Enter a mastery score from 0 to 100 percent."))


def add_course_module(
    session: Session,
    course: Course,
    module_slug: str,
    move_on: str = "CompletedAndPassed",
    mastery_score: float | None = None,
) -> CourseModule:
    """Add a module at the end of ``course`` with its cmi5 rule; raise FieldErrors on problems."""
    errors = FieldErrors()
    module = session.scalar(sa.select(Module).where(Module.slug == module_slug))
    if module is None:
        errors.add("module", _("Choose a module."))
    elif module.archived_at is not None:
        errors.add("module", _("This module is archived; restore it first."))
    elif find_entry(session, course, module_slug) is not None:
        errors.add("module", _("The course already holds this module."))
    _check_rule(errors, move_on, mastery_score)
    errors.raise_if_any()
    assert module is not None
    last = session.scalar(
        sa.select(sa.func.max(CourseModule.position)).where(CourseModule.course_id == course.id)
    )
    with saving(session):
        entry = CourseModule(
            course_id=course.id,
            module_id=module.id,
            position=(last + 1) if last is not None else 0,
            move_on=move_on,
            mastery_score=mastery_score,
        )
        session.add(entry)
    return entry


def update_course_module(
    session: Session,
    course: Course,
    entry: CourseModule,
    move_on: str,
    mastery_score: float | None,
    requires: list[str],
) -> None:
    """Save a module's rule and prerequisites; each prerequisite must come earlier."""
    errors = FieldErrors()
    _check_rule(errors, move_on, mastery_score)
    outline = course_outline(session, course, course.default_locale)
    index = next(i for i, item in enumerate(outline) if item.entry.id == entry.id)
    earlier = {item.module.slug: item.module.id for item in outline[:index]}
    for slug in requires:
        if slug not in earlier:
            errors.add(
                "requires",
                _(
                    "“%(slug)s” must come earlier in the course to be a prerequisite.",
                    slug=slug,
                ),
            )
    errors.raise_if_any()
    wanted = {earlier[slug] for slug in requires}
    with saving(session):
        entry.move_on = move_on
        entry.mastery_score = mastery_score
        current = {
            row.requires_module_id: row
            for row in session.scalars(
                sa.select(ModulePrerequisite).where(
                    ModulePrerequisite.course_id == course.id,
                    ModulePrerequisite.module_id == entry.module_id,
                )
            )
        }
        for required_id, row in current.items():
            if required_id not in wanted:
                session.delete(row)
        for required_id in wanted - current.keys():
            session.add(
                ModulePrerequisite(
                    course_id=course.id, module_id=entry.module_id, requires_module_id=required_id
                )
            )


def move_course_module(session: Session, course: Course, entry: CourseModule, offset: int) -> None:
    """Move a module ``offset`` places, unless a prerequisite would then come after it."""
    outline = course_outline(session, course, course.default_locale)
    index = next(i for i, item in enumerate(outline) if item.entry.id == entry.id)
    target = min(max(index + offset, 0), len(outline) - 1)
    moved = outline.pop(index)
    outline.insert(target, moved)
    seen: set[str] = set()
    for item in outline:
        missing = [slug for slug in item.requires if slug not in seen]
        if missing:
            raise FieldErrors.one(
                "",
                _(
                    "“%(module)s” requires %(required)s, which must come earlier. "
                    "Change its prerequisites first.",
                    module=item.title,
                    required=", ".join(f"“{slug}”" for slug in missing),
                ),
            )
        seen.add(item.module.slug)
    with saving(session):
        for position, item in enumerate(outline):
            if item.entry.position != position:
                item.entry.position = position


def remove_course_module(session: Session, course: Course, entry: CourseModule) -> None:
    """Take a module out of the course, unless another module of it requires that one."""
    dependants = session.scalars(
        sa.select(Module.slug)
        .join(ModulePrerequisite, ModulePrerequisite.module_id == Module.id)
        .where(
            ModulePrerequisite.course_id == course.id,
            ModulePrerequisite.requires_module_id == entry.module_id,
        )
    ).all()
    if dependants:
        raise FieldErrors.one(
            "",
            _(
                "These modules require it: %(names)s. Remove those prerequisites first.",
                names=", ".join(f"“{slug}”" for slug in dependants),
            ),
        )
    with saving(session):
        session.execute(
            sa.delete(ModulePrerequisite).where(
                ModulePrerequisite.course_id == course.id,
                ModulePrerequisite.module_id == entry.module_id,
            )
        )
        session.delete(entry)
        session.flush()
        rest = session.scalars(
            sa.select(CourseModule)
            .where(CourseModule.course_id == course.id)
            .order_by(CourseModule.position, CourseModule.id)
        )
        for position, row in enumerate(rest):
            row.position = position
