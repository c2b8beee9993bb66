"""Forms of the standalone app's own sign-in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from lms_cx.i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    """Email and password sign-in."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class LogoutForm(FlaskForm):
    """An empty form whose CSRF token protects signing out."""
