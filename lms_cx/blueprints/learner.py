"""The learner's pages: their own assignments and progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import get_locale

from lms_cx.auth import current_employee, login_required
from lms_cx.db import get_session, utcnow
from lms_cx.services.learning import learner_home

learner = Blueprint("learner", __name__)


@learner.get("/")
@login_required
def home() -> Any:
    """List my assignments: onboarding first, then by due date; overdue marked."""
    employee = current_employee()
    assert employee is not None  # login_required
    view = learner_home(get_session(), employee, str(get_locale()), utcnow())
    return render_template("lms_cx/learner/home.html", home=view, now=utcnow())
