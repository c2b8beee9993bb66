"""Import Moodle GIFT question files as lms_cx question banks.

    bank_id, locale = bank_id_and_locale(path)  # returns.pl.gift -> ("returns", "pl")
    bank = parse_gift(path.read_text("utf-8"), filename=str(path), bank_id=bank_id, locale=locale)

The result has the shape of a ``quizzes/<id>.yaml`` bank, with each question's starting line in
``line``. Every problem in the file is collected and raised together as ``GiftError``; a file with
any problem yields no bank. What is supported and refused: docs/gift.md. GIFT reference:
https://docs.moodle.org/en/GIFT_format.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from lms_cx.content.gift_answers import Problem, Span, parse_answers, unescape
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FORMAT = re.compile(r"\[(markdown|html|plain|moodle)\]")
_CATEGORY = "$CATEGORY:"
# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "œ": "oe"}
)
_BLANK = "_____"
_BANK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


class GiftError(ValidationError):
    """Every problem found in a GIFT file, as ``(line, message)`` pairs in ``errors``."""

    def __init__(self, errors: list[tuple[int, str]], filename: str = "<gift>") -> None:
        self.errors = sorted(errors, key=lambda error: error[0])
        self.filename = filename
        super().__init__(
            "\n".join(f"{filename}:{line}: {message}" for line, message in self.errors)
        )


def slugify(text: str) -> str:
    """Return ``text`` as an id: lowercase ASCII letters and digits joined by ``-`` (may be empty).

    >>> slugify("Zwrot środków: Goodwill credit!")
    'zwrot-srodkow-goodwill-credit'
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def id_for(name: str, prefix: str) -> str:
    """Return the id for a title or category ``name``: its slug, else a hash of it.

    Names in scripts without Latin letters (Persian, say) get ``prefix-`` and a short hash, so
    their ids stay the same when other questions are added or moved.

    >>> id_for("Zwroty środków", "pool"), id_for("رضایت مشتری", "q")
    ('zwroty-srodkow', 'q-7c942ba7')
    """
    return slugify(name) or f"{prefix}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def bank_id_and_locale(path: str | PurePath, default_locale: str = "en") -> tuple[str, str]:
    """Return the bank id and the language a GIFT file's name gives.

    >>> bank_id_and_locale("quizzes/returns.pl.gift")
    ('returns', 'pl')
    >>> bank_id_and_locale("quizzes/returns.gift")
    ('returns', 'en')
    """
    stem = PurePath(path).stem
    bank_id, dot, locale = stem.rpartition(".")
    if dot and bank_id and _LOCALE.match(locale):
        return bank_id, locale
    return stem, default_locale


def parse_gift(text: str, *, filename: str, bank_id: str, locale: str = "en") -> dict[str, Any]:
    """Return the question bank in GIFT ``text``, or raise GiftError listing every problem.

    ``filename`` names the file in messages; ``bank_id`` is the bank's id and gives its title;
    ``locale`` is the language of every text in the file.
    """
    errors: list[tuple[int, str]] = []
    questions: list[dict[str, Any]] = []
    pools: list[dict[str, Any]] = []
    pool: str | None = None
    used_ids: set[str] = set()
    for item in _read_items(text):
        if isinstance(item, _Category):
            pool = _pool_for(item, errors)
            continue
        number = len(questions) + 1
        question, problems = _read_question(item, number, locale)
        errors.extend((item.line_at(offset), message) for offset, message in problems)
        question["id"] = _unique(question.pop("slug") or f"q{number}", used_ids)
        question["pool"] = pool
        if pool is not None and all(entry["id"] != pool for entry in pools):
            pools.append({"id": pool, "draw": None})
        questions.append(question)
    if not questions and not errors:
        errors.append(
            (1, _("the file has no questions (a question is text followed by {answers})"))
        )
    if not _BANK_ID.match(bank_id):
        message = _(
            "the file name gives the question bank id %(bank)r; rename the file to lowercase "
            "letters, digits, - and _ (like customer-service.gift)",
            bank=bank_id,
        )
        errors.append((1, message))
    if errors:
        raise GiftError(errors, filename)
    return {
        "id": bank_id,
        "default_locale": locale,
        "title": {locale: _title(bank_id)},
        "shuffle_questions": False,
        "shuffle_options": True,
        "pools": pools,
        "questions": [_in_bank_order(question) for question in questions],
        "source": "gift",
    }


@dataclass(frozen=True)
class _Category:
    """A ``$CATEGORY: path`` line: the questions after it go to the pool named by its last part."""

    line: int
    path: str


@dataclass(frozen=True)
class _Block:
    """The lines of one question (comment lines left out), with their line numbers."""

    numbers: list[int]
    lines: list[str]

    @property
    def text(self) -> str:
        """Return the question's text, its lines joined by newlines."""
        return "\n".join(self.lines)

    def line_at(self, offset: int) -> int:
        """Return the file line of ``offset`` in ``text``."""
        return self.numbers[min(self.text.count("\n", 0, offset), len(self.numbers) - 1)]


def _read_items(text: str) -> Iterator[_Block | _Category]:
    """Split the file into questions (separated by blank lines) and category lines."""
    numbers: list[int] = []
    lines: list[str] = []
    for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if (not stripped or stripped.startswith(_CATEGORY)) and lines:
            yield _Block(numbers, lines)
            numbers, lines = [], []
        if stripped.startswith(_CATEGORY):
            yield _Category(number, stripped[len(_CATEGORY) :].strip())
        elif stripped:
            numbers.append(number)
            lines.append(line)
    if lines:
        yield _Block(numbers, lines)


def _pool_for(category: _Category, errors: list[tuple[int, str]]) -> str | None:
    """Return the pool id of a category: the slug of its last part (``//`` is a literal /)."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", category.path)]
    names = [part for part in parts if part]
    if not names:
        errors.append((category.line, "$CATEGORY: names no category; write $CATEGORY: path/name"))
        return None
    return id_for(names[-1], "pool")


def _read_question(block: _Block, number: int, locale: str) -> tuple[dict[str, Any], list[Problem]]:
    """Return a question (without id and pool, with its title's ``slug``) and its problems."""
    problems: list[Problem] = []
    span = Span.of(block.text).strip()
    question: dict[str, Any] = {"slug": "", "line": block.numbers[0]}
    title = ""
    if span.live.startswith("::"):
        close = span.find("::", 2)
        if close < 0:
            problems.append((span.start, _("the question title is not closed; end it with ::")))
            return question, problems
        title = span.sub(2, close).text()
        question["slug"] = id_for(title, "q") if title.strip() else ""
        span = span.sub(close + 2).strip()
    text_format = _FORMAT.match(span.live)
    if text_format:
        span = span.sub(text_format.end()).strip()
        if text_format.group(1) in ("markdown", "html"):
            question["format"] = text_format.group(1)
    opening = span.find("{")
    if opening < 0:
        name = _name(title, span.text(), number)
        stray = span.find("}")
        if stray >= 0:
            message = _(
                r"question %(name)s has a } with no { before it; write a literal } as \}",
                name=name,
            )
            problems.append((span.start + stray, message))
        else:
            problems.append(
                (
                    span.start,
                    _(
                        "question %(name)s has no {answers}: description items are not "
                        "supported; remove the text, comment it out with //, or give it answers",
                        name=name,
                    ),
                )
            )
        return question, problems
    closing = span.find("}", opening + 1)
    before = span.sub(0, opening)
    after = span.sub(closing + 1) if closing >= 0 else span.sub(len(span.live))
    if after.live.strip():
        # Answers in mid-sentence: "The sky is {=blue ~green} today." becomes a blank.
        prompt = unescape(block.text[before.start : before.end]) + _BLANK
        prompt = (prompt + unescape(block.text[after.start : after.end])).strip()
    else:
        prompt = before.text()
    nested = span.find("{", opening + 1)
    strays = [at for at in (after.find("{"), after.find("}")) if at >= 0]
    # A question with broken braces is named by the text before them, not a guessed prompt.
    name = _name(title, prompt if closing >= 0 and not strays else before.text(), number)
    if closing < 0:
        message = _(
            "question %(name)s: this { is never closed with } "
            "(a blank line ends a question, so keep its answers together)",
            name=name,
        )
        problems.append((span.start + opening, message))
    elif 0 <= nested < closing:
        message = _(
            r"question %(name)s has a { inside its answers; write a literal { as \{", name=name
        )
        problems.append((span.start + nested, message))
    elif before.find("}") >= 0:
        message = _(
            r"question %(name)s has a } before its answers; write a literal } as \}", name=name
        )
        problems.append((before.start + before.find("}"), message))
    elif strays and after.live[min(strays)] == "{":
        message = _(
            "question %(name)s has a second {answers}: put a blank line between questions "
            r"(and write a literal { as \{)",
            name=name,
        )
        problems.append((after.start + min(strays), message))
    elif strays:
        message = _(
            r"question %(name)s has a } after its answers; write a literal } as \}", name=name
        )
        problems.append((after.start + min(strays), message))
    elif not prompt:
        problems.append(
            (span.start, _("question %(name)s has no text before its answers", name=name))
        )
    if problems:
        return question, problems
    fields = parse_answers(span.sub(opening + 1, closing), name, locale, problems)
    question.update(type=fields.pop("type", None), prompt={locale: prompt}, **fields)
    return question, problems


def _name(title: str, prompt: str, number: int) -> str:
    """Return how messages name a question: its title, else the start of its text."""
    if title:
        return f'"{title}"'
    if prompt:
        short = " ".join(prompt.split())
        return f'"{short[:40]}…"' if len(short) > 40 else f'"{short}"'
    return _("number %(number)d", number=number)


def _unique(base: str, used: set[str]) -> str:
    """Return ``base``, or ``base-2``, ``base-3``... whichever is not in ``used`` yet; record it."""
    candidate, suffix = base, 2
    while candidate in used:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def _in_bank_order(question: dict[str, Any]) -> dict[str, Any]:
    """Return the question with its keys in the order the YAML banks use."""
    first = ("id", "line", "pool", "type", "format", "prompt")
    ordered = {key: question[key] for key in first if key in question}
    rest = {k: v for k, v in question.items() if k not in ordered and k != "explanation"}
    return (
        ordered
        | rest
        | ({"explanation": question["explanation"]} if "explanation" in question else {})
    )


def _title(bank_id: str) -> str:
    """Return a bank title from its id: ``goodwill_credits`` -> ``Goodwill credits``."""
    words = " ".join(re.split(r"[-_\s]+", bank_id)).strip() or bank_id
    return words[:1].upper() + words[1:]
