"""The manager's pages: team readiness (page, CSV, PDF), one employee's drill-down, and the
one-click refresher. Administrators see every team; the organisation report for them is in
``manager_org.py`` on this same blueprint.

A manager sees the teams they manage and their sub-teams, nothing else: a team or employee id
outside that scope answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired

from lms_cx.auth import current_employee, role_required
from lms_cx.db import get_session, utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text, reader_calendar
from lms_cx.models.people import Employee
from lms_cx.reports import labels
from lms_cx.reports.charts import completion_chart
from lms_cx.reports.employee_detail import employee_detail
from lms_cx.reports.exports import team_csv
from lms_cx.reports.formatting import day_text, one_decimal, percent_of, whole_percent
from lms_cx.reports.pdf import html_to_pdf, pdf_assets
from lms_cx.reports.readiness_query import ReadinessQuery
from lms_cx.reports.scope import NotInScope, scoped_employee, viewer_scope
from lms_cx.reports.team_readiness import TeamReadiness, team_readiness
from lms_cx.services.feedback_remedial import remedial_reasons_by_id
from lms_cx.services.refresher import RefresherRefused, assign_refresher

manager = Blueprint("manager", __name__)

#: Roles that see readiness: managers their teams, administrators everyone.
VIEWERS = ("manager", "admin")


class RefresherForm(FlaskForm):
    """Assign the refresher of one track (the button's hidden value)."""

    track = HiddenField(validators=[DataRequired()])


def viewer() -> Employee:
    """Return the signed-in manager or administrator (the route's decorator checked)."""
    employee = current_employee()
    assert employee is not None
    return employee


def ui_locale() -> str:
    """Return the locale the page speaks."""
    return str(get_locale() or current_app.config["LMS_CX_DEFAULT_LOCALE"])


def ui_zone() -> tzinfo:
    """Return the viewer's time zone."""
    return get_timezone()


def download(content: bytes, mimetype: str, filename: str) -> Response:
    """Return ``content`` as a file download named ``filename``."""
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@manager.context_processor
def report_helpers() -> dict[str, Any]:
    """Give the report templates their labels, chart and text pickers."""
    locale, zone = ui_locale(), ui_zone()
    return {
        "labels": labels,
        # Resolved once: lazy strings cost a translation lookup on every use.
        "status_labels": {key: str(label) for key, label in labels.STATUS_LABELS.items()},
        "reason_labels": {key: str(label) for key, label in labels.REFRESH_REASONS.items()},
        "onboarding_labels": {key: str(label) for key, label in labels.ONBOARDING_LABELS.items()},
        "completion_chart": completion_chart,
        "local_text": lambda texts: pick_text(texts, locale),
        "pct": lambda fraction: percent_of(fraction, locale),
        "whole_pct": lambda value: whole_percent(value, locale),
        "dec1": lambda value: one_decimal(value, locale),
        "day": lambda value: day_text(value, locale, zone, reader_calendar()),
    }


def _team_report() -> TeamReadiness:
    query = ReadinessQuery.from_args(request.args)
    try:
        return team_readiness(get_session(), viewer(), query, utcnow())
    except NotInScope:
        abort(404)


def _stem(report: TeamReadiness) -> str:
    team = report.team
    name = f"team-{team.id}" if team else "all"
    return f"readiness-{name}-{report.generated_at:%Y-%m-%d}"


@manager.get("/")
@role_required(*VIEWERS)
def home() -> Any:
    """Show the readiness of my teams: summary, heatmap, the sortable and filterable table."""
    return render_template("lms_cx/manager/home.html", report=_team_report())


@manager.get("/readiness.csv")
@role_required(*VIEWERS)
def readiness_csv() -> Response:
    """Download the readiness table (every page, as filtered and sorted) as CSV."""
    report = _team_report()
    return download(
        team_csv(report, ui_locale(), ui_zone()), "text/csv; charset=utf-8", f"{_stem(report)}.csv"
    )


@manager.get("/readiness.pdf")
@role_required(*VIEWERS)
def readiness_pdf() -> Response:
    """Download the readiness page (summary, charts, every row) as a PDF."""
    report = _team_report()
    html = render_template("lms_cx/reports/team_readiness.html", report=report, **pdf_assets())
    return download(html_to_pdf(html), "application/pdf", f"{_stem(report)}.pdf")


@manager.get("/people/<int:employee_id>")
@role_required(*VIEWERS)
def person(employee_id: int) -> Any:
    """Show one employee: readiness by track, assignments, attempts, certificates, feedback."""
    try:
        detail = employee_detail(get_session(), viewer(), employee_id, ui_locale(), utcnow())
    except NotInScope:
        abort(404)
    reasons = remedial_reasons_by_id(
        get_session(),
        [line.id for line in detail.assignments if line.source == "remedial"],
        ui_locale(),
    )
    return render_template(
        "lms_cx/manager/person.html", detail=detail, form=RefresherForm(), reasons=reasons
    )


@manager.post("/people/<int:employee_id>/refresher")
@role_required(*VIEWERS)
def refresher(employee_id: int) -> Any:
    """Assign the employee the refresher module of one track."""
    session = get_session()
    try:
        employee, _only = scoped_employee(session, viewer_scope(session, viewer()), employee_id)
    except NotInScope:
        abort(404)
    form = RefresherForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        assign_refresher(session, employee, form.track.data, viewer(), utcnow())
    except RefresherRefused as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("Refresher assigned to %(name)s.", name=employee.display_name), "success")
    return redirect(url_for(".person", employee_id=employee_id))


# The organisation report adds its routes to ``manager`` when imported.
from lms_cx.blueprints import manager_org  # noqa: E402, F401
