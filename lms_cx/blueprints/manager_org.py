"""The organisation-wide readiness report, for administrators (page, CSV, PDF)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template

from lms_cx.auth import role_required
from lms_cx.blueprints.manager import download, manager, ui_locale, viewer
from lms_cx.db import get_session, utcnow
from lms_cx.reports.exports import organisation_csv
from lms_cx.reports.organisation import OrganisationReport, organisation_report
from lms_cx.reports.pdf import html_to_pdf, pdf_assets


def _report() -> OrganisationReport:
    return organisation_report(get_session(), viewer(), utcnow())


def _stem(report: OrganisationReport) -> str:
    return f"readiness-organisation-{report.generated_at:%Y-%m-%d}"


@manager.get("/organisation")
@role_required("admin")
def organisation() -> Any:
    """Show every team's readiness by track, onboarding, overdue work and CSAT."""
    return render_template("lms_cx/manager/organisation.html", report=_report())


@manager.get("/organisation.csv")
@role_required("admin")
def organisation_export_csv() -> Response:
    """Download the organisation report, one row per team, as CSV."""
    report = _report()
    content = organisation_csv(report, ui_locale())
    return download(content, "text/csv; charset=utf-8", f"{_stem(report)}.csv")


@manager.get("/organisation.pdf")
@role_required("admin")
def organisation_export_pdf() -> Response:
    """Download the organisation report as a PDF."""
    report = _report()
    html = render_template("lms_cx/reports/organisation.html", report=report, **pdf_assets())
    return download(html_to_pdf(html), "application/pdf", f"{_stem(report)}.pdf")
