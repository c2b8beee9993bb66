"""The question types authors can write, as a registry: one class per type.

Adding a type means one new class here (or in a module that imports ``register``): its fields
are what the author writes beside the common ones, and ``data()`` is what the database keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from lms_cx.i18n import gettext as _

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=120)]
LocaleCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
#: A text per locale, e.g. ``{"en": "Hello", "pl": "Dzień dobry"}``; at least one locale.
Text = Annotated[
    dict[LocaleCode, Annotated[str, StringConstraints(min_length=1)]], Field(min_length=1)
]


class Strict(BaseModel):
    """A file format: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def unique_ids(items: list[Any], what: str) -> None:
    """Raise ValueError when two of ``items`` share an ``id`` (``what``: the items, translated)."""
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(_("two %(what)s have the id '%(id)s'", what=what, id=item.id))
        seen.add(item.id)


class QuestionBase(Strict):
    """What every question has, whatever its type."""

    #: Keys stored in their own columns; every other field goes to ``Question.data``.
    COMMON: ClassVar[frozenset[str]] = frozenset(
        {"id", "pool", "type", "prompt", "explanation", "weight", "persona"}
    )

    id: Slug
    type: str
    pool: Slug | None = None
    prompt: Text
    explanation: Text | None = None
    weight: float = Field(1.0, ge=0)
    persona: Slug | None = None
    #: Text format of prompt and options when not plain Markdown (GIFT's ``[html]``).
    format: Literal["markdown", "html"] | None = None

    def data(self) -> dict[str, Any]:
        """Return the type's own fields, as stored in ``Question.data``."""
        return self.model_dump(mode="json", exclude=set(self.COMMON), exclude_none=True)

    def personas(self) -> set[str]:
        """Return the persona ids this question refers to."""
        return {self.persona} if self.persona else set()


#: Every question type by the name authors write in ``type:``.
QUESTION_TYPES: dict[str, type[QuestionBase]] = {}

Q = TypeVar("Q", bound=type[QuestionBase])


def register(name: str) -> Callable[[Q], Q]:
    """Register a question type under ``name``."""

    def decorator(cls: Q) -> Q:
        QUESTION_TYPES[name] = cls
        return cls

    return decorator


class ChoiceOption(Strict):
    """An option of a choice question."""

    id: Slug
    text: Text
    correct: bool = False
    #: Share of the question's points (-1.0 to 1.0) for weighted multiple choice.
    weight: float | None = Field(None, ge=-1, le=1)
    feedback: Text | None = None


@register("single_choice")
class SingleChoice(QuestionBase):
    """One right option among several."""

    type: Literal["single_choice"]
    options: list[ChoiceOption] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_right_option(self) -> SingleChoice:
        unique_ids(self.options, _("options"))
        right = sum(option.correct for option in self.options)
        if right != 1:
            raise ValueError(
                _(
                    "a single_choice question needs exactly one correct option, not %(count)d",
                    count=right,
                )
            )
        return self


@register("multiple_choice")
class MultipleChoice(QuestionBase):
    """Every right option must be chosen (or weights give partial credit)."""

    type: Literal["multiple_choice"]
    options: list[ChoiceOption] = Field(min_length=2)

    @model_validator(mode="after")
    def _some_right_option(self) -> MultipleChoice:
        unique_ids(self.options, _("options"))
        if not any(option.correct for option in self.options):
            raise ValueError(_("a multiple_choice question needs at least one correct option"))
        return self


@register("true_false")
class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    answer: bool
    feedback_right: Text | None = None
    feedback_wrong: Text | None = None


class OrderItem(Strict):
    """An item of an ordering question."""

    id: Slug
    text: Text


@register("ordering")
class Ordering(QuestionBase):
    """Items to put in order; authors list them in the right order."""

    type: Literal["ordering"]
    items: list[OrderItem] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_items(self) -> Ordering:
        unique_ids(self.items, _("items"))
        return self


class ScenarioOption(Strict):
    """A way to respond in a scenario, scored 0 to 1, with feedback."""

    id: Slug
    text: Text
    score: float = Field(ge=0, le=1)
    feedback: Text
    next: Slug | None = None


class ScenarioStep(Strict):
    """A follow-up moment of a scenario."""

    id: Slug
    situation: Text
    options: list[ScenarioOption] = Field(min_length=2)


@register("scenario")
class Scenario(QuestionBase):
    """A persona in a situation; each response scores, and may lead to a follow-up step."""

    type: Literal["scenario"]
    persona: Slug
    situation: Text
    options: list[ScenarioOption] = Field(min_length=2)
    steps: list[ScenarioStep] = []

    @model_validator(mode="after")
    def _steps_connect(self) -> Scenario:
        unique_ids(self.options, _("options"))
        unique_ids(self.steps, _("steps"))
        steps = {step.id: step for step in self.steps}
        for step in self.steps:
            unique_ids(step.options, _("options of step '%(step)s'", step=step.id))
        for option in [*self.options, *(o for s in self.steps for o in s.options)]:
            if option.next is not None and option.next not in steps:
                raise ValueError(
                    _(
                        "option '%(option)s' leads to the unknown step '%(step)s'",
                        option=option.id,
                        step=option.next,
                    )
                )
        # A loop of steps would never end.
        for start in steps:
            seen: set[str] = set()
            frontier = [start]
            while frontier:
                current = frontier.pop()
                if current in seen:
                    raise ValueError(
                        _("the steps loop back to '%(step)s'; a scenario must end", step=current)
                    )
                seen.add(current)
                frontier.extend(o.next for o in steps[current].options if o.next)
        return self


class ShortAnswerAnswer(Strict):
    """An accepted answer (compared without regard to case and surrounding spaces)."""

    text: Annotated[str, StringConstraints(min_length=1)]
    weight: float = Field(1.0, ge=-1, le=1)
    feedback: Text | None = None


@register("short_answer")
class ShortAnswer(QuestionBase):
    """A word or phrase the learner types."""

    type: Literal["short_answer"]
    answers: list[ShortAnswerAnswer] = Field(min_length=1)


class MatchPair(Strict):
    """A prompt and the answer it matches."""

    id: Slug
    prompt: Text
    match: Text


@register("matching")
class Matching(QuestionBase):
    """Prompts to match with answers."""

    type: Literal["matching"]
    pairs: list[MatchPair] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_pairs(self) -> Matching:
        unique_ids(self.pairs, _("pairs"))
        return self


class NumericAnswer(Strict):
    """A right number: ``value`` within ``tolerance``, or between ``min`` and ``max``."""

    value: float | None = None
    tolerance: float | None = Field(None, ge=0)
    min: float | None = None
    max: float | None = None
    weight: float = Field(1.0, ge=-1, le=1)
    feedback: Text | None = None

    @model_validator(mode="after")
    def _value_or_range(self) -> NumericAnswer:
        if self.value is None and (self.min is None or self.max is None):
            raise ValueError(
                _("give either value (with an optional tolerance) or both min and max")
            )
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError(_("give value or min/max, not both"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(
                _("min %(min)s is above max %(max)s", min=str(self.min), max=str(self.max))
            )
        return self


@register("numerical")
class Numerical(QuestionBase):
    """A number the learner types."""

    type: Literal["numerical"]
    answers: list[NumericAnswer] = Field(min_length=1)
    #: Shown for any number that matches none of ``answers`` (GIFT's ``~#feedback``).
    feedback_wrong: Text | None = None
