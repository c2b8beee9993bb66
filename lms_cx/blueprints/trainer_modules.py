"""The trainer's module pages: list, create, edit, clone, archive; lessons; preview; publish."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from lms_cx.auth import current_employee, role_required
from lms_cx.blueprints.trainer import (
    AUTHORS,
    confirm_delete,
    editing_locale,
    flash_errors,
    found,
    offered_locales,
    render_form,
    render_page,
    trainer,
    ui_locale,
)
from lms_cx.db import get_session
from lms_cx.forms.authoring import (
    ActionForm,
    ListFilterForm,
    MoveForm,
    PublishForm,
    apply_errors,
    locale_choices,
)
from lms_cx.forms.authoring_content import LessonForm, ModuleCloneForm, ModuleForm
from lms_cx.i18n import gettext as _
from lms_cx.markdown import render_markdown
from lms_cx.services.authoring import FieldErrors
from lms_cx.services.authoring_banks import create_module_bank
from lms_cx.services.authoring_catalogue import list_modules, track_choices
from lms_cx.services.authoring_changes import describe_changes
from lms_cx.services.authoring_history import find_module_version, module_history
from lms_cx.services.authoring_lessons import (
    add_lesson,
    delete_lesson,
    find_lesson,
    move_lesson,
    update_lesson,
)
from lms_cx.services.authoring_modules import (
    archive_module,
    clone_module,
    create_module,
    find_module,
    module_draft,
    restore_module,
    suggest_clone_slug,
    update_module,
)
from lms_cx.services.authoring_overviews import module_choices, module_overview
from lms_cx.services.authoring_preview import draft_view, version_view
from lms_cx.services.authoring_publishing import module_publish_preview, publish_module_draft


@trainer.get("/modules/")
@role_required(*AUTHORS)
def modules() -> Any:
    """List modules, filtered by track, stage, status and a search."""
    session = get_session()
    filters = ListFilterForm(request.args)
    filters.set_tracks(track_choices(session, ui_locale()))
    rows = list_modules(
        session,
        ui_locale(),
        track=filters.track.data or None,
        stage=filters.stage.data or None,
        status=filters.status.data or None,
        search=filters.q.data or None,
    )
    return render_page("modules.html", filters=filters, rows=rows)


def _module_form(form: ModuleForm, keep: list[str] | None = None) -> ModuleForm:
    choices = module_choices(get_session(), ui_locale(), keep)
    form.set_choices(
        choices.tracks, choices.banks, choices.personas, locale_choices(offered_locales())
    )
    return form


@trainer.route("/modules/new", methods=["GET", "POST"])
@role_required(*AUTHORS)
def module_new() -> Any:
    """Create a draft module."""
    form = _module_form(
        ModuleForm(
            data={
                "default_locale": ui_locale(),
                "feedback_mode": "immediate",
                "lifecycle_stage": "onboarding",
            }
        )
    )
    if form.validate_on_submit():
        try:
            module = create_module(get_session(), form.fields(), form.default_locale.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Module created. Add its lessons next."), "info")
            return redirect(url_for(".module", slug=module.slug))
    return render_form("module_form.html", form, module=None)


@trainer.get("/modules/<slug>/")
@role_required(*AUTHORS)
def module(slug: str) -> Any:
    """Show a module's editor: settings, lessons, personas, quiz and publishing."""
    session = get_session()
    item = found(find_module(session, slug))
    overview = module_overview(session, item, ui_locale())
    return render_page("module.html", overview=overview, action=ActionForm(), move=MoveForm())


@trainer.route("/modules/<slug>/edit", methods=["GET", "POST"])
@role_required(*AUTHORS)
def module_edit(slug: str) -> Any:
    """Edit a module's settings (texts in the ``?locale=`` language)."""
    session = get_session()
    item = found(find_module(session, slug))
    draft = module_draft(session, item)
    locale = editing_locale(item.default_locale, *item.title)
    form = _module_form(ModuleForm(data=ModuleForm.initial(draft, locale)), draft.persona_slugs)
    if draft.published:
        del form.slug  # a published module keeps its slug
    if form.validate_on_submit():
        try:
            update_module(session, item, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Module saved."), "info")
            return redirect(url_for(".module", slug=item.slug))
    context = {"module": item, "locale": locale, "default_locale": item.default_locale}
    return render_form("module_form.html", form, **context)


@trainer.route("/modules/<slug>/clone", methods=["GET", "POST"])
@role_required(*AUTHORS)
def module_clone(slug: str) -> Any:
    """Copy a module (lessons, personas, quiz bank) as a new draft."""
    session = get_session()
    item = found(find_module(session, slug))
    form = ModuleCloneForm(data={"slug": suggest_clone_slug(session, item), "copy_bank": True})
    if form.validate_on_submit():
        try:
            copy = clone_module(
                session,
                item,
                form.slug.data,
                item.default_locale,
                title=form.title.data or None,
                copy_bank=bool(form.copy_bank.data),
                bank_slug=form.bank_slug.data or None,
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Module copied as a draft."), "info")
            return redirect(url_for(".module", slug=copy.slug))
    context = {"kind": "module", "item": item}
    return render_form("clone.html", form, **context)


@trainer.post("/modules/<slug>/archive")
@role_required(*AUTHORS)
def module_archive(slug: str) -> Any:
    """Archive a module no live course holds."""
    session = get_session()
    item = found(find_module(session, slug))
    if ActionForm().validate_on_submit():
        try:
            archive_module(session, item)
        except FieldErrors as errors:
            flash_errors(errors)
        else:
            flash(_("Module archived."), "info")
    return redirect(url_for(".module", slug=slug))


@trainer.post("/modules/<slug>/restore")
@role_required(*AUTHORS)
def module_restore(slug: str) -> Any:
    """Bring an archived module back."""
    session = get_session()
    item = found(find_module(session, slug))
    if ActionForm().validate_on_submit():
        restore_module(session, item)
        flash(_("Module restored."), "info")
    return redirect(url_for(".module", slug=slug))


@trainer.post("/modules/<slug>/quiz")
@role_required(*AUTHORS)
def module_quiz_new(slug: str) -> Any:
    """Make an empty question bank for the module and go to it."""
    session = get_session()
    item = found(find_module(session, slug))
    if item.question_bank_id is not None or not ActionForm().validate_on_submit():
        return redirect(url_for(".module", slug=slug))
    bank = create_module_bank(session, item)
    flash(_("Question bank created. Add its questions."), "info")
    return redirect(url_for(".bank", slug=bank.slug))


@trainer.route("/modules/<slug>/lessons/new", methods=["GET", "POST"])
@role_required(*AUTHORS)
def lesson_new(slug: str) -> Any:
    """Add a lesson; "Preview" shows the sanitised Markdown without saving."""
    session = get_session()
    item = found(find_module(session, slug))
    locale = item.default_locale
    form = LessonForm()
    preview = None
    if form.preview.data:
        preview = render_markdown(form.body.data)
    elif form.validate_on_submit():
        try:
            lesson = add_lesson(session, item, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Lesson added."), "info")
            return redirect(url_for(".lesson", slug=slug, lesson=lesson.slug))
    context = {"module": item, "lesson": None, "preview": preview, "locale": locale}
    return render_form("lesson_form.html", form, **context)


@trainer.route("/modules/<slug>/lessons/<lesson>/", methods=["GET", "POST"])
@role_required(*AUTHORS)
def lesson(slug: str, lesson: str) -> Any:
    """Edit a lesson in the ``?locale=`` language, with a preview of its Markdown."""
    session = get_session()
    item = found(find_module(session, slug))
    row = found(find_lesson(session, item, lesson))
    locale = editing_locale(item.default_locale, *row.body)
    form = LessonForm(data=LessonForm.initial(row, locale))
    del form.slug  # a lesson keeps its slug: versions and progress refer to it
    preview = render_markdown(form.body.data)
    if form.preview.data:
        pass  # show the unsaved text rendered, save nothing
    elif form.validate_on_submit():
        try:
            update_lesson(session, item, row, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Lesson saved."), "info")
            return redirect(url_for(".lesson", slug=slug, lesson=row.slug, locale=locale))
    context = {
        "module": item,
        "lesson": row,
        "preview": preview,
        "locale": locale,
        "default_locale": item.default_locale,
    }
    return render_form("lesson_form.html", form, **context)


@trainer.post("/modules/<slug>/lessons/<lesson>/move")
@role_required(*AUTHORS)
def lesson_move(slug: str, lesson: str) -> Any:
    """Move a lesson up or down."""
    session = get_session()
    item = found(find_module(session, slug))
    row = found(find_lesson(session, item, lesson))
    form = MoveForm()
    if form.validate_on_submit():
        move_lesson(session, item, row, form.offset())
    return redirect(url_for(".module", slug=slug) + "#lessons")


@trainer.route("/modules/<slug>/lessons/<lesson>/delete", methods=["GET", "POST"])
@role_required(*AUTHORS)
def lesson_delete(slug: str, lesson: str) -> Any:
    """Ask, then delete a draft lesson (published versions keep it)."""
    session = get_session()
    item = found(find_module(session, slug))
    row = found(find_lesson(session, item, lesson))
    return confirm_delete(
        lambda: delete_lesson(session, row),
        what=_("the lesson “%(title)s”", title=row.title.get(item.default_locale) or row.slug),
        back=url_for(".module", slug=slug),
        done=url_for(".module", slug=slug) + "#lessons",
        deleted=_("Lesson deleted."),
    )


@trainer.get("/modules/<slug>/preview")
@role_required(*AUTHORS)
def module_preview(slug: str) -> Any:
    """Show the module's drafts as a learner would see them; nothing is recorded."""
    session = get_session()
    item = found(find_module(session, slug))
    locale = editing_locale(item.default_locale, *item.title)
    view = draft_view(session, item, locale)
    return render_page(
        "preview.html",
        view=view,
        module=item,
        version=None,
        locale=locale,
        default_locale=item.default_locale,
    )


@trainer.route("/modules/<slug>/publish", methods=["GET", "POST"])
@role_required(*AUTHORS)
def module_publish(slug: str) -> Any:
    """Show what publishing would change; publish on confirmation."""
    session = get_session()
    item = found(find_module(session, slug))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            published = publish_module_draft(
                session, item, form.draft_hash.data or "", ui_locale(), current_employee()
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            if published.created:
                flash(_("Published version %(number)d.", number=published.version.version), "info")
            else:
                flash(
                    _(
                        "Nothing changed since version %(number)d.",
                        number=published.version.version,
                    ),
                    "info",
                )
            return redirect(url_for(".module_versions", slug=slug))
    preview = module_publish_preview(session, item, ui_locale())
    form.draft_hash.data = preview.draft_hash
    changes = describe_changes(
        preview.changes,
        preview.snapshot,
        preview.latest.snapshot if preview.latest else None,
        ui_locale(),
    )
    status = 422 if form.form_errors else 200
    return render_page(
        "module_publish.html", status, module=item, preview=preview, changes=changes, form=form
    )


@trainer.get("/modules/<slug>/versions/")
@role_required(*AUTHORS)
def module_versions(slug: str) -> Any:
    """List a module's published versions with what changed in each."""
    session = get_session()
    item = found(find_module(session, slug))
    locale = ui_locale()
    history = [
        (row, describe_changes(row.change_summary, row.snapshot, row.previous, locale))
        for row in module_history(session, item)
    ]
    return render_page("module_versions.html", module=item, history=history)


@trainer.get("/modules/<slug>/versions/<int:number>")
@role_required(*AUTHORS)
def module_version(slug: str, number: int) -> Any:
    """Show a published version as its learners see it."""
    session = get_session()
    item = found(find_module(session, slug))
    version = found(find_module_version(session, item, number))
    snapshot_locales = set(version.snapshot.get("title", {}))
    locale = editing_locale(item.default_locale, *snapshot_locales)
    view = version_view(session, version, locale)
    return render_page(
        "preview.html",
        view=view,
        module=item,
        version=version,
        locale=locale,
        default_locale=item.default_locale,
    )
