"""Sign in and out of the standalone app (a host application brings its own login)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from lms_cx.auth import current_employee
from lms_cx.db import get_session
from lms_cx.forms.account import LoginForm, LogoutForm
from lms_cx.i18n import gettext as _
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
        employee = authenticate(get_session(), form.email.data or "", form.password.data or "")
        if employee is not None:
            login_user(employee, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
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
