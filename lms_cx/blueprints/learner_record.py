"""The administrator's view of one learner's record: the statements of their assignments,
and voiding one recorded in error (after a confirmation)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_wtf import FlaskForm

from lms_cx.auth import role_required
from lms_cx.db import get_session, utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models.people import Employee
from lms_cx.services.enrolment import LearnerError, NotFound
from lms_cx.services.statement_voiding import learner_statement, learner_statements, void_statement

learner_record = Blueprint("learner_record", __name__)


class VoidForm(FlaskForm):
    """Confirm voiding one statement (the form only carries the CSRF token)."""


def _learner(employee_id: int) -> Employee:
    learner = get_session().get(Employee, employee_id)
    if learner is None:
        abort(404)
    return learner


@learner_record.context_processor
def _helpers() -> dict[str, Any]:
    locale = str(get_locale() or "en")
    return {"local_text": lambda texts: pick_text(texts, locale)}


@learner_record.get("/<int:employee_id>/statements")
@role_required("admin")
def statements(employee_id: int) -> Any:
    """List the newest statements of the learner's assignments, ours and external ones."""
    learner = _learner(employee_id)
    return render_template(
        "lms_cx/admin/learner_record.html",
        learner=learner,
        statements=learner_statements(get_session(), learner),
    )


@learner_record.route(
    "/<int:employee_id>/statements/<uuid:statement_id>/void", methods=["GET", "POST"]
)
@role_required("admin")
def void(employee_id: int, statement_id: uuid.UUID) -> Any:
    """Ask to confirm, then void the statement; the learner's progress is recomputed."""
    learner = _learner(employee_id)
    session = get_session()
    try:
        statement = learner_statement(session, learner, statement_id)
    except NotFound:
        abort(404)
    form = VoidForm()
    back = url_for(".statements", employee_id=employee_id)
    if form.validate_on_submit():
        try:
            void_statement(session, learner, statement_id, utcnow())
        except LearnerError as refusal:
            flash(refusal.message, "error")
        else:
            flash(
                _("The statement is voided; the learner's progress no longer counts it."), "success"
            )
        return redirect(back)
    return render_template(
        "lms_cx/admin/void_statement.html",
        learner=learner,
        statement=statement,
        form=form,
        back=back,
    )
