"""lms_cx's pages, nested under one ``lms_cx`` blueprint that owns templates and static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for

from lms_cx.auth import current_employee, login_required
from lms_cx.blueprints.admin import admin
from lms_cx.blueprints.api import api
from lms_cx.blueprints.feedback import feedback
from lms_cx.blueprints.inbox import inbox
from lms_cx.blueprints.learner import learner
from lms_cx.blueprints.learner_record import learner_record
from lms_cx.blueprints.manager import manager
from lms_cx.blueprints.reviews import reviews
from lms_cx.blueprints.rules import rules
from lms_cx.blueprints.trainer import trainer
from lms_cx.blueprints.verify import verify
from lms_cx.blueprints.xapi import xapi
from lms_cx.extension import get_state
from lms_cx.i18n import gettext as _

core = Blueprint(
    "lms_cx",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
core.register_blueprint(learner, url_prefix="/learn")
core.register_blueprint(trainer, url_prefix="/trainer")
core.register_blueprint(manager, url_prefix="/manager")
core.register_blueprint(admin, url_prefix="/admin")
core.register_blueprint(learner_record, url_prefix="/admin/people")
core.register_blueprint(feedback, url_prefix="/feedback")
core.register_blueprint(api, url_prefix="/api")
core.register_blueprint(rules, url_prefix="/rules")
core.register_blueprint(inbox, url_prefix="/inbox")
core.register_blueprint(reviews, url_prefix="/reviews")

#: Where each role lands after signing in, most specific first.
HOME_BY_ROLE = (
    ("manager", "lms_cx.manager.home"),
    ("trainer", "lms_cx.trainer.home"),
    ("admin", "lms_cx.admin.home"),
)


@core.get("/")
@login_required
def home() -> Any:
    """Send the person to the home page of their main role (learners to their learning)."""
    employee = current_employee()
    for role, endpoint in HOME_BY_ROLE:
        if employee is not None and employee.has_role(role):
            return redirect(url_for(endpoint))
    return redirect(url_for("lms_cx.learner.home"))


def refuse_nul_characters() -> None:
    """Answer 400 to a NUL character in the path, query or form: no page expects one, and
    PostgreSQL cannot even compare text with it (the query would fail with a 500)."""
    values = list((request.view_args or {}).values())
    for fields in (request.args, request.form):
        values += [value for _name, many in fields.lists() for value in many]
    if any(isinstance(value, str) and "\x00" in value for value in values):
        abort(400)


core.before_request(refuse_nul_characters)
verify.before_request(refuse_nul_characters)


def _error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("lms_cx/error.html", title=title, message=message), status


@core.errorhandler(403)
def forbidden(_error: Exception) -> Any:
    """Explain a refusal without revealing what is behind it."""
    return _error_page(403, _("Not allowed"), _("Your role does not give access to this page."))


@core.errorhandler(404)
def not_found(_error: Exception) -> Any:
    """Say plainly that nothing is here."""
    return _error_page(404, _("Not found"), _("There is no page at this address."))


@core.errorhandler(413)
def too_large(_error: Exception) -> Any:
    """Name the limit that refused the request, not a bare server message."""
    return _error_page(
        413,
        _("Too large"),
        _("What you sent is larger than this site accepts. Send a smaller file."),
    )


def register_blueprints(app: Flask) -> None:
    """Mount lms_cx's pages under LMS_CX_URL_PREFIX and the LRS under LMS_CX_XAPI_PREFIX."""
    state = get_state(app)
    app.register_blueprint(core, url_prefix=state.url_prefix or None)
    # Certificate verification is for anyone holding a code, so it sits outside the signed-in
    # pages (and their error handlers), still under lms_cx's prefix.
    app.register_blueprint(verify, url_prefix=f"{state.url_prefix}/verify")
    app.register_blueprint(xapi, url_prefix=state.xapi_prefix or None)
