"""The administrator's pages: the organisation, its people and its data."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from lms_cx.auth import role_required
from lms_cx.db import get_session
from lms_cx.services.organisation import organisation_overview

admin = Blueprint("admin", __name__)


@admin.get("/")
@role_required("admin")
def home() -> Any:
    """Show the organisation's counts and teams."""
    return render_template("lms_cx/admin/home.html", overview=organisation_overview(get_session()))
