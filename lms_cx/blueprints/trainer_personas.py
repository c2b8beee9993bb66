"""The trainer's persona pages: list, create, edit, clone, archive."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from lms_cx.auth import role_required
from lms_cx.blueprints.trainer import (
    AUTHORS,
    editing_locale,
    found,
    offered_locales,
    render_form,
    render_page,
    trainer,
    ui_locale,
)
from lms_cx.db import get_session
from lms_cx.forms.authoring import ActionForm, apply_errors, locale_choices
from lms_cx.forms.authoring_content import CloneForm, PersonaForm
from lms_cx.i18n import gettext as _
from lms_cx.services.authoring import FieldErrors
from lms_cx.services.authoring_catalogue import list_personas
from lms_cx.services.authoring_personas import (
    archive_persona,
    clone_persona,
    create_persona,
    find_persona,
    restore_persona,
    suggest_persona_slug,
    update_persona,
)


@trainer.get("/personas/")
@role_required(*AUTHORS)
def personas() -> Any:
    """List personas (``?archived=1``: the archived ones) with how many modules feature each."""
    archived = request.args.get("archived") == "1"
    search = (request.args.get("q") or "").strip()
    rows = list_personas(get_session(), ui_locale(), archived=archived, search=search or None)
    return render_page("personas.html", rows=rows, archived=archived, search=search)


def _persona_form(form: PersonaForm) -> PersonaForm:
    form.default_locale.choices = locale_choices(offered_locales())
    return form


@trainer.route("/personas/new", methods=["GET", "POST"])
@role_required(*AUTHORS)
def persona_new() -> Any:
    """Create a persona."""
    form = _persona_form(PersonaForm(data={"default_locale": ui_locale()}))
    if form.validate_on_submit():
        try:
            create_persona(get_session(), form.fields(), form.default_locale.data)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Persona created."), "info")
            return redirect(url_for(".personas"))
    return render_form("persona_form.html", form, persona=None)


@trainer.route("/personas/<slug>/", methods=["GET", "POST"])
@role_required(*AUTHORS)
def persona(slug: str) -> Any:
    """Edit a persona in the ``?locale=`` language."""
    session = get_session()
    item = found(find_persona(session, slug))
    locale = editing_locale(item.default_locale, *item.name)
    form = _persona_form(PersonaForm(data=PersonaForm.initial(item, locale)))
    del form.slug  # a persona keeps its slug: modules, questions and files refer to it
    if form.validate_on_submit():
        try:
            update_persona(session, item, form.fields(), locale)
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Persona saved."), "info")
            return redirect(url_for(".persona", slug=slug, locale=locale))
    return render_form(
        "persona_form.html",
        form,
        persona=item,
        locale=locale,
        default_locale=item.default_locale,
        action=ActionForm(formdata=None),
    )


@trainer.route("/personas/<slug>/clone", methods=["GET", "POST"])
@role_required(*AUTHORS)
def persona_clone(slug: str) -> Any:
    """Copy a persona under a new slug."""
    session = get_session()
    item = found(find_persona(session, slug))
    form = CloneForm(data={"slug": suggest_persona_slug(session, item)})
    form.title.label.text = _("New name")
    if form.validate_on_submit():
        try:
            copy = clone_persona(
                session, item, form.slug.data, item.default_locale, form.title.data or None
            )
        except FieldErrors as errors:
            apply_errors(form, errors)
        else:
            flash(_("Persona copied."), "info")
            return redirect(url_for(".persona", slug=copy.slug))
    return render_form("clone.html", form, kind="persona", item=item)


@trainer.post("/personas/<slug>/archive")
@role_required(*AUTHORS)
def persona_archive(slug: str) -> Any:
    """Archive a persona: modules keep it, new ones cannot choose it."""
    session = get_session()
    item = found(find_persona(session, slug))
    if ActionForm().validate_on_submit():
        archive_persona(session, item)
        flash(_("Persona archived."), "info")
    return redirect(url_for(".persona", slug=slug))


@trainer.post("/personas/<slug>/restore")
@role_required(*AUTHORS)
def persona_restore(slug: str) -> Any:
    """Offer an archived persona again."""
    session = get_session()
    item = found(find_persona(session, slug))
    if ActionForm().validate_on_submit():
        restore_persona(session, item)
        flash(_("Persona restored."), "info")
    return redirect(url_for(".persona", slug=slug))
