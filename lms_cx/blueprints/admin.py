"""The administrator's pages: the organisation, its people and its data."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from lms_cx.auth import role_required
from lms_cx.db import get_session
from lms_cx.forms.admin import PersianCalendarForm
from lms_cx.i18n import gettext as _
from lms_cx.services.calendar_setting import persian_calendar, set_persian_calendar
from lms_cx.services.organisation import organisation_overview
from lms_cx.xapi.destinations import forward_destinations
from lms_cx.xapi.outbox import DestinationFigures, outbox_status

admin = Blueprint("admin", __name__)


@admin.get("/")
@role_required("admin")
def home() -> Any:
    """Show the organisation's counts and teams, and its calendar for Persian readers."""
    session = get_session()
    form = PersianCalendarForm(
        calendar=persian_calendar(session, current_app.config["LMS_CX_PERSIAN_CALENDAR"])
    )
    return _home(form)


@admin.post("/calendar")
@role_required("admin")
def calendar() -> Any:
    """Choose the calendar of dates shown to people who read lms_cx in Persian."""
    form = PersianCalendarForm()
    if not form.validate_on_submit():
        return _home(form), 400
    set_persian_calendar(get_session(), form.calendar.data)
    flash(_("Calendar saved."), "info")
    return redirect(url_for(".home"))


@admin.get("/forwarding")
@role_required("admin")
def forwarding() -> Any:
    """Show the queue of statements waiting for the organisation's other LRSs, and its errors."""
    status = outbox_status(get_session(), errors=25)
    figures = {entry.destination: entry for entry in status.destinations}
    endpoints = {d.name: d.endpoint for d in forward_destinations(current_app.config)}
    # Configured destinations with nothing queued yet still get a row; so do destinations
    # removed from the configuration while items for them remain.
    names = sorted(set(endpoints) | set(figures))
    rows = [
        (name, endpoints.get(name), figures.get(name, DestinationFigures(name))) for name in names
    ]
    return render_template("lms_cx/admin/forwarding.html", status=status, rows=rows)


def _home(form: PersianCalendarForm) -> str:
    return render_template(
        "lms_cx/admin/home.html",
        overview=organisation_overview(get_session()),
        calendar_form=form,
    )
