"""Assignment rules for administrators and trainers: list, create, edit, switch off, delete.

A rule is always previewed (who it will assign, now) before it is saved; saving applies it
at once to everyone who already matches.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale

from lms_cx.auth import current_employee, role_required
from lms_cx.db import get_session, utcnow
from lms_cx.errors import ValidationError
from lms_cx.forms.rules import RuleActiveForm, RuleDeleteForm, RuleForm, as_choices
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext
from lms_cx.services.assignment_rules import (
    RuleSaved,
    create_rule,
    delete_rule,
    get_rule,
    preview_rule,
    set_rule_active,
    update_rule,
)
from lms_cx.services.rule_listing import list_rules, rule_form_choices, spec_fingerprint
from lms_cx.services.rule_matching import RuleSpec

rules = Blueprint("rules", __name__)

#: Where a service's ValidationError.field lands on the form.
FORM_FIELDS = {"criteria": "attributes", "rule": "name"}


@rules.get("/")
@role_required("admin", "trainer")
def index() -> Any:
    """List every rule with what it assigns and how many people it reached."""
    summaries = list_rules(get_session(), str(get_locale()))
    return render_template("lms_cx/rules/list.html", rules=summaries, active_form=RuleActiveForm())


@rules.route("/new", methods=["GET", "POST"])
@role_required("admin", "trainer")
def new() -> Any:
    """Describe a rule, preview whom it assigns, then save it."""
    return _edit(None)


@rules.route("/<int:rule_id>/edit", methods=["GET", "POST"])
@role_required("admin", "trainer")
def edit(rule_id: int) -> Any:
    """Change a rule (previewed again); earlier assignments stay as they are."""
    return _edit(rule_id)


def _edit(rule_id: int | None) -> Any:
    session = get_session()
    rule = get_rule(session, rule_id) if rule_id is not None else None
    if rule_id is not None and rule is None:
        abort(404)
    form = RuleForm()
    choices = rule_form_choices(session, str(get_locale()))
    form.content.choices = as_choices([("", _("Choose..."))]) + as_choices(choices.content)
    form.team_ids.choices = as_choices(choices.teams)
    if rule is not None and not form.is_submitted():
        form.fill_from(RuleSpec.of(rule))
    preview = None
    if form.validate_on_submit():
        spec = form.to_spec(rule_id)
        try:
            preview = preview_rule(session, spec, utcnow())
        except ValidationError as error:
            _show_error(form, error)
            return render_template("lms_cx/rules/edit.html", form=form, rule=rule), 400
        fingerprint = spec_fingerprint(preview.spec)
        if form.save.data and form.fingerprint.data == fingerprint:
            saved = (
                update_rule(session, rule_id, spec, utcnow())
                if rule_id is not None
                else create_rule(session, spec, utcnow(), created_by=current_employee())
            )
            _flash_saved(saved)
            return redirect(url_for("lms_cx.rules.index"))
        form.fingerprint.data = fingerprint
    status = 400 if form.errors else 200
    return render_template("lms_cx/rules/edit.html", form=form, rule=rule, preview=preview), status


def _show_error(form: RuleForm, error: ValidationError) -> None:
    name = FORM_FIELDS.get(error.field or "", error.field or "name")
    field = getattr(form, name, None) or form.name
    field.errors = [*field.errors, error.message]


def _flash_saved(saved: RuleSaved) -> None:
    count = len(saved.assigned)
    flash(
        ngettext(
            "Rule “%(name)s” saved; it assigned %(num)d person now.",
            "Rule “%(name)s” saved; it assigned %(num)d people now.",
            count,
            name=saved.rule.name,
        ),
        "info",
    )


@rules.post("/<int:rule_id>/active")
@role_required("admin", "trainer")
def set_active(rule_id: int) -> Any:
    """Switch a rule off (its assignments stay) or on again (it applies at once)."""
    form = RuleActiveForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    if get_rule(session, rule_id) is None:
        abort(404)
    saved = set_rule_active(session, rule_id, form.active.data == "1", utcnow())
    if saved.rule.is_active:
        _flash_saved(saved)
    else:
        flash(_("Rule “%(name)s” switched off.", name=saved.rule.name), "info")
    return redirect(url_for("lms_cx.rules.index"))


@rules.route("/<int:rule_id>/delete", methods=["GET", "POST"])
@role_required("admin", "trainer")
def delete(rule_id: int) -> Any:
    """Ask, then delete a rule; the assignments it made stay, with their history."""
    session = get_session()
    found = list_rules(session, str(get_locale()), rule_id=rule_id)
    if not found:
        abort(404)
    form = RuleDeleteForm()
    if form.validate_on_submit():
        deleted = delete_rule(session, rule_id)
        flash(
            ngettext(
                "Rule “%(name)s” deleted; the %(num)d assignment it made stays.",
                "Rule “%(name)s” deleted; the %(num)d assignments it made stay.",
                deleted.assignments_kept,
                name=deleted.name,
            ),
            "info",
        )
        return redirect(url_for("lms_cx.rules.index"))
    return render_template("lms_cx/rules/delete.html", rule=found[0], form=form)
