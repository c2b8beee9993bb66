"""A cycle's packets as files: CSV and JSON for the whole cycle, a ZIP of PDFs per team.

Figures below the minimum number of responses are empty cells in CSV and ``null`` in JSON,
exactly as the packets hold them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from lms_cx.models import ReviewCycle, ReviewPacket
from lms_cx.reports.exports import spreadsheet_cell
from lms_cx.services.review_cycles import PACKET_FORMAT, packet_record

CSV_COLUMNS = (
    "packet_id",
    "employee_id",
    "external_id",
    "name",
    "email",
    "team",
    "period_start",
    "period_end",
    "required_assignments",
    "completed_on_time",
    "completed_late",
    "overdue",
    "on_time_rate",
    "quiz_attempts",
    "quiz_average",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "feedback_count",
    "csat_responses",
    "csat_mean",
    "csat_ci_low",
    "csat_ci_high",
    "previous_csat_mean",
    "nps_responses",
    "nps",
    "nps_ci_low",
    "nps_ci_high",
    "previous_nps",
    "positive",
    "negative",
    "themes",
    "remedial_assignments",
    "remedial_completed",
    "readiness_index",
    "finalized_at",
    "acknowledged_at",
    "employee_comment",
)


def _cell(value: Any) -> Any:
    return "" if value is None else spreadsheet_cell(value)


def packet_row(packet: ReviewPacket) -> dict[str, Any]:
    """Return one CSV row of ``packet``."""
    data = packet.data
    training, feedback = data["training"], data["feedback"]
    csat, nps = feedback["csat"], feedback["nps"]
    previous = feedback["previous"]
    remedial = data["remedial"]
    row = {
        "packet_id": packet.id,
        "employee_id": data["employee"]["id"],
        "external_id": data["employee"]["external_id"],
        "name": data["employee"]["name"],
        "email": data["employee"]["email"],
        "team": data["employee"]["team"],
        "period_start": data["period"]["start"],
        "period_end": data["period"]["end"],
        "required_assignments": training["required"],
        "completed_on_time": training["completed_on_time"],
        "completed_late": training["completed_late"],
        "overdue": training["overdue"],
        "on_time_rate": training["on_time_rate"],
        "quiz_attempts": training["quiz_attempts"],
        "quiz_average": training["quiz_average"],
        "certificates_valid": training["certificates"]["valid"],
        "certificates_expiring": training["certificates"]["expiring"],
        "certificates_expired": training["certificates"]["expired"],
        "feedback_count": feedback["count"],
        "csat_responses": csat["responses"],
        "csat_mean": csat["value"],
        "csat_ci_low": csat["ci_low"],
        "csat_ci_high": csat["ci_high"],
        "previous_csat_mean": previous["csat"]["value"],
        "nps_responses": nps["responses"],
        "nps": nps["value"],
        "nps_ci_low": nps["ci_low"],
        "nps_ci_high": nps["ci_high"],
        "previous_nps": previous["nps"]["value"],
        "positive": feedback["positive"],
        "negative": feedback["negative"],
        "themes": "|".join(f"{theme['track']}:{theme['count']}" for theme in feedback["themes"]),
        "remedial_assignments": len(remedial),
        "remedial_completed": sum(
            1 for line in remedial if line["outcome"].startswith("completed")
        ),
        "readiness_index": packet.readiness_index,
        "finalized_at": packet.finalized_at.isoformat() if packet.finalized_at else None,
        "acknowledged_at": packet.acknowledged_at.isoformat() if packet.acknowledged_at else None,
        "employee_comment": packet.employee_comment,
    }
    return {key: _cell(value) for key, value in row.items()}


def cycle_csv(packets: Iterable[ReviewPacket]) -> bytes:
    """Return the packets as CSV (UTF-8 with a BOM, so spreadsheets read Persian and Polish)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for packet in packets:
        writer.writerow(packet_row(packet))
    return buffer.getvalue().encode("utf-8-sig")


def cycle_json(cycle: ReviewCycle, packets: Iterable[ReviewPacket]) -> bytes:
    """Return the cycle and every packet record as one JSON document."""
    document = {
        "format": PACKET_FORMAT,
        "cycle": {
            "id": cycle.id,
            "name": cycle.name,
            "period_start": cycle.period_start.isoformat(),
            "period_end": cycle.period_end.isoformat(),
            "status": cycle.status,
            "population": cycle.population,
        },
        "packets": [packet_record(packet) for packet in packets],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def safe_name(text: str) -> str:
    """Return ``text`` as a file-name part: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60]


def packet_filename(packet: ReviewPacket) -> str:
    """Return the PDF name of a packet: ``review-<cycle>-<employee id>-<name>.pdf``."""
    employee = packet.data["employee"]
    stem = "-".join(
        part
        for part in (
            "review",
            str(packet.cycle_id),
            str(employee["id"]),
            safe_name(employee["name"]),
        )
        if part
    )
    return f"{stem}.pdf"


def packets_zip(
    packets: Iterable[ReviewPacket], render_pdf: Callable[[ReviewPacket], bytes]
) -> bytes:
    """Return a ZIP of each packet's PDF, one folder per team."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for packet in packets:
            team = packet.data["employee"].get("team") or ""
            folder = safe_name(team) or "no-team"
            archive.writestr(f"{folder}/{packet_filename(packet)}", render_pdf(packet))
    return buffer.getvalue()
