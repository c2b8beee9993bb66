"""Course completion and its certificate: issued once, verifiable by a public code, may expire.

``complete_if_satisfied`` is called after anything that may finish an assignment (a lesson
read, an attempt submitted, the learner's home opened after external content reported): when
every module satisfies its moveOn rule it marks the assignment completed, issues the
certificate of a course (valid for the course version's ``certificate_valid_days``) and
records ``course.completed``, all once, whatever happens concurrently.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import Assignment, Certificate, CourseVersion
from lms_cx.models.people import Employee
from lms_cx.services.enrolment import NotFound, Plan
from lms_cx.services.learning_record import course_part, event, learner_part, record_events
from lms_cx.services.module_status import assignment_status

#: Letters of verification codes: no 0/O, 1/I/L, so a code read aloud or typed survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    """Return a fresh code like ``CX-7KQM-4PZD-W9RT`` (about 59 bits of randomness)."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "CX-" + "-".join(groups)


def normalise_code(code: str) -> str:
    """Return a typed code in its stored form (upper case, dashes where they belong)."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    letters = letters.removeprefix("CX")
    if len(letters) != 12:
        return code.strip().upper()
    return "CX-" + "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def complete_if_satisfied(
    session: Session, employee: Employee, plan: Plan, now: datetime
) -> Certificate | None:
    """Complete the assignment when every module is satisfied; return the certificate issued.

    Flushes; the caller commits. Only the request that flips the assignment from ``open`` to
    ``completed`` issues the certificate and records ``course.completed``.
    """
    assignment = plan.assignment
    if assignment.state != "open" or assignment.started_at is None:
        return None
    status = assignment_status(session, plan)
    if not status.satisfied:
        return None
    flipped = session.execute(
        sa.update(Assignment)
        .where(Assignment.id == assignment.id, Assignment.state == "open")
        .values(state="completed", completed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(assignment)
    if not flipped or plan.course_version is None:
        return None
    certificate = issue_certificate(session, assignment, plan.course_version, status.score, now)
    duration = (now - assignment.started_at).total_seconds()
    record_events(
        session,
        [
            event(
                "course.completed",
                str(assignment.id),
                now,
                learner=learner_part(session, employee),
                registration=str(assignment.id),
                course=course_part(plan.course_version),
                result={
                    "score_scaled": status.score,
                    "success": True,
                    "completion": True,
                    "duration_seconds": duration,
                },
                certificate=certificate.verification_code,
            )
        ],
    )
    return certificate


def issue_certificate(
    session: Session,
    assignment: Assignment,
    version: CourseVersion,
    score: float | None,
    now: datetime,
) -> Certificate:
    """Issue the certificate of a completed course assignment (once) and supersede older ones."""
    existing = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assignment.id)
    )
    if existing is not None:
        return existing
    valid_days = version.snapshot.get("certificate_valid_days")
    certificate = Certificate(
        employee_id=assignment.employee_id,
        course_id=version.course_id,
        course_version_id=version.id,
        assignment_id=assignment.id,
        verification_code=new_verification_code(),
        issued_at=now,
        expires_at=now + timedelta(days=valid_days) if valid_days else None,
        score_scaled=score,
    )
    session.add(certificate)
    session.flush()
    session.execute(
        sa.update(Certificate)
        .where(
            Certificate.employee_id == assignment.employee_id,
            Certificate.course_id == version.course_id,
            Certificate.id != certificate.id,
            Certificate.superseded_by_id.is_(None),
        )
        .values(superseded_by_id=certificate.id)
        .execution_options(synchronize_session=False)
    )
    return certificate


@dataclass(frozen=True)
class CertificateView:
    """A certificate as its PDF and the public verification page show it."""

    code: str
    holder: str
    course_title: str
    course_version: int | None
    issued_at: datetime
    expires_at: datetime | None
    score_scaled: float | None
    issuer: str
    #: ``valid``, ``expired``, ``revoked`` or ``superseded``.
    state: str
    assignment_id: uuid.UUID | None

    @property
    def valid(self) -> bool:
        """Return True while the certificate proves what it says."""
        return self.state == "valid"


def _view(
    certificate: Certificate,
    holder: Employee,
    version: CourseVersion | None,
    locale: str,
    now: datetime,
) -> CertificateView:
    if certificate.revoked_at is not None:
        state = "revoked"
    elif certificate.expires_at is not None and certificate.expires_at <= now:
        state = "expired"
    elif certificate.superseded_by_id is not None:
        state = "superseded"
    else:
        state = "valid"
    title = version.snapshot.get("title") if version else None
    return CertificateView(
        code=certificate.verification_code,
        holder=holder.display_name,
        course_title=pick_text(title, locale) or (version.snapshot["slug"] if version else ""),
        course_version=version.version if version else None,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        score_scaled=certificate.score_scaled,
        issuer=current_app.config.get("LMS_CX_CERTIFICATE_ISSUER")
        or current_app.config["LMS_CX_SITE_NAME"],
        state=state,
        assignment_id=certificate.assignment_id,
    )


def verify_certificate(
    session: Session, code: str, locale: str, now: datetime
) -> CertificateView | None:
    """Return the certificate with verification ``code`` (as anyone may check it), or None."""
    found = session.execute(
        sa.select(Certificate, Employee, CourseVersion)
        .join(Employee, Employee.id == Certificate.employee_id)
        .outerjoin(CourseVersion, CourseVersion.id == Certificate.course_version_id)
        .where(Certificate.verification_code == normalise_code(code))
    ).first()
    if found is None:
        return None
    return _view(*found, locale, now)


def learner_certificate(
    session: Session, employee: Employee, code: str, locale: str, now: datetime
) -> CertificateView:
    """Return one of the employee's own certificates; ``NotFound`` for anyone else's."""
    view = verify_certificate(session, code, locale, now)
    owner = session.scalar(
        sa.select(Certificate.employee_id).where(
            Certificate.verification_code == normalise_code(code)
        )
    )
    if view is None or owner != employee.id:
        raise NotFound(_("There is no such certificate among yours."))
    return view


def certificate_pdf(html: str) -> bytes:
    """Return the PDF of a certificate's HTML (rendered by the view from its template).

    Relative URLs in the HTML (the Vazirmatn font files of its ``@font-face`` rules) are
    read from the package's static folder, so printing fetches nothing over the network.
    """
    from weasyprint import HTML  # imported late: loading Pango takes a moment
    from weasyprint.text.fonts import FontConfiguration

    from lms_cx.reports.pdf import STATIC, local_files_fetcher

    document = HTML(string=html, base_url=f"{STATIC.as_uri()}/", url_fetcher=local_files_fetcher())
    return document.write_pdf(font_config=FontConfiguration())
