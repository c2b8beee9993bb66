"""Customer feedback pages: the list, an item and its themes, CSV import, theme and remedial rules,
the team's monthly view, and the help desks' API tokens.

Trainers and admins import feedback and edit the rules; managers may read the feedback of
the teams they manage (sub-teams included); everyone sees their own team's monthly view and
the items about themselves; administrators manage API tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone

from lms_cx.auth import current_employee, role_required
from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.forms.feedback import (
    ActionForm,
    ConfirmImportForm,
    FeedbackFilterForm,
    FeedbackUploadForm,
    KeywordRuleForm,
    RemedialRuleForm,
    TagMappingForm,
    ThemePreviewForm,
)
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext
from lms_cx.services import feedback_remedial_rules as remedial_rules
from lms_cx.services import feedback_theme_rules as theme_rules
from lms_cx.services.feedback_csv import import_feedback_file
from lms_cx.services.feedback_import import rules_run_on_import
from lms_cx.services.feedback_listing import (
    feedback_filter_options,
    feedback_item_detail,
    list_feedback,
    recent_imports,
)
from lms_cx.services.feedback_remedial import apply_remedial_rules
from lms_cx.services.feedback_themes import explain_matches, preview_themes, remap_feedback_themes
from lms_cx.services.feedback_uploads import discard_upload, load_upload, stash_upload
from lms_cx.services.people import team_ids_managed_by

feedback = Blueprint("feedback", __name__)

#: Who edits rules and imports feedback.
EDITORS = ("trainer", "admin")
#: Who reads feedback (managers: their own teams only).
READERS = ("trainer", "admin", "manager")


def _locale() -> str:
    return str(get_locale() or current_app.config["LMS_CX_DEFAULT_LOCALE"])


def _visible_team_ids() -> list[int] | None:
    """Return the teams whose feedback the current person may read; None means every team."""
    employee = current_employee()
    assert employee is not None  # role_required
    if employee.has_role(*EDITORS):
        return None
    return team_ids_managed_by(get_session(), employee)


def _editor_button(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let trainers and admins press a button (a POST); refuse one without its CSRF token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not ActionForm().validate_on_submit():
            abort(400)
        return view(*args, **kwargs)

    return role_required(*EDITORS)(wrapped)


def _done(message: str, endpoint: str) -> Any:
    """Say what happened and go to ``endpoint`` (post, redirect, get)."""
    flash(message, "info")
    return redirect(url_for(endpoint))


def _field_error(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names (else above the form)."""
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


@feedback.get("/")
@role_required(*READERS)
def index() -> Any:
    """List feedback, newest first, with filters."""
    session, locale = get_session(), _locale()
    visible = _visible_team_ids()
    options = feedback_filter_options(session, locale, visible)
    form = FeedbackFilterForm(request.args)
    form.offer(options, any_label=_("Any"))
    form.validate()
    filters = form.filters()
    page = list_feedback(
        session,
        filters,
        locale=locale,
        zone=get_timezone(),
        page=request.args.get("page", 1, type=int),
        visible_team_ids=visible,
    )
    query = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("lms_cx/feedback/list.html", form=form, page=page, query=query)


@feedback.get("/<int:item_id>")
@role_required(*READERS)
def item(item_id: int) -> Any:
    """Show one feedback item, the tracks it points to and why, and what it caused."""
    detail = feedback_item_detail(get_session(), item_id, _locale(), _visible_team_ids())
    if detail is None:
        abort(404)
    return render_template("lms_cx/feedback/item.html", detail=detail)


def _upload_dir() -> Path:
    configured = current_app.config.get("LMS_CX_FEEDBACK_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "feedback-uploads"


@feedback.route("/import", methods=["GET", "POST"])
@role_required(*EDITORS)
def upload() -> Any:
    """Upload a CSV file and preview (dry run) what importing it would do."""
    session, employee = get_session(), current_employee()
    assert employee is not None
    form = FeedbackUploadForm()
    if request.method == "GET":
        form.source.data = current_app.config["LMS_CX_FEEDBACK_DEFAULT_SOURCE"]
    report, confirm, status = None, None, 422 if form.is_submitted() else 200
    limit = int(current_app.config["LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES"])
    if form.validate_on_submit():
        data = form.file.data.read(limit + 1)
        if len(data) > limit:
            form.file.errors = [_("The file is too large.")]
            status = 413
        else:
            options, filename = form.import_options(), form.filename()
            report = import_feedback_file(
                session,
                data,
                filename=filename,
                dry_run=True,
                default_zone=get_timezone(),
                **options,
            )
            if not report.refused and (report.created or report.updated):
                token = stash_upload(
                    _upload_dir(), data, owner_id=employee.id, filename=filename, options=options
                )
                confirm = (token, ConfirmImportForm())
            status = 422 if report.refused else 200
    page = render_template(
        "lms_cx/feedback/import.html",
        form=form,
        report=report,
        confirm=confirm,
        imports=recent_imports(session),
    )
    return page, status


@feedback.post("/import/<token>")
@_editor_button
def confirm_import(token: str) -> Any:
    """Import a previewed file, all or nothing, then run the remedial rules."""
    employee = current_employee()
    assert employee is not None
    stashed = load_upload(_upload_dir(), token, owner_id=employee.id)
    if stashed is None:
        flash(_("That upload has expired; upload the file again."), "error")
        return redirect(url_for(".upload"))
    report = import_feedback_file(
        get_session(),
        stashed.data,
        filename=stashed.filename,
        imported_by_id=employee.id,
        default_zone=get_timezone(),
        apply_rules=rules_run_on_import(current_app.config),
        **stashed.options,
    )
    discard_upload(_upload_dir(), token)
    if report.refused:
        flash(_("The file no longer imports cleanly; preview it again."), "error")
        return redirect(url_for(".upload"))
    return _done(
        _(
            "Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged, %(skipped)d skipped; %(remedial)d remedial assignments.",
            file=stashed.filename or "",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            skipped=report.invalid_rows,
            remedial=len(report.remedial),
        ),
        ".upload",
    )


def _track_choices() -> list[tuple[Any, str]]:
    return [
        (choice.id, choice.title) for choice in theme_rules.track_choices(get_session(), _locale())
    ]


@feedback.route("/tags", methods=["GET", "POST"])
@role_required(*EDITORS)
def tags() -> Any:
    """List tag-to-track mappings and add or change one."""
    session = get_session()
    form = TagMappingForm()
    form.track_id.choices = _track_choices()
    if form.validate_on_submit():
        try:
            mapping = theme_rules.save_tag_mapping(session, form.tag.data, form.track_id.data)
        except ValidationError as error:
            _field_error(form, error)
        else:
            return _done(
                _("Tag “%(tag)s” saved. Re-map the feedback to apply it.", tag=mapping.tag), ".tags"
            )
    return render_template(
        "lms_cx/feedback/tags.html",
        form=form,
        mappings=theme_rules.list_tag_mappings(session, _locale()),
        action=ActionForm(),
        seeded=theme_rules.default_rules_seeded(session),
    ), (422 if form.errors else 200)


@feedback.post("/tags/<int:mapping_id>/delete")
@_editor_button
def delete_tag(mapping_id: int) -> Any:
    """Delete a tag mapping."""
    if not theme_rules.delete_tag_mapping(get_session(), mapping_id):
        abort(404)
    return _done(_("Mapping deleted. Re-map the feedback to apply it."), ".tags")


@feedback.route("/keywords", methods=["GET", "POST"])
@role_required(*EDITORS)
def keywords() -> Any:
    """List keyword rules by language, add one, and try a comment against the rules."""
    session, locale = get_session(), _locale()
    languages = [(code, code) for code in current_app.config["LMS_CX_LOCALES"]]
    form = KeywordRuleForm()
    form.locale.choices = languages
    form.track_id.choices = _track_choices()
    if form.validate_on_submit():
        try:
            rule = theme_rules.save_keyword_rule(
                session, form.locale.data, form.keyword.data, form.track_id.data
            )
        except ValidationError as error:
            _field_error(form, error)
        else:
            return _done(
                _(
                    "Keyword “%(keyword)s” added. Re-map the feedback to apply it.",
                    keyword=rule.keyword,
                ),
                ".keywords",
            )
    trial = ThemePreviewForm(request.args)
    trial.language.choices = [("", _("Detect"))] + languages
    tried = None
    if trial.comment.data and trial.validate():
        tag_list = [tag for tag in (trial.tags.data or "").split(",") if tag.strip()]
        matches = preview_themes(session, trial.comment.data, trial.language.data or None, tag_list)
        tried = explain_matches(session, matches, locale)
    return render_template(
        "lms_cx/feedback/keywords.html",
        form=form,
        rules=theme_rules.list_keyword_rules(session, locale),
        trial=trial,
        tried=tried,
        action=ActionForm(),
        seeded=theme_rules.default_rules_seeded(session),
    ), (422 if form.errors else 200)


@feedback.post("/keywords/<int:rule_id>/delete")
@_editor_button
def delete_keyword(rule_id: int) -> Any:
    """Delete a keyword rule."""
    if not theme_rules.delete_keyword_rule(get_session(), rule_id):
        abort(404)
    return _done(_("Keyword rule deleted. Re-map the feedback to apply it."), ".keywords")


@feedback.post("/themes/remap")
@_editor_button
def remap() -> Any:
    """Re-map every feedback item with the current tag mappings and keyword rules."""
    result = remap_feedback_themes(get_session())
    message = _(
        "%(checked)d items checked; %(changed)d changed their themes.",
        checked=result.items_checked,
        changed=result.items_changed,
    )
    flash(message, "info")
    return redirect(_back(url_for(".tags")))


@feedback.post("/themes/defaults")
@_editor_button
def restore_defaults() -> Any:
    """Add back whichever shipped tag mappings and keyword rules are missing."""
    added = theme_rules.restore_default_feedback_rules(get_session())
    flash(ngettext("%(num)d default rule added.", "%(num)d default rules added.", added), "info")
    return redirect(_back(url_for(".keywords")))


def _back(default: str) -> str:
    """Return the page a button was pressed on, when it is one of ours."""
    target = request.form.get("next", "")
    return target if target.startswith(url_for(".index")) else default


@feedback.get("/rules")
@role_required(*EDITORS)
def rules() -> Any:
    """List the remedial rules with how often each fired."""
    return render_template(
        "lms_cx/feedback/rules.html",
        rules=remedial_rules.list_remedial_rules(get_session(), _locale()),
        action=ActionForm(),
    )


@feedback.route("/rules/new", methods=["GET", "POST"], defaults={"rule_id": None})
@feedback.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def rule_form(rule_id: int | None) -> Any:
    """Create or edit a remedial rule."""
    session, locale = get_session(), _locale()
    rule = remedial_rules.get_remedial_rule(session, rule_id) if rule_id is not None else None
    if rule_id is not None and rule is None:
        abort(404)
    form = RemedialRuleForm(obj=rule)
    form.track_id.choices = _track_choices()
    targets = remedial_rules.remedial_targets(session, locale)
    form.target.choices = [("", _("Choose…"))] + [(t.value, t.label) for t in targets]
    if rule is not None and request.method == "GET":
        form.target.data = remedial_rules.target_value(rule)
    if form.validate_on_submit():
        try:
            remedial_rules.save_remedial_rule(session, rule_id, **form.rule_fields())
        except ValidationError as error:
            session.rollback()
            _field_error(form, error)
        else:
            return _done(_("Rule saved. Apply the rules to assign training now."), ".rules")
    return render_template("lms_cx/feedback/rule_form.html", form=form, rule=rule), (
        422 if form.errors else 200
    )


@feedback.post("/rules/<int:rule_id>/delete")
@_editor_button
def delete_rule(rule_id: int) -> Any:
    """Delete a remedial rule (the assignments it made stay)."""
    if not remedial_rules.delete_remedial_rule(get_session(), rule_id):
        abort(404)
    return _done(_("Rule deleted."), ".rules")


@feedback.post("/rules/apply")
@_editor_button
def apply_rules() -> Any:
    """Run every active remedial rule now."""
    created = apply_remedial_rules(get_session())
    return _done(
        ngettext(
            "%(num)d remedial assignment created.",
            "%(num)d remedial assignments created.",
            len(created),
        ),
        ".rules",
    )


# The team view, one's own items and the API tokens add their routes to ``feedback``.
from lms_cx.blueprints import feedback_team, feedback_tokens  # noqa: E402, F401
