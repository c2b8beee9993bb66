"""Read the answer part of a GIFT question (between its braces) into lms_cx question fields.

GIFT reference: https://docs.moodle.org/en/GIFT_format. Every function here works on a
``Span`` of the question's text and reports problems as ``(offset, message)`` pairs; ``gift.py``
turns offsets into line numbers. Nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from lms_cx.i18n import gettext as _

#: A problem found in a question: offset in the question's text, and a message for people.
Problem = tuple[int, str]

_ESCAPE = re.compile(r"\\.", re.S)
_UNESCAPED = {"n": "\n", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\"}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WEIGHT = re.compile(r"%([^%\n]*)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def unescape(raw: str) -> str:
    r"""Return ``raw`` with GIFT escapes (``\~ \= \# \{ \} \: \\``, ``\n``) resolved."""
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group()[1], m.group()), raw)


@dataclass(frozen=True)
class Span:
    """A slice ``start:end`` of a question's text.

    ``live`` is the same slice with every escape pair blanked out, so that searching it for
    ``{``, ``~`` or ``#`` finds only real GIFT syntax, at the same offsets as in ``raw``.
    """

    raw: str
    skeleton: str
    start: int
    end: int

    @classmethod
    def of(cls, raw: str) -> Span:
        """Return a Span covering all of ``raw``."""
        return cls(raw, _ESCAPE.sub("\x01\x01", raw), 0, len(raw))

    @property
    def live(self) -> str:
        """Return the slice with escapes blanked out (for searching)."""
        return self.skeleton[self.start : self.end]

    def find(self, needle: str, at: int = 0) -> int:
        """Return the offset of unescaped ``needle`` in this span (from ``at``), or -1."""
        return self.live.find(needle, at)

    def sub(self, start: int, end: int | None = None) -> Span:
        """Return the part from ``start`` to ``end`` (offsets within this span)."""
        stop = self.end if end is None else self.start + end
        return Span(self.raw, self.skeleton, self.start + start, stop)

    def strip(self) -> Span:
        """Return this span without surrounding whitespace."""
        start, end = self.start, self.end
        while start < end and self.skeleton[start].isspace():
            start += 1
        while end > start and self.skeleton[end - 1].isspace():
            end -= 1
        return Span(self.raw, self.skeleton, start, end)

    def text(self) -> str:
        """Return the stripped, unescaped text of this span."""
        stripped = self.strip()
        return unescape(self.raw[stripped.start : stripped.end])

    def split(self, markers: str) -> tuple[Span, list[tuple[str, Span]]]:
        """Split at each unescaped character of ``markers``.

        Return the text before the first marker, and each marker with the text after it.
        """
        cuts = [i for i, char in enumerate(self.live) if char in markers]
        lead = self.sub(0, cuts[0] if cuts else None)
        ends = [*cuts[1:], None]
        parts = [
            (self.live[cut], self.sub(cut + 1, end)) for cut, end in zip(cuts, ends, strict=False)
        ]
        return lead, parts


def parse_answers(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Return the type-specific fields (``type`` first) of a question from its answer part.

    The GIFT type is told the way Moodle tells it: ``#`` first is numerical, ``T``/``F`` is
    true/false, ``~`` anywhere is multiple choice, ``->`` is matching, only ``=`` is short answer.
    """
    explanation = None
    opening = body.start  # problems of the whole question point at the line of its {
    general = body.find("####")
    if general >= 0:
        explanation = body.sub(general + 4).text()
        body = body.sub(0, general)
    body = body.strip()
    lead = body.sub(0, body.find("#") if body.find("#") >= 0 else None).live.strip().upper()
    if not body.live:
        message = _(
            "question %(name)s is an essay ({}): essay questions are not supported; "
            "remove the question or give it answers",
            name=name,
        )
        problems.append((opening, message))
        fields: dict[str, Any] = {}
    elif body.live.startswith("#"):
        fields = _numerical(body.sub(1), name, locale, problems)
    elif lead in _TRUE_FALSE:
        fields = _true_false(body, name, locale, problems)
    else:
        body = Span(body.raw, body.skeleton, opening, body.end)
        fields = _by_answers(body, name, locale, problems)
    if explanation:
        fields["explanation"] = {locale: explanation}
    return fields


def _by_answers(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Return the fields of a question told by its answers: choices, matching or short answer."""
    if "~" in body.live:
        return _choices(body, name, locale, problems)
    if "->" in body.live:
        return _matching(body, name, locale, problems)
    return _short_answer(body, name, locale, problems)


def option_id(index: int) -> str:
    """Return the id of the option at ``index``: a, b, ... z, then o27, o28, ..."""
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def _weight(span: Span, what: str, problems: list[Problem]) -> tuple[float | None, Span]:
    """Take a leading ``%50%`` off ``span``; return the weight as a fraction (or None)."""
    span = span.strip()
    match = _WEIGHT.match(span.live)
    if not match:
        return None, span
    body = match.group(1).strip()
    value = float(body) if _NUMBER.fullmatch(body) else math.nan
    if not -100 <= value <= 100:
        message = _(
            "%(what)s has the weight %%%(weight)s%%; use a number from -100 to 100, like %%50%%",
            what=what,
            weight=body,
        )
        problems.append((span.start, message))
        value = 0.0
    return value / 100, span.sub(match.end())


def _feedback(span: Span, locale: str) -> tuple[Span, dict[str, str] | None]:
    """Split ``text#feedback``; return the text and the feedback map (None when empty)."""
    cut = span.find("#")
    if cut < 0:
        return span, None
    feedback = span.sub(cut + 1).text()
    return span.sub(0, cut), ({locale: feedback} if feedback else None)


def _no_text_before_answers(lead: Span, name: str, problems: list[Problem]) -> None:
    if lead.live.strip():
        message = _(
            'question %(name)s: "%(text)s" is not an answer; '
            "start each answer with = (right) or ~ (wrong)",
            name=name,
            text=lead.text()[:40],
        )
        problems.append((lead.strip().start, message))


def _choices(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Multiple choice: ``=right ~wrong``, with optional ``%weight%`` and ``#feedback``.

    As in Moodle, an ``=`` answer makes it single choice (learners pick one; a weighted ``~``
    answer gives partial credit or a penalty); without ``=`` learners choose all that apply and
    the weights of the right answers must add up to 100%.
    """
    before = len(problems)
    lead, parts = body.split("~=")
    _no_text_before_answers(lead, name, problems)
    weights: list[float | None] = []
    options: list[dict[str, Any]] = []
    for index, (marker, part) in enumerate(parts):
        what = _(
            "answer %(number)d of multiple choice question %(name)s", number=index + 1, name=name
        )
        known = len(problems)
        weight, rest = _weight(part, what, problems)
        text_span, feedback = _feedback(rest, locale)
        if "->" in text_span.live:
            message = _(
                '%(what)s contains "->", which only matching questions use '
                "(and they have no ~ answers)",
                what=what,
            )
            problems.append((text_span.strip().start, message))
        elif marker == "=" and weight is not None and weight != 1 and len(problems) == known:
            message = _(
                "%(what)s is marked = (the right answer, full marks) but weighted "
                "%(weight)s; give partial credit to a ~ answer instead, like ~%%50%%",
                what=what,
                weight=f"{weight:.0%}",
            )
            problems.append((part.start, message))
        text = text_span.text()
        if not text:
            problems.append((part.start, _("%(what)s is empty", what=what)))
        weights.append(1.0 if marker == "=" else weight)
        options.append({"id": option_id(index), "text": {locale: text}, "correct": False})
        if feedback:
            options[-1]["feedback"] = feedback
    # Rules about the whole question only once every answer reads: no follow-on complaints.
    rules = problems if len(problems) == before else []
    if len(options) < 2:
        rules.append(
            (body.start, _("multiple choice question %(name)s needs two answers", name=name))
        )
    single = any(marker == "=" for marker, _part in parts)
    for option, weight in zip(options, weights, strict=True):
        option["correct"] = weight == 1 if single else (weight or 0.0) > 0
        if not single or (weight is not None and weight != 1):
            # Choose-all options all carry weights; single choice only partial credit or penalty.
            option["weight"] = weight or 0.0
    message = _choice_rule(weights, single, _("multiple choice question %(name)s", name=name))
    if message:
        rules.append((body.start, message))
    return {"type": "single_choice" if single else "multiple_choice", "options": options}


def _choice_rule(weights: list[float | None], single: bool, what: str) -> str | None:
    """Return what is wrong with the right answers of a choice question, if anything."""
    if single:
        right = sum(weight == 1 for weight in weights)
        if right == 1:
            return None
        return _(
            "%(what)s has %(right)d right answers (= or %%100%%); learners pick one, so keep "
            "one =, or for choose-all-that-apply write no = and weight the answers, "
            "like ~%%50%%a ~%%50%%b ~%%-100%%c",
            what=what,
            right=right,
        )
    total = sum(weight for weight in weights if weight is not None and weight > 0)
    if total == 0:
        return _(
            "%(what)s has no right answer "
            "(mark one with =, or give the right answers weights like ~%%50%%)",
            what=what,
        )
    if abs(total - 1) > 0.005:
        return _(
            "the weights of the right answers of %(what)s add up to %(total)s%%; "
            "make them add up to 100%%",
            what=what,
            total=f"{total * 100:.4g}",
        )
    return None


def _true_false(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """True/false: ``T``, ``F``, ``TRUE`` or ``FALSE``, then ``#wrong feedback#right feedback``."""
    lead, parts = body.split("#")
    fields: dict[str, Any] = {
        "type": "true_false",
        "answer": _TRUE_FALSE[lead.live.strip().upper()],
    }
    if len(parts) > 2:
        message = _(
            "true/false question %(name)s has more than two feedbacks (#wrong#right); "
            r"write a # inside feedback as \#",
            name=name,
        )
        problems.append((parts[2][1].start, message))
    for key, (_marker, part) in zip(("feedback_wrong", "feedback_right"), parts, strict=False):
        if part.text():
            fields[key] = {locale: part.text()}
    return fields


def _short_answer(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Short answer: only ``=`` answers, each with optional ``%weight%`` and ``#feedback``."""
    before = len(problems)
    lead, parts = body.split("=")
    _no_text_before_answers(lead, name, problems)
    answers: list[dict[str, Any]] = []
    for index, (_marker, part) in enumerate(parts):
        what = _("answer %(number)d of short answer question %(name)s", number=index + 1, name=name)
        weight, rest = _weight(part, what, problems)
        text_span, feedback = _feedback(rest, locale)
        if not text_span.text():
            problems.append((part.start, _("%(what)s is empty", what=what)))
        answers.append({"text": text_span.text(), "weight": 1.0 if weight is None else weight})
        if feedback:
            answers[-1]["feedback"] = feedback
    if len(problems) == before and not any(answer["weight"] == 1 for answer in answers):
        message = _(
            "short answer question %(name)s has no answer worth full marks; "
            "write one as =answer or =%%100%%answer",
            name=name,
        )
        problems.append((body.start, message))
    return {"type": "short_answer", "answers": answers}


def _matching(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Matching: ``=prompt -> match`` pairs (two or more; Moodle wants three)."""
    before = len(problems)
    lead, parts = body.split("=")
    _no_text_before_answers(lead, name, problems)
    pairs: list[dict[str, Any]] = []
    for index, (_marker, part) in enumerate(parts):
        what = _("pair %(number)d of matching question %(name)s", number=index + 1, name=name)
        arrow = part.find("->")
        if _WEIGHT.match(part.strip().live) or "#" in part.live:
            problems.append(
                (
                    part.start,
                    _(
                        "%(what)s: matching pairs take no %%weight%% or #feedback (use ####)",
                        what=what,
                    ),
                )
            )
        elif arrow < 0:
            problems.append(
                (part.start, _('%(what)s has no "->"; write it as =prompt -> match', what=what))
            )
        elif part.find("->", arrow + 2) >= 0:
            problems.append((part.start, _('%(what)s has more than one "->"', what=what)))
        elif not part.sub(0, arrow).text():
            problems.append(
                (
                    part.start,
                    _(
                        "%(what)s has nothing before ->; extra wrong matches are not supported",
                        what=what,
                    ),
                )
            )
        elif not part.sub(arrow + 2).text():
            problems.append((part.start, _("%(what)s has nothing after ->", what=what)))
        else:
            pairs.append(
                {
                    "id": option_id(index),
                    "prompt": {locale: part.sub(0, arrow).text()},
                    "match": {locale: part.sub(arrow + 2).text()},
                }
            )
    if len(problems) == before and len(pairs) < 2:
        problems.append(
            (body.start, _("matching question %(name)s needs at least two pairs", name=name))
        )
    return {"type": "matching", "pairs": pairs}


def _numerical(body: Span, name: str, locale: str, problems: list[Problem]) -> dict[str, Any]:
    """Numerical: ``#3.14:0.01``, ``#1..5``, or ``# =%100%3.14:0.01 =%50%3.1:0.1 ~#feedback``."""
    before = len(problems)
    lead, parts = body.split("=~")
    fields: dict[str, Any] = {"type": "numerical", "answers": []}
    right = [(index, part) for index, (marker, part) in enumerate(parts) if marker == "="]
    if lead.live.strip():
        if right:
            problems.append(
                (
                    body.start,
                    _(
                        "numerical question %(name)s: give one number after # or =answers",
                        name=name,
                    ),
                )
            )
        right = [(0, lead)]
    elif not right:
        problems.append(
            (body.start, _("numerical question %(name)s has no answer after #", name=name))
        )
    for index, part in right:
        what = _("answer %(number)d of numerical question %(name)s", number=index + 1, name=name)
        weight, rest = (None, part) if part is lead else _weight(part, what, problems)
        spec, feedback = _feedback(rest, locale)
        answer = _number_answer(spec, what, problems)
        if answer is not None:
            answer["weight"] = 1.0 if weight is None else weight
            if feedback:
                answer["feedback"] = feedback
            fields["answers"].append(answer)
    for marker, part in parts:
        if marker == "~":
            # Moodle's "any other answer" feedback: ~ followed only by #feedback.
            text_span, feedback = _feedback(part, locale)
            if text_span.live.strip():
                problems.append(
                    (
                        part.start,
                        _(
                            "numerical question %(name)s: ~ takes only #feedback, no number",
                            name=name,
                        ),
                    )
                )
            elif feedback:
                fields["feedback_wrong"] = feedback
    if len(problems) == before and not any(a["weight"] == 1 for a in fields["answers"]):
        message = _(
            "numerical question %(name)s has no answer worth full marks; "
            "write one as =number or =%%100%%number",
            name=name,
        )
        problems.append((body.start, message))
    return fields


def _number(text: str) -> float | None:
    value = float(text) if _NUMBER.fullmatch(text.strip()) else math.nan
    return value if math.isfinite(value) else None


def _number_answer(spec: Span, what: str, problems: list[Problem]) -> dict[str, Any] | None:
    """Read ``value``, ``value:tolerance`` or ``min..max``."""
    text = spec.text()
    if ".." in text:
        low, high = (_number(part) for part in text.split("..", 1))
        if low is not None and high is not None and low <= high:
            return {"min": low, "max": high}
        message = _(
            "%(what)s is the range %(text)r; write it as min..max, like 1..5", what=what, text=text
        )
    elif ":" in text:
        value, tolerance = (_number(part) for part in text.split(":", 1))
        if value is not None and tolerance is not None and tolerance >= 0:
            return {"value": value, "tolerance": tolerance}
        message = _(
            "%(what)s is %(text)r; write it as number:tolerance, like 3.14:0.01",
            what=what,
            text=text,
        )
    else:
        value = _number(text)
        if value is not None:
            return {"value": value, "tolerance": 0.0}
        message = _("%(what)s is %(text)r, which is not a number", what=what, text=text)
    problems.append((spec.strip().start, message))
    return None
