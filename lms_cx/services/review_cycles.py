"""Review cycles run by HR: a period and a population, one packet per employee.

A cycle starts as ``draft``; generating its packets opens it (employees and managers see
them); closing it finalizes every packet left and freezes the cycle. A finalized packet's
figures never change again, and finalizing queues the packet for every HR webhook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.models import ReviewCycle, ReviewNote, ReviewPacket
from lms_cx.models.people import Employee, Team
from lms_cx.services.review_figures import FigureSettings, Period, packet_figures, people
from lms_cx.services.review_index import check_weights, part_values, readiness_index
from lms_cx.services.review_webhooks import queue_packet_deliveries
from lms_cx.services.rule_criteria import attributes_match, criteria_filters

#: Population criteria a cycle accepts (the assignment rules' language, a subset).
POPULATION_KEYS = ("team_ids", "job_role", "location")
#: Version of the packet data layout (``docs/reviews.md``), sent with exports and webhooks.
PACKET_FORMAT = 1


@dataclass(frozen=True)
class ReviewSettings:
    """The configuration packets are computed with."""

    min_responses: int
    expiring_days: int
    weights: dict[str, float]
    min_weight: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ReviewSettings:
        """Read the ``LMS_CX_REVIEW_*`` keys."""
        return cls(
            min_responses=int(config["LMS_CX_REVIEW_MIN_RESPONSES"]),
            expiring_days=int(config["LMS_CX_REVIEW_EXPIRING_DAYS"]),
            weights=check_weights(config["LMS_CX_REVIEW_INDEX_WEIGHTS"]),
            min_weight=float(config["LMS_CX_REVIEW_INDEX_MIN_WEIGHT"]),
        )


class CycleStateError(ValueError):
    """The cycle's status does not allow this (e.g. generating packets of a closed cycle)."""


def _clean_population(session: Session, population: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key in POPULATION_KEYS:
        values = [value for value in population.get(key) or [] if value not in ("", None)]
        if not values:
            continue
        if key == "team_ids":
            values = sorted({int(value) for value in values})
            known = set(session.scalars(sa.select(Team.id).where(Team.id.in_(values))))
            if known != set(values):
                raise ValidationError(_("choose teams that exist"), field="team_ids")
        else:
            values = sorted({str(value).strip() for value in values if str(value).strip()})
        if values:
            clean[key] = values
    return clean


def create_cycle(
    session: Session,
    *,
    name: str,
    period_start: date,
    period_end: date,
    population: Mapping[str, Any] | None = None,
    previous_cycle_id: int | None = None,
    created_by_id: int | None = None,
) -> ReviewCycle:
    """Create a draft cycle and commit; raise ``ValidationError`` naming the bad field."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("name the cycle, up to 200 characters"), field="name")
    if period_start is None:
        raise ValidationError(_("give the first day of the period"), field="period_start")
    if period_end is None or period_end < period_start:
        raise ValidationError(
            _("the period must end on or after its first day"), field="period_end"
        )
    if previous_cycle_id is not None and session.get(ReviewCycle, previous_cycle_id) is None:
        raise ValidationError(_("choose a cycle that exists"), field="previous_cycle_id")
    cycle = ReviewCycle(
        name=name,
        period_start=period_start,
        period_end=period_end,
        population=_clean_population(session, population or {}),
        previous_cycle_id=previous_cycle_id,
        created_by_id=created_by_id,
        status="draft",
    )
    session.add(cycle)
    session.commit()
    return cycle


def list_cycles(session: Session) -> list[ReviewCycle]:
    """Return every cycle, the latest period first."""
    return list(
        session.scalars(
            sa.select(ReviewCycle).order_by(ReviewCycle.period_end.desc(), ReviewCycle.id.desc())
        )
    )


def population_ids(session: Session, population: Mapping[str, Any]) -> list[int]:
    """Return the ids of the active employees a cycle's population covers."""
    query = sa.select(Employee.id, Employee.attributes).where(*criteria_filters(dict(population)))
    wanted = population.get("attributes") or {}
    return [row.id for row in session.execute(query) if attributes_match(row.attributes, wanted)]


def cycle_periods(cycle: ReviewCycle) -> tuple[Period, Period]:
    """Return the cycle's period and the one packets compare against."""
    period = Period(cycle.period_start, cycle.period_end)
    previous = cycle.previous_cycle
    if previous is not None:
        return period, Period(previous.period_start, previous.period_end)
    return period, period.before()


def compute_packet_data(
    session: Session,
    cycle: ReviewCycle,
    employee_ids: list[int],
    settings: ReviewSettings,
    now: datetime,
) -> dict[int, dict[str, Any]]:
    """Return the packet data of ``employee_ids`` in ``cycle`` (nothing is written)."""
    period, previous = cycle_periods(cycle)
    figures = packet_figures(
        session,
        employee_ids,
        period,
        previous,
        FigureSettings(settings.min_responses, settings.expiring_days),
        now,
    )
    who = people(session, employee_ids)
    packets = {}
    for employee_id, figure in figures.items():
        values = part_values(figure["training"], figure["feedback"])
        packets[employee_id] = {
            "format": PACKET_FORMAT,
            "cycle": {"id": cycle.id, "name": cycle.name},
            "employee": who[employee_id],
            "period": period.as_data(),
            "previous_period": previous.as_data(),
            "min_responses": settings.min_responses,
            "expiring_days": settings.expiring_days,
            **figure,
            "index": readiness_index(values, settings.weights, settings.min_weight),
            "generated_at": now.isoformat(),
        }
    return packets


@dataclass(frozen=True)
class GenerationResult:
    """What generating a cycle's packets did."""

    created: int
    updated: int
    kept_final: int
    removed: int


def generate_packets(
    session: Session, cycle: ReviewCycle, settings: ReviewSettings, now: datetime | None = None
) -> GenerationResult:
    """Compute every packet of ``cycle`` (finalized ones stay as they are), open it; commit.

    Someone who left the population since the last run loses their unfinalized packet.
    """
    if cycle.status == "closed":
        raise CycleStateError(_("the cycle is closed; its packets no longer change"))
    now = now or utcnow()
    ids = population_ids(session, cycle.population or {})
    existing = {packet.employee_id: packet for packet in cycle.packets}
    final = {eid for eid, packet in existing.items() if packet.finalized_at is not None}
    data = compute_packet_data(session, cycle, [i for i in ids if i not in final], settings, now)
    created = updated = removed = 0
    for employee_id, packet_data in data.items():
        packet = existing.get(employee_id)
        if packet is None:
            packet = ReviewPacket(employee_id=employee_id)
            cycle.packets.append(packet)
            created += 1
        else:
            updated += 1
        packet.data = packet_data
        packet.readiness_index = packet_data["index"]["value"]
        packet.generated_at = now
    wanted = set(ids)
    for employee_id, packet in existing.items():
        if employee_id not in wanted and packet.finalized_at is None:
            cycle.packets.remove(packet)
            removed += 1
    cycle.status = "open"
    session.commit()
    return GenerationResult(created, updated, len(final), removed)


def finalize_packets(
    session: Session, packets: list[ReviewPacket], now: datetime | None = None
) -> list[int]:
    """Freeze ``packets`` and queue them for the HR webhooks; commit; return the delivery ids."""
    now = now or utcnow()
    fresh = [packet for packet in packets if packet.finalized_at is None]
    for packet in fresh:
        packet.finalized_at = now
    session.flush()
    deliveries = queue_packet_deliveries(
        session, [(packet.id, packet_record(packet)) for packet in fresh], now
    )
    session.commit()
    return deliveries


def close_cycle(session: Session, cycle: ReviewCycle, now: datetime | None = None) -> list[int]:
    """Finalize every packet left and close the cycle; commit; return the delivery ids."""
    if cycle.status == "draft":
        raise CycleStateError(_("generate the packets before closing the cycle"))
    deliveries = finalize_packets(session, list(cycle.packets), now)
    cycle.status = "closed"
    session.commit()
    return deliveries


def acknowledge_packet(
    session: Session, packet: ReviewPacket, comment: str | None, now: datetime | None = None
) -> ReviewPacket:
    """Record the employee's acknowledgement and comment (they may change the comment later)."""
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise ValidationError(_("keep the comment under 5000 characters"), field="comment")
    if packet.acknowledged_at is None:
        packet.acknowledged_at = now or utcnow()
    packet.employee_comment = comment or None
    session.commit()
    return packet


def add_note(session: Session, packet: ReviewPacket, author: Employee, body: str) -> ReviewNote:
    """Add a manager's note to ``packet`` and commit."""
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise ValidationError(_("write the note, up to 5000 characters"), field="body")
    note = ReviewNote(packet_id=packet.id, author_id=author.id, body=body)
    session.add(note)
    session.commit()
    return note


def packet_record(packet: ReviewPacket) -> dict[str, Any]:
    """Return a packet as exports and webhooks send it: its data plus what people added."""
    return {
        **packet.data,
        "packet_id": packet.id,
        "readiness_index": packet.readiness_index,
        "finalized_at": packet.finalized_at.isoformat() if packet.finalized_at else None,
        "acknowledged_at": packet.acknowledged_at.isoformat() if packet.acknowledged_at else None,
        "employee_comment": packet.employee_comment,
        "notes": [
            {
                "author_id": note.author_id,
                "body": note.body,
                "created_at": note.created_at.isoformat(),
            }
            for note in packet.notes
        ],
    }
