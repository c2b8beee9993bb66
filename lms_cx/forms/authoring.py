"""The trainer's authoring forms: courses, modules, lessons, personas, banks and their parts.

Forms check what a single field can tell (a number, a choice, a slug's shape); the services in
``lms_cx.services.authoring*`` check everything else and raise ``FieldErrors``, which
``apply_errors`` puts next to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    FormField,
    HiddenField,
    StringField,
)
from wtforms import RadioField as BaseRadioField
from wtforms import SelectField as BaseSelectField
from wtforms import SelectMultipleField as BaseSelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None

from lms_cx.i18n import lazy_gettext as _l
from lms_cx.models.catalog import FEEDBACK_MODES, LIFECYCLE_STAGES, MOVE_ON_VALUES
from lms_cx.services.authoring import FORM, FieldErrors, slug_problem

STAGE_CHOICES = [("onboarding", _l("Onboarding")), ("ongoing", _l("Ongoing"))]
assert [code for code, _label in STAGE_CHOICES] == list(LIFECYCLE_STAGES)

FEEDBACK_CHOICES = [
    ("immediate", _l("After each question")),
    ("end", _l("After the whole quiz")),
]
assert [code for code, _label in FEEDBACK_CHOICES] == list(FEEDBACK_MODES)

#: cmi5's moveOn values, explained.
MOVE_ON_CHOICES = [
    ("CompletedAndPassed", _l("Completed and passed")),
    ("Passed", _l("Passed (the quiz)")),
    ("Completed", _l("Completed (every lesson)")),
    ("CompletedOrPassed", _l("Completed or passed")),
    ("NotApplicable", _l("Not applicable (counts as done at once)")),
]
assert sorted(code for code, _label in MOVE_ON_CHOICES) == sorted(MOVE_ON_VALUES)


def locale_name(code: str) -> str:
    """Return a locale's name in its own language (``fa`` -> ``فارسی``)."""
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return code
    return (locale.get_display_name(locale) or code).capitalize()


def locale_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Return select choices for the locales ``codes``."""
    return [(code, locale_name(code)) for code in codes]


def options(pairs: Iterable[tuple[Any, Any]]) -> list[Any]:
    """Return ``(value, label)`` pairs as the choices this WTForms version wants."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class _Choices:
    """Accept choices as ``(value, label)`` pairs on every WTForms version (3.3 wants
    ``SelectChoice`` objects and warns about pairs)."""

    @property
    def choices(self) -> Any:
        """Return the choices."""
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        if isinstance(value, list | tuple):
            value = [options([item])[0] if isinstance(item, tuple) else item for item in value]
        self._choices = value


class SelectField(_Choices, BaseSelectField):
    """A select whose choices may be given as pairs."""


class RadioField(_Choices, BaseRadioField):
    """Radio buttons whose choices may be given as pairs."""


class SelectMultipleField(_Choices, BaseSelectMultipleField):
    """A multiple select whose choices may be given as pairs."""


class SlugShape:
    """Check a slug's shape with the same rule (and message) the services apply."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        """Raise ValidationError when ``field`` does not hold a well-formed slug."""
        problem = slug_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)


class OptionalSlugShape(SlugShape):
    """Like SlugShape, but a blank value is fine (the service makes one)."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        """Raise ValidationError when ``field`` holds a malformed slug."""
        if (field.data or "").strip():
            super().__call__(form, field)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered as a fieldset by the trainer's form macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip_text(value: Any) -> Any:
    """Strip a string's surrounding spaces (a WTForms filter)."""
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """An empty form: its CSRF token protects a one-button action (archive, delete...)."""


class MoveForm(FlaskForm):
    """Move an item up or down (the pressed button sends ``direction``)."""

    direction = HiddenField()

    def offset(self) -> int:
        """Return -1 for up, 1 for down."""
        return -1 if self.direction.data == "up" else 1


class PublishForm(FlaskForm):
    """Confirm publishing; carries the hash of the drafts the trainer was shown."""

    draft_hash = HiddenField()


STATUS_CHOICES = [
    ("", _l("Any status")),
    ("draft", _l("Never published")),
    ("changed", _l("Unpublished changes")),
    ("published", _l("Published, up to date")),
    ("archived", _l("Archived")),
]


class ListFilterForm(FlaskForm):
    """Filters of the course and module lists (sent by GET, so no CSRF token)."""

    class Meta:
        """Filters only read, so a link with them must work without a token."""

        csrf = False

    q = StringField(_l("Search"), filters=[strip_text])
    track = SelectField(_l("Track"))
    stage = SelectField(_l("Stage"), choices=options([("", _l("Any stage")), *STAGE_CHOICES]))
    status = SelectField(_l("Status"), choices=options(STATUS_CHOICES))

    def set_tracks(self, tracks: list[tuple[str, str]]) -> None:
        """Offer the tracks that exist."""
        self.track.choices = [("", _l("Any track")), *tracks]


def _resolve(form: Any, parts: list[str]) -> Field | None:
    """Return the deepest field that ``parts`` (a dashed field name, split) reaches."""
    current: Any = form
    for part in parts:
        if isinstance(current, FieldList):
            # Found by the number in their name (options-3), which is what the page shows.
            named = {entry.name.rsplit("-", 1)[1]: entry for entry in current.entries}
            if part not in named:
                break
            current = named[part]
        else:
            fields = current.form if isinstance(current, FormField) else current
            if part not in fields:
                break
            current = fields[part]
    return None if current is form else current


def apply_errors(
    form: FlaskForm, errors: FieldErrors, aliases: dict[str, str] | None = None
) -> None:
    """Put each problem next to its field; problems of a list or row go to ``group_errors``,
    and the rest (or those of no field) to ``form_errors``.

    ``aliases`` renames keys first (``{"*": "options"}``: a question's whole-data problems go
    to its options).
    """
    group_errors: dict[str, list[str]] = getattr(form, "group_errors", {})
    form.group_errors = group_errors  # type: ignore[attr-defined]
    # A list's errors are gathered when it validates; this flag tells the page it failed.
    form.refused = bool(errors.errors)  # type: ignore[attr-defined]
    form.form_errors = list(form.form_errors)
    for key, messages in errors.errors.items():
        key = (aliases or {}).get(key, key)
        field = _resolve(form, key.split("-")) if key != FORM else None
        if field is None:
            form.form_errors.extend(messages)
        elif isinstance(field, FieldList | FormField):
            group_errors.setdefault(field.id, []).extend(messages)
        else:
            field.errors = [*field.errors, *messages]
