"""One form per question type, registered by type name like the types themselves.

Each form turns its fields into the question's data in the file format (texts in the editing
locale marked ``Localized``), and maps the question-type registry's problems back to its rows.
Rows left blank are ignored, so a form always offers a few empty rows to fill in; "Add more
rows" offers more without saving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FloatField,
    FormField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import NumberInput

from lms_cx.forms.authoring import (
    OptionalSlugShape,
    RadioField,
    SelectField,
    apply_errors,
    options,
)
from lms_cx.forms.authoring_rows import (
    MatchRow,
    MultipleChoiceRow,
    NumericRow,
    OrderRow,
    Row,
    RowMap,
    ScenarioRow,
    ShortAnswerRow,
    SingleChoiceRow,
    StepRow,
    items_of,
    local_text,
    row_number,
)
from lms_cx.i18n import lazy_gettext as _l
from lms_cx.models import Question
from lms_cx.services.authoring import FieldErrors, Localized
from lms_cx.services.authoring_questions import WHOLE_QUESTION, QuestionFields

#: Blank rows offered below the filled ones, and how many more "Add more rows" gives.
BLANK_ROWS = 2


class QuestionForm(FlaskForm):
    """What every question has; a subclass per type adds its own fields."""

    TYPE: ClassVar[str] = ""
    LABEL: ClassVar[Any] = ""
    HELP: ClassVar[Any] = ""
    #: The type's lists of rows, each with its row form.
    GROUPS: ClassVar[tuple[str, ...]] = ()
    #: Where problems of the question as a whole are shown.
    MAIN_GROUP: ClassVar[str] = ""

    slug = StringField(
        _l("Slug"),
        validators=[OptionalSlugShape()],
        description=_l("Leave blank for the next free q-number."),
    )
    prompt = TextAreaField(_l("Question (Markdown)"))
    explanation = TextAreaField(_l("Explanation shown after answering (Markdown, optional)"))
    weight = FloatField(
        _l("Points"),
        default=1.0,
        widget=NumberInput(step="any", min=0),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter 0 or more."))],
    )
    pool = SelectField(_l("Pool"))
    persona = SelectField(_l("Persona (optional)"))
    save = SubmitField(_l("Save question"))
    add_rows = SubmitField(_l("Add more rows"))

    def set_choices(self, pools: list[str], personas: list[tuple[str, str]]) -> None:
        """Offer the bank's pools and the personas."""
        self.pool.choices = [("", _l("No pool (always asked)")), *((p, p) for p in pools)]
        self.persona.choices = [("", _l("None")), *personas]

    @classmethod
    def initial(
        cls, question: Question | None, persona: str, pool: str, locale: str
    ) -> dict[str, Any]:
        """Return the form's data for ``question`` (None: a new one) in ``locale``."""
        if question is None:
            return {"weight": 1.0}
        data = {
            "prompt": local_text(question.prompt, locale),
            "explanation": local_text(question.explanation, locale),
            "weight": question.weight,
            "pool": pool,
            "persona": persona,
        }
        data.update(cls.load_data(question.data, locale))
        return data

    @classmethod
    def load_data(cls, data: dict[str, Any], locale: str) -> dict[str, Any]:
        """Return the type's stored data as form data (rows of each group)."""
        result: dict[str, Any] = {}
        for group in cls.GROUPS:
            row_form = cls._row_form(group)
            result[group] = [row_form.load(item, locale) for item in data.get(group, [])]
        return result

    @classmethod
    def _row_form(cls, group: str) -> type[Row]:
        # FieldList(FormField(RowForm)): the row form is the inner field's first argument.
        return getattr(cls, group).args[0].args[0]

    def add_blank_rows(self, count: int = BLANK_ROWS) -> None:
        """Offer ``count`` more empty rows in each list."""
        for group in self.GROUPS:
            for _ in range(count):
                self[group].append_entry()

    def type_data(self, rows: RowMap) -> dict[str, Any]:
        """Return the type's own data in the file format."""
        return {group: items_of(self[group], (group,), rows) for group in self.GROUPS}

    def fields(self, kind: str) -> tuple[QuestionFields, RowMap]:
        """Return what the form holds for the question services, and where each row came from."""
        rows: RowMap = {}
        return (
            QuestionFields(
                type=kind,
                prompt=self.prompt.data or "",
                explanation=self.explanation.data or "",
                weight=self.weight.data,
                pool_slug=self.pool.data or None,
                persona_slug=self.persona.data or None,
                data=self.type_data(rows),
                slug=(self.slug.data or "").strip() if "slug" in self else None,
            ),
            rows,
        )

    def show_errors(self, errors: FieldErrors, rows: RowMap) -> None:
        """Put the service's problems (keyed by data paths) next to the right form rows."""
        translated = FieldErrors()
        for key, messages in errors.errors.items():
            for message in messages:
                translated.add(_form_path(key, rows), message)
        apply_errors(self, translated, aliases={WHOLE_QUESTION: self.MAIN_GROUP or ""})


def _form_path(key: str, rows: RowMap) -> str:
    """Return the form field name of a data path (``options-2-text`` -> ``options-4-text``)."""
    parts, out, prefix = key.split("-"), [], ()
    for part in parts:
        if part.isdigit() and prefix in rows:
            index = int(part)
            kept = rows[prefix]
            out.append(str(kept[index] if index < len(kept) else index))
            prefix = (*prefix, index)
        else:
            out.append(part)
            prefix = (*prefix, part)
    return "-".join(out)


F = TypeVar("F", bound=type[QuestionForm])

#: A form per question type name; types without one are edited in files only.
QUESTION_FORMS: dict[str, type[QuestionForm]] = {}


def question_form(name: str) -> Callable[[F], F]:
    """Register the form of question type ``name``."""

    def decorator(cls: F) -> F:
        cls.TYPE = name
        QUESTION_FORMS[name] = cls
        return cls

    return decorator


@question_form("single_choice")
class SingleChoiceForm(QuestionForm):
    """One right option."""

    LABEL = _l("Single choice")
    HELP = _l("One right option among several.")
    GROUPS = ("options",)
    MAIN_GROUP = "options"
    options = FieldList(FormField(SingleChoiceRow))


@question_form("multiple_choice")
class MultipleChoiceForm(QuestionForm):
    """Several right options, optionally weighted."""

    LABEL = _l("Multiple choice")
    HELP = _l("Every right option must be chosen; weights can give partial credit.")
    GROUPS = ("options",)
    MAIN_GROUP = "options"
    options = FieldList(FormField(MultipleChoiceRow))


@question_form("true_false")
class TrueFalseForm(QuestionForm):
    """A statement that is true or false."""

    LABEL = _l("True or false")
    HELP = _l("A statement that is true or false.")
    MAIN_GROUP = "answer"
    answer = RadioField(
        _l("The statement is"),
        choices=options([("true", _l("True")), ("false", _l("False"))]),
        validators=[InputRequired(_l("Choose true or false."))],
        validate_choice=False,
    )
    feedback_right = StringField(_l("Feedback for a right answer (optional)"))
    feedback_wrong = StringField(_l("Feedback for a wrong answer (optional)"))

    @classmethod
    def load_data(cls, data: dict[str, Any], locale: str) -> dict[str, Any]:
        """Return the stored answer and feedback as form data."""
        answer = data.get("answer")
        return {
            "answer": None if answer is None else ("true" if answer else "false"),
            "feedback_right": local_text(data.get("feedback_right"), locale),
            "feedback_wrong": local_text(data.get("feedback_wrong"), locale),
        }

    def type_data(self, rows: RowMap) -> dict[str, Any]:
        """Return the answer and feedback in the file format."""
        answer = {"true": True, "false": False}.get(self.answer.data or "")
        return {
            "answer": answer,
            "feedback_right": Localized(self.feedback_right.data or ""),
            "feedback_wrong": Localized(self.feedback_wrong.data or ""),
        }


@question_form("ordering")
class OrderingForm(QuestionForm):
    """Items to put in order, written in the right order."""

    LABEL = _l("Ordering")
    HELP = _l("Items the learner puts in order; write them in the right order.")
    GROUPS = ("items",)
    MAIN_GROUP = "items"
    items = FieldList(FormField(OrderRow))


@question_form("matching")
class MatchingForm(QuestionForm):
    """Prompts to match with answers."""

    LABEL = _l("Matching")
    HELP = _l("Prompts the learner matches with answers.")
    GROUPS = ("pairs",)
    MAIN_GROUP = "pairs"
    pairs = FieldList(FormField(MatchRow))


@question_form("short_answer")
class ShortAnswerForm(QuestionForm):
    """A word or phrase the learner types."""

    LABEL = _l("Short answer")
    HELP = _l("A word or phrase the learner types; capitals and spaces around it do not matter.")
    GROUPS = ("answers",)
    MAIN_GROUP = "answers"
    answers = FieldList(FormField(ShortAnswerRow))


@question_form("numerical")
class NumericalForm(QuestionForm):
    """A number the learner types."""

    LABEL = _l("Number")
    HELP = _l("A number the learner types: a value with a tolerance, or a range.")
    GROUPS = ("answers",)
    MAIN_GROUP = "answers"
    answers = FieldList(FormField(NumericRow))


@question_form("scenario")
class ScenarioForm(QuestionForm):
    """A persona in a situation; each response scores 0 to 1 and may lead to a follow-up."""

    LABEL = _l("Persona scenario")
    HELP = _l(
        "A customer persona in a situation; each response scores 0 to 1 with feedback, and "
        "may lead to a follow-up step."
    )
    GROUPS = ("options",)
    MAIN_GROUP = "options"
    persona = SelectField(_l("Persona"))
    situation = TextAreaField(_l("Situation (Markdown)"))
    options = FieldList(FormField(ScenarioRow))
    steps = FieldList(FormField(StepRow))

    def set_choices(self, pools: list[str], personas: list[tuple[str, str]]) -> None:
        """Offer the bank's pools and the personas (a scenario needs one)."""
        super().set_choices(pools, personas)
        self.persona.choices = [("", _l("Choose a persona")), *personas]

    @classmethod
    def load_data(cls, data: dict[str, Any], locale: str) -> dict[str, Any]:
        """Return the situation, responses and follow-up steps as form data."""
        return {
            "situation": local_text(data.get("situation"), locale),
            "options": [ScenarioRow.load(item, locale) for item in data.get("options", [])],
            "steps": [
                {
                    "id": step.get("id", ""),
                    "situation": local_text(step.get("situation"), locale),
                    "options": [ScenarioRow.load(o, locale) for o in step.get("options", [])],
                }
                for step in data.get("steps", [])
            ],
        }

    def add_blank_rows(self, count: int = BLANK_ROWS) -> None:
        """Offer empty responses, one empty step, and an empty response in each step."""
        for _ in range(count):
            self.options.append_entry()
        for step in self.steps:
            step.form.options.append_entry()
        step = self.steps.append_entry()
        while len(step.form.options) < 2:
            step.form.options.append_entry()

    def type_data(self, rows: RowMap) -> dict[str, Any]:
        """Return the situation, responses and steps in the file format."""
        steps = []
        kept = []
        for entry in self.steps:
            step = entry.form
            if step.is_blank():
                continue
            number = len(steps)
            kept.append(row_number(entry))
            steps.append(
                {
                    "id": (step.id.data or "").strip() or f"step-{number + 1}",
                    "situation": Localized(step.situation.data or ""),
                    "options": items_of(step.options, ("steps", number, "options"), rows),
                }
            )
        rows[("steps",)] = kept
        return {
            "situation": Localized(self.situation.data or ""),
            "options": items_of(self.options, ("options",), rows),
            "steps": steps,
        }
