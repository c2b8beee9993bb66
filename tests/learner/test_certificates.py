"""Certificates: issued once per completed course, a real PDF, a public check, expiry."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader
from sqlalchemy.orm import Session

from lms_cx.models import Certificate
from lms_cx.services.certificates import normalise_code
from tests import factories
from tests.learner.conftest import NOW, finish_module


def complete(app: Flask, session: Session, learner, small_course) -> Certificate:
    with app.test_request_context("/"):
        finish_module(session, learner, small_course.assignment.id, "listening", 2)
        finish_module(session, learner, small_course.assignment.id, "empathy", 1)
    session.expire_all()
    return session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == small_course.assignment.id)
    )


def test_completing_the_course_issues_one_certificate(
    app: Flask, session: Session, learner, small_course
) -> None:
    """Test that the last satisfied module issues the certificate: code, version, score,
    expiry after the course's valid days."""
    certificate = complete(app, session, learner, small_course)
    assert certificate.verification_code == normalise_code(certificate.verification_code)
    assert certificate.issued_at == NOW
    assert certificate.expires_at == NOW + timedelta(days=365)
    assert certificate.score_scaled == 1.0
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_the_pdf_names_holder_course_version_date_score_and_code(
    app: Flask, session: Session, learner, small_course, signed_in
) -> None:
    """Test that the learner downloads a real PDF whose text holds everything it certifies."""
    certificate = complete(app, session, learner, small_course)
    response = signed_in.get(f"/cx/learn/certificates/{certificate.verification_code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for expected in (
        "Ola Nowak",
        "Course first-week",
        "Course version 1",
        "March 2, 2026",
        "100%",
        certificate.verification_code,
        "Valid until March 2, 2027",
        f"/cx/verify/{certificate.verification_code}",
    ):
        assert expected in text, f"{expected!r} not in {text!r}"


def test_anyone_can_verify_a_certificate_without_signing_in(
    app: Flask, session: Session, learner, small_course, client
) -> None:
    """Test that the public page (no login) confirms holder, course, version and expiry,
    and that a typed code in another case and spacing finds it."""
    certificate = complete(app, session, learner, small_course)
    response = client.get(f"/cx/verify/{certificate.verification_code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This certificate is valid." in page
    for expected in ("Ola Nowak", "Course first-week", "Mar 2, 2027"):
        assert expected in page
    typed = certificate.verification_code.lower().replace("-", " ")
    redirect = client.get("/cx/verify/", query_string={"code": typed})
    assert redirect.headers["Location"].endswith(f"/cx/verify/{certificate.verification_code}")


def test_an_unknown_code_is_not_found(client, ctx) -> None:
    """Test that a code nobody holds answers 404 with a plain explanation."""
    response = client.get("/cx/verify/CX-AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert "No certificate has the code" in response.get_data(as_text=True)


def test_an_expired_certificate_says_so(
    app: Flask, session: Session, learner, small_course, client
) -> None:
    """Test that after its expiry date the public page says the certificate expired."""
    certificate = complete(app, session, learner, small_course)
    certificate.expires_at = NOW - timedelta(days=1)
    session.commit()
    page = client.get(f"/cx/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "This certificate has expired." in page


def test_someone_elses_certificate_cannot_be_downloaded(
    app: Flask, session: Session, learner, small_course, client
) -> None:
    """Test that the PDF download is for the holder only (others get 404)."""
    certificate = complete(app, session, learner, small_course)
    other = factories.employee(session, email="other@example.com")
    session.commit()
    client.post("/cx/account/login", data={"email": other.email, "password": factories.PASSWORD})
    response = client.get(f"/cx/learn/certificates/{certificate.verification_code}.pdf")
    assert response.status_code == 404


def test_recertifying_supersedes_the_older_certificate(
    app: Flask, session: Session, learner, small_course, client
) -> None:
    """Test that completing the course again issues a new certificate and the old one
    points at it (and shows as replaced)."""
    first = complete(app, session, learner, small_course)
    again = factories.assignment(
        session, learner, course=small_course.course, source="recertification"
    )
    session.commit()
    with app.test_request_context("/"):
        finish_module(session, learner, again.id, "listening", 2)
        finish_module(session, learner, again.id, "empathy", 1)
    session.expire_all()
    newer = session.scalar(sa.select(Certificate).where(Certificate.assignment_id == again.id))
    assert session.get(Certificate, first.id).superseded_by_id == newer.id
    page = client.get(f"/cx/verify/{first.verification_code}").get_data(as_text=True)
    assert "replaced by a newer one" in page


def test_a_course_without_validity_issues_a_certificate_that_never_expires(
    session: Session, learner, ctx
) -> None:
    """Test that certificate_valid_days None means no expiry date."""
    module = factories.learning_module(session, "forever", lessons=1)
    course = factories.learning_course(
        session, "forever-course", [module], certificate_valid_days=None
    )
    assigned = factories.assignment(session, learner, course=course)
    session.commit()
    finish_module(session, learner, assigned.id, "forever", 1)
    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assigned.id)
    )
    assert certificate.expires_at is None
