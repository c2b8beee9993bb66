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


def _home(form: PersianCalendarForm) -> str:
    return render_template(
        "lms_cx/admin/home.html",
        overview=organisation_overview(get_session()),
        calendar_form=form,
    )
