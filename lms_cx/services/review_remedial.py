"""The remedial part of review packets: the remedial training assigned in the period, its
outcome, and the negative feedback in its track before and after it was completed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lms_cx.models import Assignment, Course, Module
from lms_cx.services.review_stats import is_negative

if TYPE_CHECKING:
    from lms_cx.services.review_figures import Period


def remedial_query(period: Period) -> sa.Select[Any]:
    """Return the query of the remedial assignments made in the period, oldest first."""
    return (
        sa.select(Assignment, Course.slug, Module.slug, Course.title, Module.title)
        .outerjoin(Course, Course.id == Assignment.course_id)
        .outerjoin(Module, Module.id == Assignment.module_id)
        .where(
            Assignment.source == "remedial",
            Assignment.assigned_at >= period.since,
            Assignment.assigned_at < period.until,
        )
        .order_by(Assignment.assigned_at)
    )


def remedial_lines(
    rows: list[Any], items: list[Any], themes: dict[int, set[str]], period: Period, as_of: datetime
) -> list[dict[str, Any]]:
    """Return each remedial assignment with its outcome and the negative feedback around it."""
    lines = []
    for assignment, course_slug, module_slug, course_title, module_title in rows:
        track = (assignment.reason_data or {}).get("track", "")
        negative = [
            row.occurred_at
            for row in items
            if track in themes.get(row.id, ()) and is_negative(row.csat, row.nps)
        ]
        finished = assignment.completed_at
        if assignment.state == "completed" and finished is not None:
            late = assignment.due_at is not None and finished > assignment.due_at
            outcome = "completed_late" if late else "completed_on_time"
        elif assignment.state == "cancelled":
            outcome = "cancelled"
        elif assignment.due_at is not None and assignment.due_at < as_of:
            outcome = "overdue"
        else:
            outcome = "open"
        lines.append(
            {
                "assignment_id": str(assignment.id),
                "track": track,
                "training": course_slug or module_slug,
                "training_title": course_title or module_title or {},
                "rule": (assignment.reason_data or {}).get("rule_name"),
                "feedback_item_ids": (assignment.reason_data or {}).get("feedback_item_ids", []),
                "assigned_at": assignment.assigned_at.isoformat(),
                "due_at": assignment.due_at.isoformat() if assignment.due_at else None,
                "completed_at": finished.isoformat() if finished else None,
                "outcome": outcome,
                # Negative feedback in the track within the period, before and after the training.
                "negative_before": sum(1 for at in negative if finished is None or at <= finished),
                "negative_after": sum(
                    1 for at in negative if finished is not None and at > finished
                ),
            }
        )
    return lines
