"""Every employee's inbox: reminders, escalations and news, newest first."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from lms_cx.auth import current_employee, login_required
from lms_cx.db import get_session, utcnow
from lms_cx.forms.inbox import InboxActionForm
from lms_cx.services.notifications import inbox_page, mark_all_read, mark_read

inbox = Blueprint("inbox", __name__)


@inbox.get("/")
@login_required
def home() -> Any:
    """List my notifications, unread ones marked."""
    employee = current_employee()
    assert employee is not None  # login_required
    page = inbox_page(get_session(), employee.id, request.args.get("page", 1, type=int) or 1)
    return render_template("lms_cx/inbox/home.html", page=page, action_form=InboxActionForm())


@inbox.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int) -> Any:
    """Mark one of my notifications read."""
    employee = current_employee()
    assert employee is not None  # login_required
    if not InboxActionForm().validate_on_submit():
        abort(400)
    if not mark_read(get_session(), employee.id, notification_id, utcnow()):
        abort(404)
    return redirect(url_for("lms_cx.inbox.home", page=request.args.get("page", type=int)))


@inbox.post("/read-all")
@login_required
def read_all() -> Any:
    """Mark all my notifications read."""
    employee = current_employee()
    assert employee is not None  # login_required
    if not InboxActionForm().validate_on_submit():
        abort(400)
    mark_all_read(get_session(), employee.id, utcnow())
    return redirect(url_for("lms_cx.inbox.home"))
