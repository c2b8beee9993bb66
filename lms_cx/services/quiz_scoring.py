"""How a learner answers each question type, and how an answer scores: a registry of types.

Each ``AnswerType`` reads the answer form (``parse``) into the JSON kept in
``QuizResponse.response``, and scores it (``score``) as a fraction 0..1 of the question's
weight with the feedback texts the learner earned. Adding a question type to the quiz engine is
one new class here, registered under the name ``lms_cx.content.question_types`` uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lms_cx.i18n import gettext as _

#: A form as ``request.form.to_dict(flat=False)`` gives it: every field a list of values.
Form = Mapping[str, list[str]]
Texts = dict[str, str]


class AnswerError(ValueError):
    """The answer form is incomplete or malformed; the message is for the learner."""


@dataclass(frozen=True)
class Scored:
    """An answer's score as a fraction of the question, with feedback per locale."""

    fraction: float
    correct: bool
    feedback: list[Texts] = field(default_factory=list)


class AnswerType:
    """Parse and score the answers to one question type (``data`` is ``Question.data``)."""

    name: ClassVar[str]

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Return the response JSON from the form (``response``: what is saved so far)."""
        raise NotImplementedError

    def complete(self, data: dict[str, Any], response: dict[str, Any]) -> bool:
        """Return True when the response answers the whole question."""
        return True

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Return the response's score and feedback."""
        raise NotImplementedError


#: The answer handlers by question type.
ANSWER_TYPES: dict[str, AnswerType] = {}


def register(cls: type[AnswerType]) -> type[AnswerType]:
    """Register an answer handler under its ``name``."""
    ANSWER_TYPES[cls.name] = cls()
    return cls


def answer_type(question_type: str) -> AnswerType:
    """Return the handler of ``question_type``; ``LookupError`` when the engine has none."""
    try:
        return ANSWER_TYPES[question_type]
    except KeyError:
        raise LookupError(f"the quiz engine cannot present {question_type!r} questions") from None


def _one(form: Form, name: str) -> str:
    values = [value for value in form.get(name, []) if value.strip()]
    if not values:
        raise AnswerError(_("Choose an answer before you continue."))
    return values[0].strip()


def _known(value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise AnswerError(_("That answer is not one of the options."))
    return value


def _option_ids(options: list[dict[str, Any]]) -> list[str]:
    return [option["id"] for option in options]


def _feedback(*texts: Texts | None) -> list[Texts]:
    return [text for text in texts if text]


@register
class SingleChoice(AnswerType):
    """One option; right or wrong."""

    name = "single_choice"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read the chosen option."""
        return {"choice": _known(_one(form, "answer"), _option_ids(data["options"]))}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score 1 for the correct option, an option's weight (partial credit), else 0."""
        option = next(o for o in data["options"] if o["id"] == response["choice"])
        right = bool(option.get("correct"))
        weight = option.get("weight")  # GIFT's ``~%50%answer``: partial credit, or a penalty
        fraction = (1.0 if right else 0.0) if weight is None else max(0.0, min(1.0, weight))
        return Scored(fraction, right, _feedback(option.get("feedback")))


@register
class MultipleChoice(AnswerType):
    """Several options; exactly the right set, or partial credit when options carry weights."""

    name = "multiple_choice"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read the chosen options (at least one)."""
        allowed = _option_ids(data["options"])
        chosen = [_known(value, allowed) for value in form.get("answer", []) if value]
        if not chosen:
            raise AnswerError(_("Choose at least one answer before you continue."))
        return {"choices": [o for o in allowed if o in chosen]}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score the exact right set as 1 (or the sum of chosen weights, between 0 and 1)."""
        chosen = set(response["choices"])
        options = data["options"]
        right = {o["id"] for o in options if o.get("correct")}
        feedback = _feedback(*(o.get("feedback") for o in options if o["id"] in chosen))
        if any(o.get("weight") is not None for o in options):
            total = sum(o.get("weight") or 0.0 for o in options if o["id"] in chosen)
            fraction = max(0.0, min(1.0, total))
        else:
            fraction = 1.0 if chosen == right else 0.0
        return Scored(fraction, chosen == right, feedback)


@register
class TrueFalse(AnswerType):
    """True or false."""

    name = "true_false"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read "true" or "false"."""
        return {"answer": _known(_one(form, "answer"), ["true", "false"]) == "true"}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score 1 when the answer matches."""
        right = response["answer"] is bool(data["answer"])
        text = data.get("feedback_right") if right else data.get("feedback_wrong")
        return Scored(1.0 if right else 0.0, right, _feedback(text))


@register
class Ordering(AnswerType):
    """Put items in order: each item gets a position number."""

    name = "ordering"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read one distinct position (1..n) per item."""
        items = _option_ids(data["items"])
        positions: dict[str, int] = {}
        for item in items:
            value = _one(form, f"position-{item}")
            if not value.isdigit() or not 1 <= int(value) <= len(items):
                raise AnswerError(_("Give every item a position from the list."))
            positions[item] = int(value)
        if len(set(positions.values())) != len(items):
            raise AnswerError(_("Give each item a different position."))
        return {"order": sorted(items, key=positions.__getitem__)}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score 1 for the authors' order, else 0."""
        right = response["order"] == _option_ids(data["items"])
        return Scored(1.0 if right else 0.0, right)


@register
class Scenario(AnswerType):
    """A persona's situation: each choice scores and may lead to a follow-up step.

    The response is the path taken, ``{"path": [{"step": None, "option": "a"}, ...]}``; the
    question scores the mean of the chosen options' scores once the path ends.
    """

    name = "scenario"

    def current_step(self, data: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        """Return the moment to answer next: ``{"id", "situation", "options"}`` (id None first)."""
        path = response.get("path", [])
        if not path:
            return {"id": None, "situation": data["situation"], "options": data["options"]}
        last = self._chosen(data, path[-1])
        step_id = last.get("next")
        step = next(s for s in data.get("steps", []) if s["id"] == step_id)
        return {"id": step["id"], "situation": step["situation"], "options": step["options"]}

    def _chosen(self, data: dict[str, Any], choice: dict[str, Any]) -> dict[str, Any]:
        options = data["options"]
        if choice.get("step"):
            options = next(s for s in data["steps"] if s["id"] == choice["step"])["options"]
        return next(o for o in options if o["id"] == choice["option"])

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Add the chosen option of the current step to the path."""
        path = list(response.get("path", [])) if not self.complete(data, response) else []
        step = self.current_step(data, {"path": path})
        posted_step = (form.get("step") or [""])[0] or None
        if posted_step != step["id"]:
            raise AnswerError(_("This scenario has moved on; answer the step shown."))
        option = _known(_one(form, "answer"), _option_ids(step["options"]))
        return {"path": [*path, {"step": step["id"], "option": option}]}

    def complete(self, data: dict[str, Any], response: dict[str, Any]) -> bool:
        """Return True when the last choice leads nowhere further."""
        path = response.get("path", [])
        return bool(path) and not self._chosen(data, path[-1]).get("next")

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score the mean of the path's option scores; "correct" means the best path."""
        chosen = [self._chosen(data, choice) for choice in response["path"]]
        fraction = sum(float(option["score"]) for option in chosen) / len(chosen)
        best = all(math.isclose(float(option["score"]), 1.0) for option in chosen)
        return Scored(fraction, best, _feedback(*(option.get("feedback") for option in chosen)))


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


@register
class ShortAnswer(AnswerType):
    """A typed word or phrase, compared without case and extra spaces."""

    name = "short_answer"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read the typed text."""
        text = (form.get("answer") or [""])[0].strip()
        if not text:
            raise AnswerError(_("Type an answer before you continue."))
        return {"text": text[:500]}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score the weight of the first accepted answer that matches."""
        typed = _normalise(response["text"])
        for answer in data["answers"]:
            if _normalise(answer["text"]) == typed:
                weight = float(answer.get("weight", 1.0))
                return Scored(max(0.0, weight), weight >= 1.0, _feedback(answer.get("feedback")))
        return Scored(0.0, False)


@register
class Matching(AnswerType):
    """Match each prompt with an answer; each right pair earns its share."""

    name = "matching"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read the answer chosen for every prompt."""
        pairs = _option_ids(data["pairs"])
        matches = {pair: _known(_one(form, f"match-{pair}"), pairs) for pair in pairs}
        return {"matches": matches}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score the share of right pairs."""
        matches = response["matches"]
        right = sum(1 for pair, chosen in matches.items() if pair == chosen)
        return Scored(right / len(data["pairs"]), right == len(data["pairs"]))


@register
class Numerical(AnswerType):
    """A number, right within a tolerance or a range."""

    name = "numerical"

    def parse(self, data: dict[str, Any], form: Form, response: dict[str, Any]) -> dict[str, Any]:
        """Read a number (a comma works as the decimal separator too)."""
        text = _one(form, "answer").replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(_("Type a number, for example 12.5.")) from None
        if not math.isfinite(value):
            raise AnswerError(_("Type a number, for example 12.5."))
        return {"value": value}

    def score(self, data: dict[str, Any], response: dict[str, Any]) -> Scored:
        """Score the weight of the first answer the number falls within."""
        value = response["value"]
        for answer in data["answers"]:
            if answer.get("value") is not None:
                hit = abs(value - answer["value"]) <= (answer.get("tolerance") or 0) + 1e-9
            else:
                hit = answer["min"] <= value <= answer["max"]
            if hit:
                weight = float(answer.get("weight", 1.0))
                return Scored(max(0.0, weight), weight >= 1.0, _feedback(answer.get("feedback")))
        # GIFT's ``~#feedback``: what any other number earns.
        return Scored(0.0, False, _feedback(data.get("feedback_wrong")))
