"""The trainer's question-bank pages: banks, their pools, and a form per question type."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from lms_cx.auth import role_required
from lms_cx.blueprints.trainer import (
    AUTHORS,
    confirm_delete,
    editing_locale,
    found,
    offered_locales,
    render_form,
    render_page,
    trainer,
    ui_locale,
)
from lms_cx.db import get_session
from lms_cx.forms.authoring import ActionForm, MoveForm, apply_errors, locale_choices
from lms_cx.forms.authoring_content import BankForm, CloneForm, PoolDrawForm, PoolForm
from lms_cx.forms.authoring_questions import QUESTION_FORMS, QuestionForm
from lms_cx.i18n import gettext as _
from lms_cx.models import Question, QuestionBank
from lms_cx.services.authoring import FieldErrors, free_slug
from lms_cx.services.authoring_banks import (
    add_pool,
    clone_bank,
    create_bank,
    delete_bank,
    delete_pool,
    find_bank,
    find_pool,
    update_bank,
    update_pool,
)
from lms_cx.services.authoring_catalogue import list_banks, persona_choices, pool_choices
from lms_cx.services.authoring_overviews import bank_overview
from lms_cx.services.authoring_questions import (
    delete_question,
    duplicate_question,
    find_question,
    move_question,
    question_refs,
    save_question,
)


@trainer.get("/banks/")
@role_required(*AUTHORS)
def banks() -> Any:
    """List question banks with their sizes and the modules using them."""
    search = (request.args.get("q") or "").strip()
    rows = list_banks(get_session(), ui_locale(), search=search or None)
    return render_page("banks.html", rows=rows, search=search)


def _bank_form(form: BankForm) -> BankForm:
    form.default_locale.choices = locale_choices(offered_locales())
    return form


@trainer.route("/banks/new", methods=["GET", "POST"])
@role_required(*AUTHORS)
def bank_new() -> Any:
    """Create an empty question bank."""
    form = _bank_form(BankForm(data={"default_locale": ui_locale(), "shuffle_options": True}))
    if form.validate_on_submit():
        try:
            bank = create_bank(get_session(), form.fields(), form.default_locale.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Question bank created. Add its questions."), "info")
            return redirect(url_for(".bank", slug=bank.slug))
    return render_form("bank_form.html", form, bank=None)


def _bank_page(bank: QuestionBank, **extra: Any) -> Any:
    session = get_session()
    pool_form = extra.pop("pool_form", None) or PoolForm(formdata=None)
    status = extra.pop("status", 200)
    return render_page(
        "bank.html",
        status,
        overview=bank_overview(session, bank, ui_locale()),
        pool_form=pool_form,
        action=ActionForm(formdata=None),
        move=MoveForm(formdata=None),
        question_types=QUESTION_FORMS,
        **extra,
    )


@trainer.get("/banks/<slug>/")
@role_required(*AUTHORS)
def bank(slug: str) -> Any:
    """Show a bank's editor: settings, pools and questions."""
    return _bank_page(found(find_bank(get_session(), slug)))


@trainer.route("/banks/<slug>/edit", methods=["GET", "POST"])
@role_required(*AUTHORS)
def bank_edit(slug: str) -> Any:
    """Edit a bank's title and shuffle settings."""
    session = get_session()
    item = found(find_bank(session, slug))
    locale = editing_locale(item.default_locale, *item.title)
    form = _bank_form(BankForm(data=BankForm.initial(item, locale)))
    del form.slug  # a bank keeps its slug: modules and file imports refer to it
    if form.validate_on_submit():
        try:
            update_bank(session, item, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Question bank saved."), "info")
            return redirect(url_for(".bank", slug=slug))
    return render_form(
        "bank_form.html", form, bank=item, locale=locale, default_locale=item.default_locale
    )


@trainer.route("/banks/<slug>/clone", methods=["GET", "POST"])
@role_required(*AUTHORS)
def bank_clone(slug: str) -> Any:
    """Copy a bank with its pools and questions."""
    session = get_session()
    item = found(find_bank(session, slug))
    form = CloneForm(data={"slug": free_slug(session, QuestionBank, f"{slug}-copy"[:110])})
    if form.validate_on_submit():
        try:
            copy = clone_bank(
                session, item, form.slug.data, item.default_locale, form.title.data or None
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Question bank copied."), "info")
            return redirect(url_for(".bank", slug=copy.slug))
    return render_form("clone.html", form, kind="bank", item=item)


@trainer.route("/banks/<slug>/delete", methods=["GET", "POST"])
@role_required(*AUTHORS)
def bank_delete(slug: str) -> Any:
    """Ask, then delete a bank that no module uses."""
    item = found(find_bank(get_session(), slug))
    return confirm_delete(
        lambda: delete_bank(get_session(), item),
        what=_("the question bank “%(slug)s” and all its questions", slug=slug),
        back=url_for(".bank", slug=slug),
        done=url_for(".banks"),
        deleted=_("Question bank deleted."),
    )


@trainer.post("/banks/<slug>/pools")
@role_required(*AUTHORS)
def pool_add(slug: str) -> Any:
    """Add a pool to the bank."""
    session = get_session()
    item = found(find_bank(session, slug))
    form = PoolForm()
    if form.validate_on_submit():
        try:
            add_pool(session, item, form.slug.data, form.draw_count.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Pool added."), "info")
            return redirect(url_for(".bank", slug=slug) + "#pools")
    return _bank_page(item, pool_form=form, status=422)


@trainer.route("/banks/<slug>/pools/<pool>", methods=["GET", "POST"])
@role_required(*AUTHORS)
def pool_edit(slug: str, pool: str) -> Any:
    """Change how many questions a pool gives each attempt."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_pool(session, item, pool))
    form = PoolDrawForm(data={"draw_count": row.draw_count})
    if form.validate_on_submit():
        try:
            update_pool(session, row, form.draw_count.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Pool saved."), "info")
            return redirect(url_for(".bank", slug=slug) + "#pools")
    return render_form("pool_form.html", form, bank=item, pool=row)


@trainer.post("/banks/<slug>/pools/<pool>/delete")
@role_required(*AUTHORS)
def pool_delete(slug: str, pool: str) -> Any:
    """Delete a pool; its questions stay in the bank."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_pool(session, item, pool))
    if ActionForm().validate_on_submit():
        delete_pool(session, row)
        flash(_("Pool deleted; its questions are now always asked."), "info")
    return redirect(url_for(".bank", slug=slug) + "#pools")


def _question_form(
    bank: QuestionBank, kind: str, question: Question | None, locale: str
) -> QuestionForm:
    session = get_session()
    form_class = found(QUESTION_FORMS.get(kind))
    persona, pool = question_refs(session, question) if question else ("", "")
    form = form_class(data=form_class.initial(question, persona, pool, locale))
    form.set_choices(pool_choices(session, bank), persona_choices(session, ui_locale(), [persona]))
    if question is not None:
        del form.slug  # a question keeps its slug: answers and versions refer to it
    if request.method == "GET":
        form.add_blank_rows()
    return form


def _save_question(
    bank: QuestionBank, kind: str, question: Question | None, locale: str
) -> tuple[QuestionForm, Question | None]:
    """Validate the question form and save it; return the form and the saved question."""
    form = _question_form(bank, kind, question, locale)
    if form.add_rows.data:
        form.add_blank_rows()
        return form, None
    if form.validate_on_submit():
        fields, rows = form.fields(kind)
        try:
            return form, save_question(get_session(), bank, question, fields, locale)
        except FieldErrors as errors:
            form.show_errors(errors, rows)
    return form, None


@trainer.get("/banks/<slug>/questions/new")
@role_required(*AUTHORS)
def question_types(slug: str) -> Any:
    """Choose the type of a new question."""
    item = found(find_bank(get_session(), slug))
    return render_page("question_types.html", bank=item, question_types=QUESTION_FORMS)


@trainer.route("/banks/<slug>/questions/new/<kind>", methods=["GET", "POST"])
@role_required(*AUTHORS)
def question_new(slug: str, kind: str) -> Any:
    """Add a question of type ``kind`` to the bank."""
    item = found(find_bank(get_session(), slug))
    form, saved = _save_question(item, kind, None, item.default_locale)
    if saved is not None:
        flash(_("Question added."), "info")
        return redirect(url_for(".bank", slug=slug) + "#questions")
    return render_form(
        "question_form.html", form, bank=item, question=None, kind=kind, locale=item.default_locale
    )


@trainer.route("/banks/<slug>/questions/<question>/", methods=["GET", "POST"])
@role_required(*AUTHORS)
def question_edit(slug: str, question: str) -> Any:
    """Edit a question in the ``?locale=`` language."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_question(session, item, question))
    locale = editing_locale(item.default_locale, *row.prompt)
    form, saved = _save_question(item, row.type, row, locale)
    if saved is not None:
        flash(_("Question saved."), "info")
        return redirect(url_for(".bank", slug=slug) + "#questions")
    return render_form(
        "question_form.html",
        form,
        bank=item,
        question=row,
        kind=row.type,
        locale=locale,
        default_locale=item.default_locale,
    )


@trainer.post("/banks/<slug>/questions/<question>/move")
@role_required(*AUTHORS)
def question_move(slug: str, question: str) -> Any:
    """Move a question up or down."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_question(session, item, question))
    form = MoveForm()
    if form.validate_on_submit():
        move_question(session, item, row, form.offset())
    return redirect(url_for(".bank", slug=slug) + "#questions")


@trainer.post("/banks/<slug>/questions/<question>/duplicate")
@role_required(*AUTHORS)
def question_duplicate(slug: str, question: str) -> Any:
    """Copy a question right after itself and open the copy."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_question(session, item, question))
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".bank", slug=slug))
    copy = duplicate_question(session, item, row)
    flash(_("Question copied."), "info")
    return redirect(url_for(".question_edit", slug=slug, question=copy.slug))


@trainer.route("/banks/<slug>/questions/<question>/delete", methods=["GET", "POST"])
@role_required(*AUTHORS)
def question_delete(slug: str, question: str) -> Any:
    """Ask, then delete a draft question (published versions keep it)."""
    session = get_session()
    item = found(find_bank(session, slug))
    row = found(find_question(session, item, question))
    return confirm_delete(
        lambda: delete_question(session, row),
        what=_("the question “%(slug)s”", slug=row.slug),
        back=url_for(".bank", slug=slug),
        done=url_for(".bank", slug=slug) + "#questions",
        deleted=_("Question deleted."),
    )
