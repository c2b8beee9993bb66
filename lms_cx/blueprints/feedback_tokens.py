"""The administrators' page of API tokens for help desks posting feedback to ``/api/feedback``.

A token's secret is shown once, when it is created; only its hash is kept.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from lms_cx.auth import current_employee, role_required
from lms_cx.blueprints.feedback import _done, _field_error, feedback
from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.forms.feedback import ActionForm, ApiTokenForm
from lms_cx.i18n import gettext as _
from lms_cx.services.feedback_tokens import create_api_token, list_api_tokens, revoke_api_token


@feedback.route("/tokens", methods=["GET", "POST"])
@role_required("admin")
def tokens() -> Any:
    """List the help desks' API tokens and create one (its secret is shown this once)."""
    session, viewer = get_session(), current_employee()
    assert viewer is not None
    form, created = ApiTokenForm(), None
    if form.validate_on_submit():
        try:
            created = create_api_token(session, form.name.data, created_by_id=viewer.id)
        except ValidationError as error:
            _field_error(form, error)
        else:
            form = ApiTokenForm(formdata=None)
    return render_template(
        "lms_cx/feedback/tokens.html",
        form=form,
        created=created,
        tokens=list_api_tokens(session),
        action=ActionForm(),
    ), (422 if form.errors else 200)


@feedback.post("/tokens/<int:token_id>/revoke")
@role_required("admin")
def revoke_token(token_id: int) -> Any:
    """Revoke an API token; requests with it are refused from now on."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if not revoke_api_token(get_session(), token_id):
        abort(404)
    return _done(_("Token revoked."), ".tokens")
