"""A cycle's packets as files: CSV and JSON for HR, a ZIP of PDFs for HR and managers.

Each export holds exactly the packets the viewer sees on the cycle's page (``?team=`` for one
team and its sub-teams); the routes live on ``reviews``.
"""

from __future__ import annotations

from flask import Response, request

from lms_cx.auth import role_required
from lms_cx.blueprints.reviews import _download, _packet_pdf, reviews, visible_packets
from lms_cx.services.review_exports import cycle_csv, cycle_json, packets_zip


@reviews.get("/cycles/<int:cycle_id>/packets.csv")
@role_required("admin")
def cycle_export_csv(cycle_id: int) -> Response:
    """Download every packet of the cycle as CSV."""
    cycle, packets, _scope = visible_packets(cycle_id)
    return _download(cycle_csv(packets), "text/csv; charset=utf-8", f"review-cycle-{cycle.id}.csv")


@reviews.get("/cycles/<int:cycle_id>/packets.json")
@role_required("admin")
def cycle_export_json(cycle_id: int) -> Response:
    """Download the cycle and every packet as JSON."""
    cycle, packets, _scope = visible_packets(cycle_id)
    return _download(
        cycle_json(cycle, packets), "application/json", f"review-cycle-{cycle.id}.json"
    )


@reviews.get("/cycles/<int:cycle_id>/packets.zip")
@role_required("admin", "manager")
def cycle_export_zip(cycle_id: int) -> Response:
    """Download the PDFs of the packets I see (``?team=`` for one team), one folder per team."""
    cycle, packets, _scope = visible_packets(cycle_id)
    team = request.args.get("team", type=int)
    suffix = f"-team-{team}" if team else ""
    return _download(
        packets_zip(packets, _packet_pdf), "application/zip", f"review-cycle-{cycle.id}{suffix}.zip"
    )
