"""Performance reviews: cycles (HR), packets (page and PDF), acknowledgements, notes, exports.

HR (administrators) runs cycles and sees every packet; a manager sees the packets of their
teams and sub-teams once a cycle is open; every employee sees their own. Anything else
answers 404, exactly like a packet that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone

from lms_cx.auth import current_employee, login_required, role_required
from lms_cx.db import get_session, utcnow
from lms_cx.errors import ValidationError
from lms_cx.forms.feedback import ActionForm
from lms_cx.forms.reviews import AcknowledgeForm, CycleForm, NoteForm
from lms_cx.i18n import gettext as _
from lms_cx.i18n import lazy_gettext as _l
from lms_cx.i18n import pick_text
from lms_cx.models import ReviewCycle, ReviewPacket, Track
from lms_cx.models.people import Employee, Team
from lms_cx.reports.formatting import day_text, one_decimal, percent_of
from lms_cx.reports.pdf import html_to_pdf, pdf_assets
from lms_cx.reports.scope import NotInScope, Scope
from lms_cx.services import review_webhooks as webhooks
from lms_cx.services.review_access import (
    cycle_packets,
    is_hr,
    own_packets,
    review_scope,
    visible_cycles,
    visible_packet,
)
from lms_cx.services.review_cycles import (
    CycleStateError,
    ReviewSettings,
    acknowledge_packet,
    add_note,
    close_cycle,
    create_cycle,
    finalize_packets,
    generate_packets,
    list_cycles,
)
from lms_cx.services.review_exports import packet_filename
from lms_cx.services.review_index import INDEX_PARTS

reviews = Blueprint("reviews", __name__)

#: What the index parts are called on packets.
PART_LABELS = {
    "training": _l("Required training on time"),
    "quiz": _l("Quiz average"),
    "csat": _l("CSAT"),
    "nps": _l("NPS"),
}


def _viewer() -> Employee:
    employee = current_employee()
    assert employee is not None  # the route's decorator checked
    return employee


def _locale() -> str:
    return str(get_locale() or current_app.config["LMS_CX_DEFAULT_LOCALE"])


def _settings() -> ReviewSettings:
    return ReviewSettings.from_config(current_app.config)


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _button_pressed() -> None:
    """Refuse a POST without its CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


@reviews.context_processor
def packet_helpers() -> dict[str, Any]:
    """Give the packet templates track titles and the reader's number and date formats."""
    locale, zone = _locale(), get_timezone()
    titles = {
        track.code: pick_text(track.title, locale) or track.code
        for track in get_session().scalars(sa.select(Track))
    }
    return {
        "track_title": lambda code: titles.get(code, code),
        "local_text": lambda texts: pick_text(texts or {}, locale),
        "pct": lambda fraction: percent_of(fraction, locale),
        "dec1": lambda value: one_decimal(value, locale),
        "day": lambda value: day_text(_moment(value), locale, zone),
        "part_labels": {part: str(PART_LABELS[part]) for part in INDEX_PARTS},
        "review_action": ActionForm(),
    }


def _moment(value: str | date | datetime | None) -> date | datetime | None:
    """Read the ISO dates and times packets store (their data is JSON)."""
    if not isinstance(value, str):
        return value
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def _cycle(cycle_id: int) -> ReviewCycle:
    cycle = get_session().get(ReviewCycle, cycle_id)
    if cycle is None:
        abort(404)
    return cycle


@reviews.get("/")
@login_required
def index() -> Any:
    """List my own packets and, for HR and managers, the cycles they review."""
    session, viewer = get_session(), _viewer()
    return render_template(
        "lms_cx/reviews/index.html",
        mine=own_packets(session, viewer),
        cycles=visible_cycles(session, viewer),
        hr=is_hr(viewer),
    )


@reviews.route("/cycles/new", methods=["GET", "POST"])
@role_required("admin")
def new_cycle() -> Any:
    """Create a review cycle: a period and a population."""
    session = get_session()
    form = CycleForm()
    form.team_ids.choices = [
        (team.id, team.name) for team in session.scalars(sa.select(Team).order_by(Team.name))
    ]
    form.previous_cycle_id.choices = [("", _("The period before"))] + [
        (cycle.id, cycle.name) for cycle in list_cycles(session)
    ]
    if form.validate_on_submit():
        try:
            cycle = create_cycle(
                session,
                name=form.name.data,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                population=form.population(),
                previous_cycle_id=form.previous_cycle_id.data,
                created_by_id=_viewer().id,
            )
        except ValidationError as error:
            session.rollback()
            field = getattr(form, error.field or "", None)
            if field is not None:
                field.errors = [*field.errors, error.message]
            else:
                flash(error.message, "error")
        else:
            flash(_("Cycle created. Generate its packets when the period's data is in."), "info")
            return redirect(url_for(".cycle", cycle_id=cycle.id))
    return render_template("lms_cx/reviews/cycle_form.html", form=form), (
        422 if form.errors else 200
    )


@reviews.get("/cycles/<int:cycle_id>")
@role_required("admin", "manager")
def cycle(cycle_id: int) -> Any:
    """Show a cycle's packets: all of them for HR, a manager's teams for a manager."""
    cycle, packets, scope = visible_packets(cycle_id)
    return render_template(
        "lms_cx/reviews/cycle.html",
        cycle=cycle,
        packets=packets,
        scope=scope,
        hr=is_hr(_viewer()),
    )


def visible_packets(cycle_id: int) -> tuple[ReviewCycle, list[ReviewPacket], Scope]:
    """Return the cycle, the packets the viewer sees in it (``?team=`` narrows) and the scope.

    404 for a draft cycle a non-HR viewer asks for, or a team outside the viewer's scope.
    """
    session, viewer = get_session(), _viewer()
    cycle = _cycle(cycle_id)
    if cycle.status == "draft" and not is_hr(viewer):
        abort(404)
    try:
        scope = review_scope(session, viewer, request.args.get("team", type=int))
    except NotInScope:
        abort(404)
    return cycle, cycle_packets(session, viewer, cycle, scope), scope


def _hr_cycle_action(cycle_id: int) -> ReviewCycle:
    _button_pressed()
    return _cycle(cycle_id)


@reviews.post("/cycles/<int:cycle_id>/generate")
@role_required("admin")
def generate(cycle_id: int) -> Any:
    """Compute (or recompute) every unfinalized packet of the cycle."""
    cycle = _hr_cycle_action(cycle_id)
    try:
        result = generate_packets(get_session(), cycle, _settings())
    except CycleStateError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "%(created)d packets created, %(updated)d recomputed, %(final)d finalized kept, "
                "%(removed)d removed.",
                created=result.created,
                updated=result.updated,
                final=result.kept_final,
                removed=result.removed,
            ),
            "info",
        )
    return redirect(url_for(".cycle", cycle_id=cycle_id))


def _deliver_now(delivery_ids: list[int]) -> None:
    """Try one packet's webhooks now; failures stay queued for ``flask lms-cx reviews deliver``."""
    if not delivery_ids:
        return
    run = webhooks.deliver_webhooks(
        get_session(),
        webhooks.DeliverySettings.from_config(current_app.config),
        delivery_ids=delivery_ids,
    )
    flash(
        _(
            "Sent to the HR webhooks: %(delivered)d delivered, %(failed)d to retry, "
            "%(dead)d failed.",
            delivered=run.delivered,
            failed=run.failed,
            dead=run.dead,
        ),
        "info" if not (run.failed or run.dead) else "error",
    )


@reviews.post("/cycles/<int:cycle_id>/close")
@role_required("admin")
def close(cycle_id: int) -> Any:
    """Finalize every packet left and close the cycle; queue the packets for the HR webhooks."""
    cycle = _hr_cycle_action(cycle_id)
    try:
        deliveries = close_cycle(get_session(), cycle)
    except CycleStateError as error:
        flash(str(error), "error")
    else:
        # A whole cycle can be thousands of requests: the worker sends them, not this page.
        flash(
            _(
                "Cycle closed; every packet is final. %(num)d webhook deliveries queued.",
                num=len(deliveries),
            ),
            "info",
        )
    return redirect(url_for(".cycle", cycle_id=cycle_id))


def _packet(packet_id: int) -> tuple[ReviewPacket, str]:
    try:
        return visible_packet(get_session(), _viewer(), packet_id)
    except NotInScope:
        abort(404)


@reviews.get("/packets/<int:packet_id>")
@login_required
def packet(packet_id: int) -> Any:
    """Show a packet: training, customer feedback, remedial training, the index, notes."""
    packet, access = _packet(packet_id)
    return render_template(
        "lms_cx/reviews/packet.html",
        packet=packet,
        access=access,
        acknowledge_form=AcknowledgeForm(comment=packet.employee_comment),
        note_form=NoteForm(),
    )


def _packet_pdf(packet: ReviewPacket) -> bytes:
    html = render_template(
        "lms_cx/reviews/packet_pdf.html",
        packet=packet,
        **pdf_assets(),
    )
    return html_to_pdf(html)


@reviews.get("/packets/<int:packet_id>.pdf")
@login_required
def packet_pdf(packet_id: int) -> Response:
    """Download a packet as a PDF."""
    packet, _access = _packet(packet_id)
    return _download(_packet_pdf(packet), "application/pdf", packet_filename(packet))


@reviews.post("/packets/<int:packet_id>/acknowledge")
@login_required
def acknowledge(packet_id: int) -> Any:
    """Acknowledge my packet, with a comment."""
    packet, access = _packet(packet_id)
    if access != "self":
        abort(403)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        acknowledge_packet(get_session(), packet, form.comment.data)
    except ValidationError as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you: your acknowledgement is recorded."), "info")
    return redirect(url_for(".packet", packet_id=packet.id))


@reviews.post("/packets/<int:packet_id>/notes")
@role_required("admin", "manager")
def add_packet_note(packet_id: int) -> Any:
    """Add a note to a packet of someone I review."""
    packet, access = _packet(packet_id)
    if access == "self":
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("Write the note first."), "error")
        return redirect(url_for(".packet", packet_id=packet.id))
    add_note(get_session(), packet, _viewer(), form.body.data)
    flash(_("Note added."), "info")
    return redirect(url_for(".packet", packet_id=packet.id))


@reviews.post("/packets/<int:packet_id>/finalize")
@role_required("admin")
def finalize(packet_id: int) -> Any:
    """Freeze a packet and send it to the HR webhooks."""
    _button_pressed()
    packet, _access = _packet(packet_id)
    deliveries = finalize_packets(get_session(), [packet], utcnow())
    flash(_("Packet finalized."), "info")
    _deliver_now(deliveries)
    return redirect(url_for(".packet", packet_id=packet.id))


# The cycle's exports and HR's webhook pages add their routes to ``reviews``.
from lms_cx.blueprints import reviews_exports, reviews_webhooks  # noqa: E402, F401
