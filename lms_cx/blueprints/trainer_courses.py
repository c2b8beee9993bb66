"""The trainer's course pages: list, create, edit, clone, archive; module order and rules;
publish and version history."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from lms_cx.auth import current_employee, role_required
from lms_cx.blueprints.trainer import (
    AUTHORS,
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
from lms_cx.forms.authoring_content import (
    CloneForm,
    CourseForm,
    CourseModuleAddForm,
    CourseModuleForm,
)
from lms_cx.i18n import gettext as _
from lms_cx.services.authoring import FieldErrors
from lms_cx.services.authoring_catalogue import addable_modules, list_courses
from lms_cx.services.authoring_changes import describe_changes
from lms_cx.services.authoring_courses import (
    add_course_module,
    archive_course,
    clone_course,
    course_outline,
    create_course,
    find_course,
    find_entry,
    is_course_published,
    move_course_module,
    remove_course_module,
    restore_course,
    suggest_course_slug,
    update_course,
    update_course_module,
)
from lms_cx.services.authoring_history import course_history
from lms_cx.services.authoring_publishing import (
    course_publish_preview,
    course_status,
    publish_course_draft,
)


@trainer.get("/courses/")
@role_required(*AUTHORS)
def courses() -> Any:
    """List courses, filtered by stage, status and a search."""
    filters = ListFilterForm(request.args)
    filters.set_tracks([])
    rows = list_courses(
        get_session(),
        ui_locale(),
        stage=filters.stage.data or None,
        status=filters.status.data or None,
        search=filters.q.data or None,
    )
    return render_page("courses.html", filters=filters, rows=rows)


def _course_form(form: CourseForm) -> CourseForm:
    form.default_locale.choices = locale_choices(offered_locales())
    return form


@trainer.route("/courses/new", methods=["GET", "POST"])
@role_required(*AUTHORS)
def course_new() -> Any:
    """Create a draft course."""
    form = _course_form(
        CourseForm(data={"default_locale": ui_locale(), "lifecycle_stage": "onboarding"})
    )
    if form.validate_on_submit():
        try:
            course = create_course(get_session(), form.fields(), form.default_locale.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Course created. Add its modules next."), "info")
            return redirect(url_for(".course", slug=course.slug))
    return render_form("course_form.html", form, course=None)


@trainer.get("/courses/<slug>/")
@role_required(*AUTHORS)
def course(slug: str) -> Any:
    """Show a course's editor: settings, modules in order with their rules, publishing."""
    session = get_session()
    item = found(find_course(session, slug))
    locale = ui_locale()
    add = CourseModuleAddForm(formdata=None, data={"move_on": "CompletedAndPassed"})
    add.module.choices = addable_modules(session, item, locale)
    return render_page(
        "course.html",
        course=item,
        outline=course_outline(session, item, locale),
        state=course_status(session, item),
        add=add,
        action=ActionForm(formdata=None),
        move=MoveForm(formdata=None),
    )


@trainer.route("/courses/<slug>/edit", methods=["GET", "POST"])
@role_required(*AUTHORS)
def course_edit(slug: str) -> Any:
    """Edit a course's settings (texts in the ``?locale=`` language)."""
    session = get_session()
    item = found(find_course(session, slug))
    locale = editing_locale(item.default_locale, *item.title)
    form = _course_form(CourseForm(data=CourseForm.initial(item, locale)))
    if is_course_published(session, item):
        del form.slug  # a published course keeps its slug
    if form.validate_on_submit():
        try:
            update_course(session, item, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Course saved."), "info")
            return redirect(url_for(".course", slug=item.slug))
    return render_form(
        "course_form.html", form, course=item, locale=locale, default_locale=item.default_locale
    )


@trainer.route("/courses/<slug>/clone", methods=["GET", "POST"])
@role_required(*AUTHORS)
def course_clone(slug: str) -> Any:
    """Copy a course (its module order, rules and prerequisites) as a new draft."""
    session = get_session()
    item = found(find_course(session, slug))
    form = CloneForm(data={"slug": suggest_course_slug(session, item)})
    if form.validate_on_submit():
        try:
            copy = clone_course(
                session, item, form.slug.data, item.default_locale, form.title.data or None
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Course copied as a draft."), "info")
            return redirect(url_for(".course", slug=copy.slug))
    return render_form("clone.html", form, kind="course", item=item)


@trainer.post("/courses/<slug>/archive")
@role_required(*AUTHORS)
def course_archive(slug: str) -> Any:
    """Archive a course."""
    session = get_session()
    item = found(find_course(session, slug))
    if ActionForm().validate_on_submit():
        archive_course(session, item)
        flash(_("Course archived."), "info")
    return redirect(url_for(".course", slug=slug))


@trainer.post("/courses/<slug>/restore")
@role_required(*AUTHORS)
def course_restore(slug: str) -> Any:
    """Bring an archived course back."""
    session = get_session()
    item = found(find_course(session, slug))
    if ActionForm().validate_on_submit():
        restore_course(session, item)
        flash(_("Course restored."), "info")
    return redirect(url_for(".course", slug=slug))


@trainer.post("/courses/<slug>/modules")
@role_required(*AUTHORS)
def course_module_add(slug: str) -> Any:
    """Add a module at the end of the course."""
    session = get_session()
    item = found(find_course(session, slug))
    locale = ui_locale()
    form = CourseModuleAddForm()
    form.module.choices = addable_modules(session, item, locale)
    if form.validate_on_submit():
        try:
            add_course_module(session, item, form.module.data, form.move_on.data, form.score())
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Module added to the course."), "info")
            return redirect(url_for(".course", slug=slug) + "#modules")
    return render_form(
        "course.html",
        form,
        course=item,
        outline=course_outline(session, item, locale),
        state=course_status(session, item),
        add=form,
        action=ActionForm(formdata=None),
        move=MoveForm(formdata=None),
    )


@trainer.route("/courses/<slug>/modules/<module>", methods=["GET", "POST"])
@role_required(*AUTHORS)
def course_module(slug: str, module: str) -> Any:
    """Edit a module's completion rule and prerequisites within the course."""
    session = get_session()
    item = found(find_course(session, slug))
    entry = found(find_entry(session, item, module))
    outline = course_outline(session, item, ui_locale())
    index = next(i for i, row in enumerate(outline) if row.entry.id == entry.id)
    current = outline[index]
    score = entry.mastery_score
    form = CourseModuleForm(
        data={
            "move_on": entry.move_on,
            "mastery_score": None if score is None else round(score * 100),
            "requires": current.requires,
        }
    )
    form.requires.choices = [(row.module.slug, row.title) for row in outline[:index]]
    if form.validate_on_submit():
        try:
            update_course_module(
                session, item, entry, form.move_on.data, form.score(), form.requires.data or []
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Module rule saved."), "info")
            return redirect(url_for(".course", slug=slug) + "#modules")
    return render_form("course_module.html", form, course=item, current=current)


@trainer.post("/courses/<slug>/modules/<module>/move")
@role_required(*AUTHORS)
def course_module_move(slug: str, module: str) -> Any:
    """Move a module up or down, keeping prerequisites before the modules needing them."""
    session = get_session()
    item = found(find_course(session, slug))
    entry = found(find_entry(session, item, module))
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_course_module(session, item, entry, form.offset())
        except FieldErrors as errors:
            flash_errors(errors)
    return redirect(url_for(".course", slug=slug) + "#modules")


@trainer.post("/courses/<slug>/modules/<module>/remove")
@role_required(*AUTHORS)
def course_module_remove(slug: str, module: str) -> Any:
    """Take a module out of the course (the module itself stays)."""
    session = get_session()
    item = found(find_course(session, slug))
    entry = found(find_entry(session, item, module))
    if ActionForm().validate_on_submit():
        try:
            remove_course_module(session, item, entry)
        except FieldErrors as errors:
            flash_errors(errors)
        else:
            flash(_("Module removed from the course."), "info")
    return redirect(url_for(".course", slug=slug) + "#modules")


@trainer.route("/courses/<slug>/publish", methods=["GET", "POST"])
@role_required(*AUTHORS)
def course_publish(slug: str) -> Any:
    """Show what publishing the course and its changed modules would do; publish when confirmed."""
    session = get_session()
    item = found(find_course(session, slug))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            published = publish_course_draft(
                session, item, form.draft_hash.data or "", ui_locale(), current_employee()
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            number = published.version.version
            if published.created:
                flash(_("Published version %(number)d.", number=number), "info")
            else:
                flash(_("Nothing changed since version %(number)d.", number=number), "info")
            return redirect(url_for(".course_versions", slug=slug))
    preview = course_publish_preview(session, item, ui_locale())
    form.draft_hash.data = preview.draft_hash
    changes = describe_changes(preview.changes, None, None, ui_locale(), kinds=("modules",))
    return render_page(
        "course_publish.html",
        422 if form.form_errors else 200,
        course=item,
        preview=preview,
        changes=changes,
        form=form,
    )


@trainer.get("/courses/<slug>/versions/")
@role_required(*AUTHORS)
def course_versions(slug: str) -> Any:
    """List a course's published versions with what changed in each."""
    session = get_session()
    item = found(find_course(session, slug))
    history = [
        (row, describe_changes(row.change_summary, None, None, ui_locale(), kinds=("modules",)))
        for row in course_history(session, item)
    ]
    return render_page("course_versions.html", course=item, history=history)
