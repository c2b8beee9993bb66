"""Authoring customer personas from the web: create, edit, clone, archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.models import Persona
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    free_slug,
    require_default_text,
    saving,
    set_text,
    set_text_list,
)
from lms_cx.services.authoring_modules import LOCALE_PATTERN

#: The persona's lists, each written one item per line in the form.
PERSONA_LISTS = ("goals", "frustrations", "typical_phrases", "good_looks_like")


@dataclass(frozen=True)
class PersonaFields:
    """What the persona form sends; texts (lists: one item a line) are in the editing locale."""

    name: str
    segment: str
    summary: str = ""
    goals: str = ""
    frustrations: str = ""
    typical_phrases: str = ""
    good_looks_like: str = ""
    default_locale: str = "en"
    #: A new persona's slug (personas keep theirs: modules and questions refer to it).
    slug: str | None = None


def find_persona(session: Session, slug: str) -> Persona | None:
    """Return the persona with ``slug``, if any."""
    return session.scalar(sa.select(Persona).where(Persona.slug == slug))


def _persona_values(
    session: Session, persona: Persona | None, fields: PersonaFields, locale: str
) -> dict[str, object]:
    errors = FieldErrors()
    values: dict[str, object] = {}
    if persona is None:
        values["slug"] = check_new_slug(session, Persona, fields.slug or "", errors=errors)
    if not LOCALE_PATTERN.match(fields.default_locale or ""):
        errors.add("default_locale", _("Choose a language."))
    values["default_locale"] = fields.default_locale
    for name, multiline in (("name", False), ("segment", False), ("summary", True)):
        values[name] = set_text(
            getattr(persona, name) if persona else None,
            locale,
            getattr(fields, name),
            multiline=multiline,
        )
    require_default_text(errors, "name", values["name"], fields.default_locale, _("name"))  # type: ignore[arg-type]
    require_default_text(
        errors,
        "segment",
        values["segment"],
        fields.default_locale,
        _("segment"),  # type: ignore[arg-type]
    )
    for name in PERSONA_LISTS:
        values[name] = set_text_list(
            getattr(persona, name) if persona else None, locale, getattr(fields, name)
        )
    errors.raise_if_any()
    return values


def create_persona(session: Session, fields: PersonaFields, locale: str) -> Persona:
    """Add a persona; raise FieldErrors (writing nothing) when a rule is broken."""
    values = _persona_values(session, None, fields, locale)
    with saving(session):
        persona = Persona(**values)
        session.add(persona)
    return persona


def update_persona(
    session: Session, persona: Persona, fields: PersonaFields, locale: str
) -> Persona:
    """Save the persona form in ``locale``; raise FieldErrors (writing nothing) on problems."""
    values = _persona_values(session, persona, fields, locale)
    with saving(session):
        for key, value in values.items():
            setattr(persona, key, value)
    return persona


def clone_persona(
    session: Session, persona: Persona, slug: str, locale: str, name: str | None = None
) -> Persona:
    """Copy ``persona`` under a new ``slug`` (and ``name`` in ``locale`` when given)."""
    errors = FieldErrors()
    slug = check_new_slug(session, Persona, slug, errors=errors)
    errors.raise_if_any()
    with saving(session):
        copy = Persona(
            slug=slug,
            name=set_text(persona.name, locale, name) if name else dict(persona.name),
            segment=dict(persona.segment),
            summary=dict(persona.summary),
            goals=dict(persona.goals),
            frustrations=dict(persona.frustrations),
            typical_phrases=dict(persona.typical_phrases),
            good_looks_like=dict(persona.good_looks_like),
            default_locale=persona.default_locale,
        )
        session.add(copy)
    return copy


def suggest_persona_slug(session: Session, persona: Persona) -> str:
    """Return a free slug for a copy of ``persona``."""
    return free_slug(session, Persona, f"{persona.slug}-copy"[:110])


def archive_persona(session: Session, persona: Persona, now: datetime | None = None) -> None:
    """Archive ``persona``: modules keep it, but it is no longer offered for new links."""
    with saving(session):
        persona.archived_at = now or utcnow()


def restore_persona(session: Session, persona: Persona) -> None:
    """Offer an archived persona again."""
    with saving(session):
        persona.archived_at = None
