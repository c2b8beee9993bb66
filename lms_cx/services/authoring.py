"""Web authoring's shared rules: field errors, slugs, per-locale texts, all-or-nothing saves.

The trainer's forms and the content files write the same draft tables. Every authoring
service checks everything first and then writes inside ``saving(session)``, so a save that
fails for any reason leaves the database as it was. Problems are raised as ``FieldErrors``
keyed by the form field they belong to, so the page can show each one next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _

#: What a slug made in the web forms looks like: ``de-escalation-basics``.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 120

#: The key of problems that belong to the whole form rather than one field.
FORM = ""


class FieldErrors(ValueError):
    """Input that breaks rules: ``errors`` maps a field name (``""``: the form) to messages."""

    def __init__(self, errors: Mapping[str, list[str]] | None = None) -> None:
        self.errors: dict[str, list[str]] = {
            key: list(value) for key, value in (errors or {}).items()
        }
        super().__init__(self.errors)

    @classmethod
    def one(cls, field: str, message: str) -> FieldErrors:
        """Return the errors of one field."""
        return cls({field: [message]})

    def add(self, field: str, message: str) -> None:
        """Record ``message`` against ``field``."""
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        """Raise self when any problem was recorded."""
        if self.errors:
            raise self

    def __str__(self) -> str:
        return "; ".join(
            f"{field or 'form'}: {' '.join(messages)}" for field, messages in self.errors.items()
        )


@contextmanager
def saving(session: Session) -> Iterator[None]:
    """Commit what the block writes, or roll all of it back when anything fails."""
    try:
        yield
        session.commit()
    except IntegrityError:
        # Two people saved the same slug at once: the database's unique index caught it.
        session.rollback()
        raise FieldErrors.one(
            FORM, _("Someone saved a conflicting change at the same time. Check and try again.")
        ) from None
    except BaseException:
        session.rollback()
        raise


def slug_problem(value: str) -> str | None:
    """Return why ``value`` cannot be a slug, or None when it can."""
    if not value:
        return _("Enter a slug: lowercase letters, digits and hyphens, such as first-steps.")
    if len(value) > SLUG_MAX_LENGTH:
        return _("The slug is too long: at most %(max)d characters.", max=SLUG_MAX_LENGTH)
    if not SLUG_PATTERN.match(value):
        return _(
            "The slug may contain only lowercase letters, digits and single hyphens between "
            "them, such as first-steps."
        )
    return None


def check_new_slug(
    session: Session,
    model: type[Any],
    value: str,
    *,
    field: str = "slug",
    errors: FieldErrors,
    scope: sa.ColumnElement[bool] | None = None,
    exclude_id: int | None = None,
) -> str:
    """Check a slug's form and that no other ``model`` row (within ``scope``) has it."""
    value = (value or "").strip()
    problem = slug_problem(value)
    if problem:
        errors.add(field, problem)
        return value
    query = sa.select(model.id).where(model.slug == value)
    if scope is not None:
        query = query.where(scope)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.scalar(query.limit(1)) is not None:
        errors.add(field, _("The slug “%(slug)s” is already taken; choose another.", slug=value))
    return value


def free_slug(session: Session, model: type[Any], base: str, scope: Any = None) -> str:
    """Return ``base``, or ``base-2``, ``base-3``... whichever no ``model`` row has yet."""
    query = sa.select(model.slug).where(model.slug.startswith(base))
    if scope is not None:
        query = query.where(scope)
    taken = set(session.scalars(query))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def normalise_text(value: str | None, *, multiline: bool = False) -> str:
    """Return ``value`` with browser line endings made ``\\n``; single lines are stripped."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if multiline and text.strip() else text.strip()


def set_text(
    texts: Mapping[str, str] | None, locale: str, value: str | None, *, multiline: bool = False
) -> dict[str, str]:
    """Return ``texts`` with ``locale``'s text replaced by ``value`` (removed when blank).

    The other locales' texts are kept, so editing the Persian title never touches the English.
    """
    result = dict(texts or {})
    text = normalise_text(value, multiline=multiline)
    if text:
        result[locale] = text
    else:
        result.pop(locale, None)
    return result


def set_text_list(
    texts: Mapping[str, list[str]] | None, locale: str, lines: list[str] | str | None
) -> dict[str, list[str]]:
    """Return per-locale lists with ``locale``'s list replaced by the non-blank ``lines``."""
    if isinstance(lines, str) or lines is None:
        lines = normalise_text(lines, multiline=True).split("\n")
    items = [line.strip() for line in lines if line.strip()]
    result = {key: list(value) for key, value in (texts or {}).items()}
    if items:
        result[locale] = items
    else:
        result.pop(locale, None)
    return result


def require_default_text(
    errors: FieldErrors, field: str, texts: Mapping[str, str], default_locale: str, label: str
) -> None:
    """Record a problem when ``texts`` has nothing in the default locale (the fallback)."""
    if not (texts.get(default_locale) or "").strip():
        errors.add(
            field,
            _(
                "Enter the %(what)s in %(locale)s, the default language.",
                what=label,
                locale=default_locale,
            ),
        )


class Localized(str):
    """A text typed in the editing locale, for ``merge_localized`` to put into a per-locale map.

    Question forms build the question's data in the file format with these where a per-locale
    text goes; merging keeps what the other locales already had.
    """

    __slots__ = ()


def merge_localized(new: Any, old: Any, locale: str) -> Any:
    """Return ``new`` with every ``Localized`` text merged into the matching per-locale map of
    ``old``; items of lists are matched by their ``id`` when they have one, else by position.

    A blank ``Localized`` removes that locale's text; a map left with no locale, like any
    ``None``, drops its key (so the question type's default applies).
    """
    if isinstance(new, Localized):
        merged = set_text(old if isinstance(old, dict) else None, locale, new, multiline=True)
        return merged or None
    if isinstance(new, dict):
        old_map = old if isinstance(old, dict) else {}
        result = {}
        for key, value in new.items():
            merged = merge_localized(value, old_map.get(key), locale)
            if merged is not None:  # absent, so the type's default applies
                result[key] = merged
        return result
    if isinstance(new, list):
        old_list = old if isinstance(old, list) else []
        by_id = {item.get("id"): item for item in old_list if isinstance(item, dict)}
        merged_items = []
        for index, item in enumerate(new):
            if isinstance(item, dict) and item.get("id") and by_id:
                previous = by_id.get(item["id"])
            else:
                previous = old_list[index] if index < len(old_list) else None
            merged_items.append(merge_localized(item, previous, locale))
        return merged_items
    return new
