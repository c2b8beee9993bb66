"""Authoring modules and their lessons from the web: create, edit, clone, archive, reorder.

Only the draft rows change; published versions keep their frozen snapshots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import (
    Course,
    CourseModule,
    Lesson,
    Module,
    ModulePersona,
    ModuleVersion,
    Persona,
    QuestionBank,
    Track,
)
from lms_cx.models.catalog import FEEDBACK_MODES, LIFECYCLE_STAGES
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    free_slug,
    require_default_text,
    saving,
    set_text,
)

LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


@dataclass(frozen=True)
class ModuleFields:
    """What the module form sends; texts are in the editing locale."""

    title: str
    lifecycle_stage: str
    track_code: str
    estimated_minutes: int | None
    description: str = ""
    default_locale: str = "en"
    bank_slug: str | None = None
    attempts_limit: int | None = None
    time_limit_minutes: int | None = None
    feedback_mode: str = "immediate"
    persona_slugs: list[str] = field(default_factory=list)
    #: The slug of a new module, or a new slug for a module never published (None: keep).
    slug: str | None = None


def find_module(session: Session, slug: str) -> Module | None:
    """Return the module with ``slug``, if any."""
    return session.scalar(sa.select(Module).where(Module.slug == slug))


def module_persona_slugs(session: Session, module: Module) -> list[str]:
    """Return the slugs of the personas featured in ``module``, in order."""
    return list(
        session.scalars(
            sa.select(Persona.slug)
            .join(ModulePersona, ModulePersona.persona_id == Persona.id)
            .where(ModulePersona.module_id == module.id)
            .order_by(ModulePersona.position)
        )
    )


def is_published(session: Session, module: Module) -> bool:
    """Return True when ``module`` has at least one published version."""
    return (
        session.scalar(sa.select(ModuleVersion.id).where(ModuleVersion.module_id == module.id))
        is not None
    )


def _check_module(
    session: Session, fields: ModuleFields, module: Module | None, locale: str
) -> tuple[FieldErrors, dict[str, object]]:
    """Check ``fields`` against the rules; return the problems and the column values."""
    errors = FieldErrors()
    values: dict[str, object] = {}
    if module is None or (fields.slug is not None and fields.slug != module.slug):
        if module is not None and is_published(session, module):
            errors.add(
                "slug",
                _("The slug cannot change once the module is published; clone it instead."),
            )
        else:
            values["slug"] = check_new_slug(
                session,
                Module,
                fields.slug or "",
                errors=errors,
                exclude_id=module.id if module else None,
            )
    track_id = session.scalar(sa.select(Track.id).where(Track.code == fields.track_code))
    if track_id is None:
        errors.add("track", _("Choose one of the competency tracks."))
    values["track_id"] = track_id
    if fields.lifecycle_stage not in LIFECYCLE_STAGES:
        errors.add("lifecycle_stage", _("Choose onboarding or ongoing."))
    values["lifecycle_stage"] = fields.lifecycle_stage
    if fields.estimated_minutes is None or fields.estimated_minutes < 1:
        errors.add("estimated_minutes", _("Enter the estimated minutes, 1 or more."))
    values["estimated_minutes"] = fields.estimated_minutes
    for name in ("attempts_limit", "time_limit_minutes"):
        value = getattr(fields, name)
        if value is not None and value < 1:
            errors.add(name, _("Enter 1 or more, or leave it blank for no limit."))
        values[name] = value
    if fields.feedback_mode not in FEEDBACK_MODES:
        errors.add("feedback_mode", _("Choose when learners see feedback."))
    values["feedback_mode"] = fields.feedback_mode
    if not LOCALE_PATTERN.match(fields.default_locale or ""):
        errors.add("default_locale", _("Choose a language."))
    values["default_locale"] = fields.default_locale
    bank_id = None
    if fields.bank_slug:
        bank_id = session.scalar(
            sa.select(QuestionBank.id).where(QuestionBank.slug == fields.bank_slug)
        )
        if bank_id is None:
            errors.add("bank", _("There is no question bank “%(slug)s”.", slug=fields.bank_slug))
    values["question_bank_id"] = bank_id
    title = set_text(module.title if module else None, locale, fields.title)
    require_default_text(errors, "title", title, fields.default_locale, _("title"))
    values["title"] = title
    values["description"] = set_text(
        module.description if module else None, locale, fields.description, multiline=True
    )
    if len(set(fields.persona_slugs)) != len(fields.persona_slugs):
        errors.add("personas", _("A persona is chosen twice."))
    personas = dict(
        session.execute(
            sa.select(Persona.slug, Persona).where(Persona.slug.in_(fields.persona_slugs))
        ).all()
    )
    current = set(module_persona_slugs(session, module)) if module else set()
    for slug in fields.persona_slugs:
        persona = personas.get(slug)
        if persona is None:
            errors.add("personas", _("There is no persona “%(slug)s”.", slug=slug))
        elif persona.archived_at is not None and slug not in current:
            errors.add("personas", _("The persona “%(slug)s” is archived.", slug=slug))
    values["persona_ids"] = [personas[s].id for s in fields.persona_slugs if s in personas]
    return errors, values


def _link_personas(session: Session, module: Module, persona_ids: list[int]) -> None:
    """Make ``module``'s featured personas exactly ``persona_ids``, in that order."""
    links = session.scalars(sa.select(ModulePersona).where(ModulePersona.module_id == module.id))
    existing = {link.persona_id: link for link in links}
    for persona_id, link in existing.items():
        if persona_id not in persona_ids:
            session.delete(link)
    for position, persona_id in enumerate(persona_ids):
        link = existing.get(persona_id)
        if link is None:
            session.add(
                ModulePersona(module_id=module.id, persona_id=persona_id, position=position)
            )
        elif link.position != position:
            link.position = position


def create_module(session: Session, fields: ModuleFields, locale: str) -> Module:
    """Add a draft module; raise FieldErrors (writing nothing) when a rule is broken."""
    errors, values = _check_module(session, fields, None, locale)
    errors.raise_if_any()
    persona_ids = values.pop("persona_ids")
    with saving(session):
        module = Module(**values)
        session.add(module)
        session.flush()
        _link_personas(session, module, persona_ids)  # type: ignore[arg-type]
    return module


def update_module(session: Session, module: Module, fields: ModuleFields, locale: str) -> Module:
    """Save the module form; raise FieldErrors (writing nothing) when a rule is broken."""
    errors, values = _check_module(session, fields, module, locale)
    errors.raise_if_any()
    persona_ids = values.pop("persona_ids")
    with saving(session):
        for key, value in values.items():
            setattr(module, key, value)
        _link_personas(session, module, persona_ids)  # type: ignore[arg-type]
    return module


def clone_module(
    session: Session,
    module: Module,
    slug: str,
    locale: str,
    *,
    title: str | None = None,
    copy_bank: bool = True,
    bank_slug: str | None = None,
) -> Module:
    """Copy ``module`` as a new draft under ``slug``: lessons, personas and quiz bank.

    With ``copy_bank`` the quiz bank is copied too (as ``bank_slug``, by default the new
    module's slug), so editing the copy's questions never changes the original's.
    """
    from lms_cx.services.authoring_banks import copy_bank as copy_question_bank

    errors = FieldErrors()
    slug = check_new_slug(session, Module, slug, errors=errors)
    bank = session.get(QuestionBank, module.question_bank_id) if module.question_bank_id else None
    if bank is not None and copy_bank:
        bank_slug = check_new_slug(
            session, QuestionBank, bank_slug or slug, field="bank_slug", errors=errors
        )
    errors.raise_if_any()
    with saving(session):
        copy = Module(
            slug=slug,
            track_id=module.track_id,
            lifecycle_stage=module.lifecycle_stage,
            title=set_text(module.title, locale, title) if title else dict(module.title),
            description=dict(module.description),
            estimated_minutes=module.estimated_minutes,
            question_bank_id=module.question_bank_id,
            attempts_limit=module.attempts_limit,
            time_limit_minutes=module.time_limit_minutes,
            feedback_mode=module.feedback_mode,
            default_locale=module.default_locale,
        )
        session.add(copy)
        session.flush()
        if bank is not None and copy_bank:
            copy.question_bank_id = copy_question_bank(session, bank, bank_slug or slug).id
        for lesson in session.scalars(
            sa.select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position)
        ):
            session.add(
                Lesson(
                    module_id=copy.id,
                    slug=lesson.slug,
                    position=lesson.position,
                    title=dict(lesson.title),
                    body=dict(lesson.body),
                )
            )
        for link in session.scalars(
            sa.select(ModulePersona).where(ModulePersona.module_id == module.id)
        ):
            session.add(
                ModulePersona(module_id=copy.id, persona_id=link.persona_id, position=link.position)
            )
    return copy


def suggest_clone_slug(session: Session, module: Module) -> str:
    """Return a free slug for a copy of ``module`` (``<slug>-copy``, ``<slug>-copy-2``...)."""
    return free_slug(session, Module, f"{module.slug}-copy"[:110])


def archive_module(session: Session, module: Module, now: datetime | None = None) -> None:
    """Archive ``module`` (hidden from new assignments); refuse while a live course holds it."""
    courses = session.execute(
        sa.select(Course.title, Course.default_locale, Course.slug)
        .join(CourseModule, CourseModule.course_id == Course.id)
        .where(CourseModule.module_id == module.id, Course.archived_at.is_(None))
    ).all()
    if courses:
        names = ", ".join(
            pick_text(title, default_locale, default_locale) or slug
            for title, default_locale, slug in courses
        )
        raise FieldErrors.one(
            "",
            _("Remove the module from these courses before archiving it: %(names)s.", names=names),
        )
    with saving(session):
        module.archived_at = now or utcnow()


def restore_module(session: Session, module: Module) -> None:
    """Bring an archived module back to the catalogue."""
    with saving(session):
        module.archived_at = None


@dataclass(frozen=True)
class ModuleDraft:
    """A module with the slugs its form shows for its track, bank and personas."""

    module: Module
    track_code: str
    bank_slug: str
    persona_slugs: list[str]
    published: bool


def module_draft(session: Session, module: Module) -> ModuleDraft:
    """Return ``module`` with the slugs of what it refers to."""
    bank_slug = (
        session.scalar(
            sa.select(QuestionBank.slug).where(QuestionBank.id == module.question_bank_id)
        )
        if module.question_bank_id
        else None
    )
    return ModuleDraft(
        module,
        session.scalar(sa.select(Track.code).where(Track.id == module.track_id)) or "",
        bank_slug or "",
        module_persona_slugs(session, module),
        is_published(session, module),
    )
