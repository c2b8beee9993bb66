"""The trainer's pages: the catalogue of tracks, courses, modules and question banks."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import get_locale

from lms_cx.auth import role_required
from lms_cx.db import get_session
from lms_cx.services.catalogue import catalogue_overview

trainer = Blueprint("trainer", __name__)


@trainer.get("/")
@role_required("trainer", "admin")
def home() -> Any:
    """Show the catalogue by track and course, with question counts and published versions."""
    overview = catalogue_overview(get_session(), str(get_locale()))
    return render_template("lms_cx/trainer/home.html", overview=overview)
