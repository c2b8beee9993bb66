"""Sign in and out of the standalone app (a host application brings its own login)."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from lms_cx.auth import current_employee
from lms_cx.db import get_session, utcnow
from lms_cx.forms.account import LoginForm, LogoutForm
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext
from lms_cx.services.login_throttle import (
    ThrottlePolicy,
    locked_until,
    record_failure,
    record_success,
    throttle_keys,
)
from lms_cx.services.people import authenticate

account = Blueprint("lms_cx_account", __name__)


def _safe_next(target: str | None) -> str:
    """Return ``target`` if it stays on this site, else lms_cx's home (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("lms_cx.home")


@account.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the sign-in form and sign the person in."""
    if current_employee() is not None:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        keys = throttle_keys(form.email.data or "", request.remote_addr)
        lock_ends = locked_until(session, keys)
        if lock_ends is not None:
            minutes = max(1, math.ceil((lock_ends - utcnow()).total_seconds() / 60))
            form.password.errors.append(
                ngettext(
                    "Too many failed sign-ins. Try again in %(num)d minute.",
                    "Too many failed sign-ins. Try again in %(num)d minutes.",
                    minutes,
                )
            )
            return render_template("lms_cx/account/login.html", form=form), 429
        employee = authenticate(session, form.email.data or "", form.password.data or "")
        if employee is not None:
            record_success(session, keys)
            login_user(employee, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        record_failure(session, keys, ThrottlePolicy.from_config(current_app.config))
        form.password.errors.append(_("The email or password is not right."))
        return render_template("lms_cx/account/login.html", form=form), 401
    return render_template("lms_cx/account/login.html", form=form)


@account.post("/logout")
def logout() -> Any:
    """Sign out (a POST with a CSRF token, so no link can sign anyone out)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("lms_cx_account.login"))
