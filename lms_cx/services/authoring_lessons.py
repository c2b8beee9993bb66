"""Authoring a module's lessons from the web: Markdown per locale, add, edit, reorder, delete.

Only the drafts change; published versions keep their own copy of every lesson.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.models import (
    Lesson,
    Module,
)
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    require_default_text,
    saving,
    set_text,
)


@dataclass(frozen=True)
class LessonFields:
    """What the lesson form sends; ``body`` is Markdown in the editing locale."""

    title: str
    body: str
    #: A new lesson's slug; blank makes one from the title.
    slug: str | None = None


def slugify(text: str) -> str:
    """Return a slug made from ``text`` (ASCII letters and digits joined by hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def find_lesson(session: Session, module: Module, slug: str) -> Lesson | None:
    """Return ``module``'s lesson with ``slug``, if any."""
    return session.scalar(
        sa.select(Lesson).where(Lesson.module_id == module.id, Lesson.slug == slug)
    )


def _lesson_values(
    session: Session,
    module: Module,
    lesson: Lesson | None,
    fields: LessonFields,
    locale: str,
) -> dict[str, object]:
    errors = FieldErrors()
    values: dict[str, object] = {}
    if lesson is None:
        wanted = (fields.slug or "").strip() or slugify(fields.title)
        if not wanted:
            errors.add("slug", _("Enter a slug; none can be made from this title."))
        else:
            values["slug"] = check_new_slug(
                session, Lesson, wanted, errors=errors, scope=Lesson.module_id == module.id
            )
    title = set_text(lesson.title if lesson else None, locale, fields.title)
    body = set_text(lesson.body if lesson else None, locale, fields.body, multiline=True)
    require_default_text(errors, "title", title, module.default_locale, _("title"))
    require_default_text(errors, "body", body, module.default_locale, _("lesson text"))
    errors.raise_if_any()
    values.update(title=title, body=body)
    return values


def add_lesson(session: Session, module: Module, fields: LessonFields, locale: str) -> Lesson:
    """Add a lesson at the end of ``module``; raise FieldErrors (writing nothing) on problems."""
    values = _lesson_values(session, module, None, fields, locale)
    last = session.scalar(
        sa.select(sa.func.max(Lesson.position)).where(Lesson.module_id == module.id)
    )
    with saving(session):
        lesson = Lesson(
            module_id=module.id, position=(last + 1) if last is not None else 0, **values
        )
        session.add(lesson)
    return lesson


def update_lesson(
    session: Session, module: Module, lesson: Lesson, fields: LessonFields, locale: str
) -> Lesson:
    """Save a lesson's title and Markdown in ``locale``; raise FieldErrors on problems."""
    values = _lesson_values(session, module, lesson, fields, locale)
    with saving(session):
        for key, value in values.items():
            setattr(lesson, key, value)
    return lesson


def move_lesson(session: Session, module: Module, lesson: Lesson, offset: int) -> None:
    """Move ``lesson`` ``offset`` places (-1 earlier, 1 later) and renumber the lessons."""
    lessons = list(
        session.scalars(
            sa.select(Lesson)
            .where(Lesson.module_id == module.id)
            .order_by(Lesson.position, Lesson.id)
        )
    )
    index = lessons.index(lesson)
    target = min(max(index + offset, 0), len(lessons) - 1)
    lessons.insert(target, lessons.pop(index))
    with saving(session):
        for position, row in enumerate(lessons):
            if row.position != position:
                row.position = position


def delete_lesson(session: Session, lesson: Lesson) -> None:
    """Delete a draft lesson (published versions keep their copy)."""
    with saving(session):
        session.delete(lesson)
