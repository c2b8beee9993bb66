"""Authoring questions from the web, checked by the question-type registry of the quiz files.

A question's type-specific data is validated by ``lms_cx.content.question_types``, so a question
saved from a form is exactly one a file could hold; its problems come back keyed by the form
field they concern (``options-2-score``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pydantic
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.content.question_types import QUESTION_TYPES
from lms_cx.i18n import gettext as _
from lms_cx.models import Persona, Question, QuestionBank, QuestionPool
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    merge_localized,
    require_default_text,
    saving,
    set_text,
)
from lms_cx.services.authoring_banks import find_pool

#: Where problems of a question's data as a whole (not of one field) are reported.
WHOLE_QUESTION = "*"


@dataclass(frozen=True)
class QuestionFields:
    """What a question form sends.

    ``data`` holds the type's own fields in the file format (``options``, ``answer``...), with
    ``Localized`` texts in the editing locale where the file has per-locale texts.
    """

    type: str
    prompt: str
    explanation: str = ""
    weight: float | None = 1.0
    pool_slug: str | None = None
    persona_slug: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: A new question's slug; blank picks the next free ``q-<n>``.
    slug: str | None = None


def find_question(session: Session, bank: QuestionBank, slug: str) -> Question | None:
    """Return ``bank``'s question with ``slug``, if any."""
    return session.scalar(
        sa.select(Question).where(Question.bank_id == bank.id, Question.slug == slug)
    )


def _pydantic_message(error: Any) -> str:
    """Return a pydantic error as a sentence for authors, in their language."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This is required.")
    if kind == "string_too_short" or (kind == "too_short" and ctx.get("field_type") != "List"):
        return _("Enter a text.")
    if kind == "too_short":
        return _("Give at least %(count)d.", count=ctx.get("min_length", 1))
    if kind == "greater_than_equal":
        return _("Enter %(value)s or more.", value=ctx.get("ge"))
    if kind == "less_than_equal":
        return _("Enter %(value)s or less.", value=ctx.get("le"))
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return _("Enter a number.")
    if kind == "bool_type" or kind == "bool_parsing":
        return _("Choose yes or no.")
    if kind == "string_pattern_mismatch":
        return _(
            "Use lowercase letters, digits, hyphens and underscores, starting with a letter "
            "or digit."
        )
    if kind == "value_error":
        # The registry's own rules ("needs exactly one correct option"), written for authors.
        message = str(ctx.get("error", error["msg"]))
        return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
    return _("This value is not valid.")


def _error_key(loc: tuple[Any, ...]) -> str:
    """Return the field a pydantic error location points at (``options-2-text``)."""
    if not loc:
        return WHOLE_QUESTION
    head, *rest = loc
    head = {"id": "slug"}.get(str(head), str(head))
    return "-".join([head, *map(str, rest)])


def question_problems(entry: dict[str, Any]) -> FieldErrors:
    """Check ``entry`` (a question in the file format) with the question-type registry."""
    errors = FieldErrors()
    model = QUESTION_TYPES.get(entry.get("type", ""))
    if model is None:
        errors.add("type", _("Choose one of the question types."))
        return errors
    try:
        model.model_validate(entry)
    except pydantic.ValidationError as error:
        for problem in error.errors():
            errors.add(_error_key(problem["loc"]), _pydantic_message(problem))
    return errors


def _question_values(
    session: Session,
    bank: QuestionBank,
    question: Question | None,
    fields: QuestionFields,
    locale: str,
) -> dict[str, Any]:
    errors = FieldErrors()
    if question is None:
        slug = (fields.slug or "").strip() or _next_question_slug(session, bank)
        slug = check_new_slug(
            session, Question, slug, errors=errors, scope=Question.bank_id == bank.id
        )
        kind = fields.type
    else:
        slug, kind = question.slug, question.type
    pool_id = persona_id = None
    if fields.pool_slug:
        pool = find_pool(session, bank, fields.pool_slug)
        if pool is None:
            errors.add("pool", _("This bank has no pool “%(slug)s”.", slug=fields.pool_slug))
        else:
            pool_id = pool.id
    if fields.persona_slug:
        persona_id = session.scalar(
            sa.select(Persona.id).where(Persona.slug == fields.persona_slug)
        )
        if persona_id is None:
            errors.add("persona", _("There is no persona “%(slug)s”.", slug=fields.persona_slug))
    prompt = set_text(question.prompt if question else None, locale, fields.prompt, multiline=True)
    explanation = set_text(
        question.explanation if question else None, locale, fields.explanation, multiline=True
    )
    require_default_text(errors, "prompt", prompt, bank.default_locale, _("question"))
    data = merge_localized(fields.data, question.data if question else {}, locale)
    entry = {
        "id": slug,
        "type": kind,
        "prompt": prompt,
        "explanation": explanation,
        "weight": fields.weight,
        "pool": fields.pool_slug,
        "persona": fields.persona_slug,
        **data,
    }
    # Absent rather than None, so the type's defaults and "required" messages apply.
    entry = {key: value for key, value in entry.items() if value not in (None, {})}
    for key, messages in question_problems(entry).errors.items():
        if key not in errors.errors:  # our own message about the same field is clearer
            for message in messages:
                errors.add(key, message)
    errors.raise_if_any()
    checked = QUESTION_TYPES[kind].model_validate(entry)
    values = {
        "type": kind,
        "prompt": prompt,
        "explanation": explanation,
        "weight": checked.weight,
        "pool_id": pool_id,
        "persona_id": persona_id,
        "data": checked.data(),
    }
    if question is None:
        values["slug"] = slug
    return values


def _next_question_slug(session: Session, bank: QuestionBank) -> str:
    count = session.scalar(sa.select(sa.func.count(Question.id)).where(Question.bank_id == bank.id))
    taken = set(session.scalars(sa.select(Question.slug).where(Question.bank_id == bank.id)))
    number = (count or 0) + 1
    while f"q-{number}" in taken:
        number += 1
    return f"q-{number}"


def save_question(
    session: Session,
    bank: QuestionBank,
    question: Question | None,
    fields: QuestionFields,
    locale: str,
) -> Question:
    """Add (``question`` None) or save a question; raise FieldErrors (writing nothing)."""
    values = _question_values(session, bank, question, fields, locale)
    with saving(session):
        if question is None:
            last = session.scalar(
                sa.select(sa.func.max(Question.position)).where(Question.bank_id == bank.id)
            )
            question = Question(
                bank_id=bank.id, position=(last + 1) if last is not None else 0, **values
            )
            session.add(question)
        else:
            for key, value in values.items():
                setattr(question, key, value)
    return question


def duplicate_question(session: Session, bank: QuestionBank, question: Question) -> Question:
    """Copy ``question`` right after itself under a free slug (``<slug>-copy``)."""
    taken = set(session.scalars(sa.select(Question.slug).where(Question.bank_id == bank.id)))
    slug, number = f"{question.slug}-copy", 2
    while slug in taken:
        slug, number = f"{question.slug}-copy-{number}", number + 1
    with saving(session):
        later = session.scalars(
            sa.select(Question).where(
                Question.bank_id == bank.id, Question.position > question.position
            )
        )
        for row in later:
            row.position += 1
        copy = Question(
            bank_id=bank.id,
            pool_id=question.pool_id,
            slug=slug,
            position=question.position + 1,
            type=question.type,
            prompt=dict(question.prompt),
            explanation=dict(question.explanation),
            data=dict(question.data),
            persona_id=question.persona_id,
            weight=question.weight,
        )
        session.add(copy)
    return copy


def move_question(session: Session, bank: QuestionBank, question: Question, offset: int) -> None:
    """Move ``question`` ``offset`` places (-1 earlier, 1 later) and renumber the bank."""
    questions = list(
        session.scalars(
            sa.select(Question)
            .where(Question.bank_id == bank.id)
            .order_by(Question.position, Question.id)
        )
    )
    index = questions.index(question)
    target = min(max(index + offset, 0), len(questions) - 1)
    questions.insert(target, questions.pop(index))
    with saving(session):
        for position, row in enumerate(questions):
            if row.position != position:
                row.position = position


def delete_question(session: Session, question: Question) -> None:
    """Delete a draft question (published versions and past answers keep their copy)."""
    with saving(session):
        session.delete(question)


def question_refs(session: Session, question: Question) -> tuple[str, str]:
    """Return the slugs of ``question``'s persona and pool ("" for none)."""
    persona = (
        session.scalar(sa.select(Persona.slug).where(Persona.id == question.persona_id))
        if question.persona_id
        else None
    )
    pool = (
        session.scalar(sa.select(QuestionPool.slug).where(QuestionPool.id == question.pool_id))
        if question.pool_id
        else None
    )
    return persona or "", pool or ""
