"""HR's webhook pages: the HR systems that receive finalized packets, and their deliveries.

A webhook's signing secret is shown once, when it is added; the routes live on ``reviews``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for

from lms_cx.auth import role_required
from lms_cx.blueprints.reviews import _button_pressed, reviews
from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.forms.reviews import WebhookForm
from lms_cx.i18n import gettext as _
from lms_cx.services import review_webhooks as webhooks


@reviews.route("/webhooks", methods=["GET", "POST"])
@role_required("admin")
def webhook_list() -> Any:
    """List the HR webhooks with their deliveries, and add one (its secret is shown once)."""
    session = get_session()
    form, created = WebhookForm(), None
    if form.validate_on_submit():
        try:
            created = webhooks.create_webhook(session, form.name.data, form.url.data)
        except ValidationError as error:
            field = getattr(form, error.field or "", None)
            if field is not None:
                field.errors = [*field.errors, error.message]
        else:
            form = WebhookForm(formdata=None)
    return render_template(
        "lms_cx/reviews/webhooks.html",
        form=form,
        created=created,
        hooks=webhooks.list_webhooks(session),
    ), (422 if form.errors else 200)


@reviews.post("/webhooks/<int:webhook_id>/delete")
@role_required("admin")
def webhook_delete(webhook_id: int) -> Any:
    """Delete a webhook and its delivery record."""
    _button_pressed()
    if not webhooks.delete_webhook(get_session(), webhook_id):
        abort(404)
    flash(_("Webhook deleted."), "info")
    return redirect(url_for(".webhook_list"))


@reviews.post("/webhooks/deliver")
@role_required("admin")
def webhook_deliver() -> Any:
    """Send the deliveries that are due now."""
    _button_pressed()
    run = webhooks.deliver_webhooks(
        get_session(), webhooks.DeliverySettings.from_config(current_app.config)
    )
    flash(
        _(
            "%(delivered)d delivered, %(failed)d to retry, %(dead)d failed.",
            delivered=run.delivered,
            failed=run.failed,
            dead=run.dead,
        ),
        "info",
    )
    return redirect(url_for(".webhook_list"))
