"""A manager's one-click refresher: assign an employee the refresher module of a track.

A track's *refresher module* is its published, not archived module of the ``ongoing`` stage
that comes first in an ongoing course (else the first by slug); failing an ongoing one, any
published module of the track. The assignment is ``manual``, says who asked and why, and is
refused while the employee already has that module open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import Assignment, Course, CourseModule, Module, ModuleVersion, Track
from lms_cx.models.people import Employee
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.rule_application import notify_assigned

#: Days the employee has to finish a refresher.
REFRESHER_DUE_DAYS = 14


class RefresherRefused(Exception):
    """The refresher cannot be assigned; ``message`` says why, in the manager's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refresher_modules(session: Session) -> dict[str, Module]:
    """Return the refresher module of every track that has one, by track code."""
    first_position = (
        sa.select(sa.func.min(CourseModule.position))
        .join(Course, Course.id == CourseModule.course_id)
        .where(
            CourseModule.module_id == Module.id,
            Course.lifecycle_stage == "ongoing",
            Course.archived_at.is_(None),
        )
        .scalar_subquery()
    )
    published = sa.select(ModuleVersion.id).where(ModuleVersion.module_id == Module.id).exists()
    rows = session.execute(
        sa.select(Track.code, Module)
        .join(Module, Module.track_id == Track.id)
        .where(Module.archived_at.is_(None), published)
        .order_by(
            Track.code,
            sa.case((Module.lifecycle_stage == "ongoing", 0), else_=1),
            sa.case((first_position.is_(None), 1), else_=0),
            first_position,
            Module.slug,
        )
    ).all()
    chosen: dict[str, Module] = {}
    for code, module in rows:
        chosen.setdefault(code, module)
    return chosen


def assign_refresher(
    session: Session,
    employee: Employee,
    track_code: str,
    assigned_by: Employee,
    now: datetime,
    due_in_days: int = REFRESHER_DUE_DAYS,
) -> Assignment:
    """Assign ``employee`` the refresher module of ``track_code``, notify them, and commit.

    Raises ``RefresherRefused`` for an unknown track, a track without a published module, or
    while the employee has that module open already.
    """
    track = session.scalar(sa.select(Track).where(Track.code == track_code))
    if track is None:
        raise RefresherRefused(_("There is no such competency track."))
    module = refresher_modules(session).get(track_code)
    if module is None:
        raise RefresherRefused(_("This track has no published module to refresh with yet."))
    # Lock the employee's row (on PostgreSQL), so two clicks at once assign once.
    session.execute(
        sa.select(Employee.id).where(Employee.id == employee.id).with_for_update()
    ).all()
    open_ids = session.scalars(
        sa.select(Assignment.module_id).where(
            Assignment.employee_id == employee.id, Assignment.state == "open"
        )
    ).all()
    if module.id in open_ids:
        raise RefresherRefused(
            _("%(name)s already has this refresher open.", name=employee.display_name)
        )
    locale = employee.locale or current_app.config["LMS_CX_DEFAULT_LOCALE"]
    with force_locale(locale):
        reason = _(
            "Refresher in %(track)s, assigned by %(manager)s.",
            track=pick_text(track.title, locale) or track.code,
            manager=assigned_by.display_name,
        )
    assignment = Assignment(
        employee_id=employee.id,
        module_id=module.id,
        source="manual",
        reason=reason,
        reason_data={"kind": "refresher", "track": track.code, "assigned_by": assigned_by.id},
        assigned_by_id=assigned_by.id,
        assigned_at=now,
        due_at=now + timedelta(days=due_in_days),
        state="open",
    )
    session.add(assignment)
    session.flush()
    notify_assigned(session, [assignment], now, LifecycleSettings.current())
    session.commit()
    return assignment
