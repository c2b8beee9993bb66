"""The rows of question forms: options, items, pairs, answers, scenario responses and steps.

A row left blank is ignored; filled rows become items of the question's data in the file
format, with an ``id`` kept from the row's hidden key or given in order (``a``, ``b``...).
"""

from __future__ import annotations

import string
from typing import Any, ClassVar

from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import NumberInput

from lms_cx.i18n import lazy_gettext as _l
from lms_cx.services.authoring import Localized

#: Where each data item came from: the form row numbers kept, by the list's path in the data.
RowMap = dict[tuple[Any, ...], list[int]]


def local_text(texts: Any, locale: str) -> str:
    """Return a per-locale text's ``locale`` text, or "" (no fallback: a translator sees blanks)."""
    return texts.get(locale, "") if isinstance(texts, dict) else ""


def _number(label: Any, **kwargs: Any) -> FloatField:
    return FloatField(label, validators=[Optional()], widget=NumberInput(step="any"), **kwargs)


class Row(Form):
    """A row of a question's list (an option, item, pair or answer)."""

    #: Fields holding a text per locale.
    LOCALIZED: ClassVar[tuple[str, ...]] = ()
    #: Other fields the author fills in, stored as they are.
    PLAIN: ClassVar[tuple[str, ...]] = ()
    #: Whether items carry an ``id`` (kept in the hidden ``key`` field).
    HAS_ID: ClassVar[bool] = True

    @classmethod
    def load(cls, item: dict[str, Any], locale: str) -> dict[str, Any]:
        """Return a stored item as this row's data in ``locale``."""
        data: dict[str, Any] = {name: local_text(item.get(name), locale) for name in cls.LOCALIZED}
        data.update({name: item.get(name) for name in cls.PLAIN})
        if cls.HAS_ID:
            data["key"] = item.get("id", "")
        return data

    def is_blank(self) -> bool:
        """Return True when the author left every field of the row empty."""
        for name in (*self.LOCALIZED, *self.PLAIN):
            value = self[name].data
            if value not in (None, "", False) and not (
                isinstance(value, str) and not value.strip()
            ):
                return False
        return True

    def item(self, key: str | None) -> dict[str, Any]:
        """Return the row as an item of the file format."""
        item: dict[str, Any] = {"id": key} if self.HAS_ID else {}
        for name in self.LOCALIZED:
            item[name] = Localized(self[name].data or "")
        for name in self.PLAIN:
            value = self[name].data
            if isinstance(value, str):
                value = value.strip() or None
            item[name] = value
        return item


class SingleChoiceRow(Row):
    """An option of a single-choice question."""

    LOCALIZED = ("text", "feedback")
    PLAIN = ("correct",)
    key = HiddenField()
    text = StringField(_l("Option"))
    correct = BooleanField(_l("Right answer"))
    feedback = StringField(_l("Feedback"))


class MultipleChoiceRow(Row):
    """An option of a multiple-choice question, optionally weighted."""

    LOCALIZED = ("text", "feedback")
    PLAIN = ("correct", "weight")
    key = HiddenField()
    text = StringField(_l("Option"))
    correct = BooleanField(_l("Right answer"))
    weight = _number(_l("Weight (−1 to 1, optional)"))
    feedback = StringField(_l("Feedback"))


class OrderRow(Row):
    """An item of an ordering question; rows are in the right order."""

    LOCALIZED = ("text",)
    key = HiddenField()
    text = StringField(_l("Item"))


class MatchRow(Row):
    """A prompt and its match."""

    LOCALIZED = ("prompt", "match")
    key = HiddenField()
    prompt = StringField(_l("Prompt"))
    match = StringField(_l("Matches"))


class ShortAnswerRow(Row):
    """An accepted answer of a short-answer question."""

    LOCALIZED = ("feedback",)
    PLAIN = ("text", "weight")
    HAS_ID = False
    text = StringField(_l("Accepted answer"))
    weight = _number(_l("Weight (−1 to 1)"))
    feedback = StringField(_l("Feedback"))


class NumericRow(Row):
    """A right number: a value with a tolerance, or a range."""

    LOCALIZED = ("feedback",)
    PLAIN = ("value", "tolerance", "min", "max", "weight")
    HAS_ID = False
    value = _number(_l("Value"))
    tolerance = _number(_l("Tolerance (±)"))
    min = _number(_l("Or from"))
    max = _number(_l("to"))
    weight = _number(_l("Weight (−1 to 1)"))
    feedback = StringField(_l("Feedback"))


class ScenarioRow(Row):
    """A way to respond in a scenario: scored 0 to 1, with feedback and an optional next step."""

    LOCALIZED = ("text", "feedback")
    PLAIN = ("score", "next")
    key = HiddenField()
    text = StringField(_l("Response"))
    score = _number(_l("Score (0 to 1)"))
    feedback = StringField(_l("Feedback"))
    next = StringField(_l("Leads to step (optional)"))


class StepRow(Form):
    """A follow-up moment of a scenario, with its own responses."""

    id = StringField(_l("Step slug"))
    situation = TextAreaField(_l("Situation (Markdown)"))
    options = FieldList(FormField(ScenarioRow))

    def is_blank(self) -> bool:
        """Return True when the step and all its responses are empty."""
        return (
            not (self.id.data or "").strip()
            and not (self.situation.data or "").strip()
            and all(entry.form.is_blank() for entry in self.options)
        )


def _new_keys(rows: list[Row]) -> list[str]:
    """Return a key for each row: its own, or the next unused letter (a, b, ... then o27...)."""
    used = {row.key.data for row in rows if getattr(row, "key", None) and row.key.data}
    fresh = (
        c for c in [*string.ascii_lowercase, *(f"o{n}" for n in range(27, 1000))] if c not in used
    )
    return [(row.key.data if row.HAS_ID and row.key.data else next(fresh)) for row in rows]


def row_number(entry: Any) -> int:
    """Return the row number in an entry's name (``options-3`` -> 3), as the page shows it."""
    return int(entry.name.rsplit("-", 1)[1])


def items_of(entries: FieldList, path: tuple[Any, ...], rows: RowMap) -> list[dict[str, Any]]:
    """Return the non-blank rows of ``entries`` as items, recording their form indexes."""
    kept = [(row_number(entry), entry.form) for entry in entries if not entry.form.is_blank()]
    rows[path] = [index for index, _form in kept]
    forms = [form for _index, form in kept]
    keys = _new_keys(forms) if forms and forms[0].HAS_ID else [None] * len(forms)
    return [form.item(key) for form, key in zip(forms, keys, strict=True)]
