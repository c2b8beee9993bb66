"""Who may see which review packet: HR (admins) all, managers their teams and sub-teams,
every employee their own, trainers as such nothing.

Listings filter in SQL through the readiness reports' ``Scope``, so a packet outside it is
simply not found (shown as 404, like one that does not exist).
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms_cx.models import ReviewCycle, ReviewPacket
from lms_cx.models.people import Employee
from lms_cx.reports.scope import NotInScope, Scope, viewer_scope

Access = Literal["hr", "manager", "self"]


def is_hr(viewer: Employee) -> bool:
    """Return True for people who run review cycles (administrators)."""
    return viewer.has_role("admin")


def review_scope(session: Session, viewer: Employee, team_id: int | None = None) -> Scope:
    """Return the people whose packets ``viewer`` sees as HR or manager (``NotInScope``)."""
    return viewer_scope(session, viewer).narrowed_to(team_id)


def packet_access(session: Session, viewer: Employee, packet: ReviewPacket) -> Access | None:
    """Return how ``viewer`` may see ``packet``, or None when they may not see it at all."""
    if packet.employee_id == viewer.id:
        return "self"
    if is_hr(viewer):
        return "hr"
    if packet.cycle.status == "draft" or not viewer.has_role("manager"):
        return None
    scope = viewer_scope(session, viewer)
    visible = session.scalar(
        sa.select(sa.literal(True)).where(
            sa.and_(Employee.id == packet.employee_id, *scope.employee_conditions())
        )
    )
    return "manager" if visible else None


def visible_packet(
    session: Session, viewer: Employee, packet_id: int
) -> tuple[ReviewPacket, Access]:
    """Return a packet and how ``viewer`` sees it; ``NotInScope`` when they may not."""
    packet = session.get(ReviewPacket, packet_id)
    if packet is None:
        raise NotInScope(packet_id)
    access = packet_access(session, viewer, packet)
    if access is None or (
        access == "self" and packet.cycle.status == "draft" and not is_hr(viewer)
    ):
        raise NotInScope(packet_id)
    return packet, access


def cycle_packets(
    session: Session, viewer: Employee, cycle: ReviewCycle, scope: Scope
) -> list[ReviewPacket]:
    """Return the packets of ``cycle`` within ``scope``, by employee name."""
    query = (
        sa.select(ReviewPacket)
        .join(Employee, Employee.id == ReviewPacket.employee_id)
        .where(ReviewPacket.cycle_id == cycle.id)
        .options(selectinload(ReviewPacket.notes))
        .order_by(Employee.display_name, ReviewPacket.id)
    )
    if not (is_hr(viewer) and scope.whole_organisation):
        conditions = scope.employee_conditions()
        if is_hr(viewer):
            # HR reviews everyone in the team, leavers and themselves included.
            conditions = [Employee.team_id.in_(scope.team_ids or ())]
        query = query.where(*conditions)
    return list(session.scalars(query))


def visible_cycles(session: Session, viewer: Employee) -> list[ReviewCycle]:
    """Return the cycles ``viewer`` sees as HR (all) or as a manager (not drafts)."""
    query = sa.select(ReviewCycle).order_by(ReviewCycle.period_end.desc(), ReviewCycle.id.desc())
    if is_hr(viewer):
        return list(session.scalars(query))
    if viewer.has_role("manager"):
        return list(session.scalars(query.where(ReviewCycle.status != "draft")))
    return []


def own_packets(session: Session, employee: Employee) -> list[ReviewPacket]:
    """Return the employee's own packets of cycles that are not drafts, latest first."""
    return list(
        session.scalars(
            sa.select(ReviewPacket)
            .join(ReviewCycle, ReviewCycle.id == ReviewPacket.cycle_id)
            .where(ReviewPacket.employee_id == employee.id, ReviewCycle.status != "draft")
            .order_by(ReviewCycle.period_end.desc())
        )
    )
