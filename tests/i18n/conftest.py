"""Fixtures for the language tests: people who read Persian or Polish, and their courses."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Certificate, Course
from lms_cx.models.people import Employee
from lms_cx.models.versions import CourseVersion
from lms_cx.services.publishing import publish_course
from tests import factories

#: When the certificates in these tests were issued (1 Farvardin 1405 in the Solar Hijri year).
ISSUED = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)


def course_titled(session: Session, slug: str, titles: dict[str, str]) -> CourseVersion:
    """Publish a one-module course titled ``titles`` (per locale); return its version."""
    module = factories.learning_module(session, f"{slug}-module", lessons=1)
    course = factories.learning_course(session, slug, [module])
    course.title = {"en": f"Course {slug}", **titles}
    session.flush()
    publish_course(session, course)
    return session.scalars(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.version.desc())
    ).first()


def certificate_for(
    session: Session, learner: Employee, version: CourseVersion, code: str
) -> Certificate:
    """Issue ``learner`` a certificate of ``version`` (committed)."""
    course = session.get(Course, version.course_id)
    assignment = factories.assignment(session, learner, course=course)
    row = Certificate(
        employee_id=learner.id,
        course_id=course.id,
        course_version_id=version.id,
        assignment_id=assignment.id,
        verification_code=code,
        issued_at=ISSUED,
        expires_at=ISSUED.replace(year=2027),
        score_scaled=0.9,
    )
    session.add(row)
    session.commit()
    return row
