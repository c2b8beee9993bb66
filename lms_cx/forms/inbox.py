"""Forms of the inbox: marking notifications read (POSTs with a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class InboxActionForm(FlaskForm):
    """An empty form whose CSRF token protects marking notifications read."""
