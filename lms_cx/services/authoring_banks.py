"""Authoring question banks from the web: banks, pools (draw N of M) and typed questions.

A question's type-specific data is checked by the same pydantic registry that checks the
quiz files (``lms_cx.content.question_types``), so a question saved from a form is exactly
one a file could hold; its problems come back keyed by the form field they concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import Module, Question, QuestionBank, QuestionPool
from lms_cx.services.authoring import (
    FieldErrors,
    check_new_slug,
    free_slug,
    require_default_text,
    saving,
    set_text,
)
from lms_cx.services.authoring_modules import LOCALE_PATTERN


@dataclass(frozen=True)
class BankFields:
    """What the bank form sends; the title is in the editing locale."""

    title: str
    default_locale: str = "en"
    shuffle_questions: bool = False
    shuffle_options: bool = True
    #: A new bank's slug (banks keep theirs once made).
    slug: str | None = None


def find_bank(session: Session, slug: str) -> QuestionBank | None:
    """Return the question bank with ``slug``, if any."""
    return session.scalar(sa.select(QuestionBank).where(QuestionBank.slug == slug))


def find_pool(session: Session, bank: QuestionBank, slug: str) -> QuestionPool | None:
    """Return ``bank``'s pool with ``slug``, if any."""
    return session.scalar(
        sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id, QuestionPool.slug == slug)
    )


def _bank_values(
    session: Session, bank: QuestionBank | None, fields: BankFields, locale: str
) -> dict[str, Any]:
    errors = FieldErrors()
    values: dict[str, Any] = {}
    if bank is None:
        values["slug"] = check_new_slug(session, QuestionBank, fields.slug or "", errors=errors)
    if not LOCALE_PATTERN.match(fields.default_locale or ""):
        errors.add("default_locale", _("Choose a language."))
    title = set_text(bank.title if bank else None, locale, fields.title)
    require_default_text(errors, "title", title, fields.default_locale, _("title"))
    errors.raise_if_any()
    values.update(
        title=title,
        default_locale=fields.default_locale,
        shuffle_questions=fields.shuffle_questions,
        shuffle_options=fields.shuffle_options,
    )
    return values


def create_bank(session: Session, fields: BankFields, locale: str) -> QuestionBank:
    """Add an empty question bank made on the web; raise FieldErrors on problems."""
    values = _bank_values(session, None, fields, locale)
    with saving(session):
        bank = QuestionBank(source="web", **values)
        session.add(bank)
    return bank


def update_bank(
    session: Session, bank: QuestionBank, fields: BankFields, locale: str
) -> QuestionBank:
    """Save a bank's title and shuffle settings; raise FieldErrors on problems."""
    values = _bank_values(session, bank, fields, locale)
    with saving(session):
        for key, value in values.items():
            setattr(bank, key, value)
    return bank


def create_module_bank(session: Session, module: Module) -> QuestionBank:
    """Make an empty bank for ``module`` (named after it) and make it the module's quiz."""
    with saving(session):
        bank = QuestionBank(
            slug=free_slug(session, QuestionBank, module.slug),
            title=dict(module.title),
            default_locale=module.default_locale,
            shuffle_options=True,
            source="web",
        )
        session.add(bank)
        session.flush()
        module.question_bank_id = bank.id
    return bank


def copy_bank(session: Session, bank: QuestionBank, slug: str) -> QuestionBank:
    """Copy ``bank`` with its pools and questions as ``slug`` (the caller commits)."""
    copy = QuestionBank(
        slug=slug,
        title=dict(bank.title),
        shuffle_questions=bank.shuffle_questions,
        shuffle_options=bank.shuffle_options,
        source="web",
        default_locale=bank.default_locale,
    )
    session.add(copy)
    session.flush()
    pools: dict[int, int] = {}
    for pool in session.scalars(sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id)):
        new_pool = QuestionPool(bank_id=copy.id, slug=pool.slug, draw_count=pool.draw_count)
        session.add(new_pool)
        session.flush()
        pools[pool.id] = new_pool.id
    for question in session.scalars(
        sa.select(Question).where(Question.bank_id == bank.id).order_by(Question.position)
    ):
        session.add(
            Question(
                bank_id=copy.id,
                pool_id=pools.get(question.pool_id) if question.pool_id else None,
                slug=question.slug,
                position=question.position,
                type=question.type,
                prompt=dict(question.prompt),
                explanation=dict(question.explanation),
                data=dict(question.data),
                persona_id=question.persona_id,
                weight=question.weight,
            )
        )
    session.flush()
    return copy


def clone_bank(
    session: Session, bank: QuestionBank, slug: str, locale: str, title: str | None = None
) -> QuestionBank:
    """Copy ``bank`` as a new web bank ``slug``; raise FieldErrors (writing nothing) on problems."""
    errors = FieldErrors()
    slug = check_new_slug(session, QuestionBank, slug, errors=errors)
    errors.raise_if_any()
    with saving(session):
        copy = copy_bank(session, bank, slug)
        if title:
            copy.title = set_text(copy.title, locale, title)
    return copy


def delete_bank(session: Session, bank: QuestionBank) -> None:
    """Delete a bank no module uses (published versions keep their copy of its questions)."""
    users = session.execute(
        sa.select(Module.slug, Module.title, Module.default_locale).where(
            Module.question_bank_id == bank.id
        )
    ).all()
    if users:
        names = ", ".join(pick_text(title, loc, loc) or slug for slug, title, loc in users)
        raise FieldErrors.one("", _("These modules use this bank: %(names)s.", names=names))
    with saving(session):
        session.delete(bank)


def add_pool(
    session: Session, bank: QuestionBank, slug: str, draw_count: int | None
) -> QuestionPool:
    """Add a pool to ``bank`` from which each attempt draws ``draw_count`` questions."""
    errors = FieldErrors()
    slug = check_new_slug(
        session,
        QuestionPool,
        slug,
        field="slug",
        errors=errors,
        scope=QuestionPool.bank_id == bank.id,
    )
    if draw_count is None or draw_count < 1:
        errors.add("draw_count", _("Enter how many questions each attempt draws, 1 or more."))
    errors.raise_if_any()
    with saving(session):
        pool = QuestionPool(bank_id=bank.id, slug=slug, draw_count=draw_count)
        session.add(pool)
    return pool


def update_pool(session: Session, pool: QuestionPool, draw_count: int | None) -> None:
    """Change how many questions each attempt draws from ``pool``."""
    if draw_count is None or draw_count < 1:
        raise FieldErrors.one(
            "draw_count", _("Enter how many questions each attempt draws, 1 or more.")
        )
    with saving(session):
        pool.draw_count = draw_count


def delete_pool(session: Session, pool: QuestionPool) -> None:
    """Delete ``pool``; its questions stay in the bank, outside any pool."""
    with saving(session):
        session.execute(sa.update(Question).where(Question.pool_id == pool.id).values(pool_id=None))
        session.delete(pool)


def pool_sizes(session: Session, bank: QuestionBank) -> dict[str, int]:
    """Return how many questions each of ``bank``'s pools holds, by pool slug."""
    return dict(
        session.execute(
            sa.select(QuestionPool.slug, sa.func.count(Question.id))
            .outerjoin(Question, Question.pool_id == QuestionPool.id)
            .where(QuestionPool.bank_id == bank.id)
            .group_by(QuestionPool.slug)
        ).all()
    )
