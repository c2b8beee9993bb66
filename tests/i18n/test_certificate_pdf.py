"""Persian certificates: the PDF's text, as pdftotext reads it, is joined and in reading order."""

from __future__ import annotations

import subprocess

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.services.calendar_setting import set_persian_calendar
from tests import factories
from tests.i18n.conftest import certificate_for, course_titled

PERSIAN_NAME = "سارا محمدی"
PERSIAN_TITLE = "گوش دادن فعال به مشتری"


#: Bidi embedding marks pdftotext adds around runs, and the zero-width non-joiner, which a
#: PDF does not carry (it only keeps two letters apart, and the glyphs show that).
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def pdf_text(pdf: bytes) -> str:
    """Return the text of ``pdf`` as poppler's pdftotext reads it, spaces collapsed."""
    assert pdf.startswith(b"%PDF-")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").translate(_INVISIBLE).split())


def visible(text: str) -> str:
    """Return ``text`` as a PDF's text layer keeps it (no zero-width non-joiners)."""
    return text.translate(_INVISIBLE)


def pdf_fonts(pdf: bytes) -> str:
    """Return pdffonts' list of the fonts embedded in ``pdf``."""
    done = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def download(client: FlaskClient, session: Session, locale: str, name: str, title: str) -> bytes:
    learner = factories.employee(session, display_name=name, locale=locale)
    version = course_titled(session, f"course-{locale}", {locale: title})
    code = f"CX-{locale.upper()}00-0000-0001"
    certificate_for(session, learner, version, code)
    response = client.post(
        "/cx/account/login", data={"email": learner.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(f"/cx/learn/certificates/{code}.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    return response.data


def test_a_persian_certificate_reads_in_logical_order(client, session) -> None:
    """Test that a Persian learner's certificate holds their name and the course title as
    joined Persian text in reading order (not reversed, not split into letters), in the
    shipped Vazirmatn font, with the Persian labels and Persian digits."""
    pdf = download(client, session, "fa", PERSIAN_NAME, PERSIAN_TITLE)
    text = pdf_text(pdf)
    assert PERSIAN_NAME in text, text
    assert PERSIAN_TITLE in text, text
    assert PERSIAN_NAME[::-1] not in text
    assert visible("گواهی‌نامۀ پایان دوره") in text, text
    assert visible("دورۀ زیر را با موفقیت به پایان رسانده است") in text
    # Gregorian by default, in Persian digits: 21 March 2026 (pdftotext moves the space
    # between a digit run and a word, so compare without spaces).
    assert "۲۱مارس۲۰۲۶" in text.replace(" ", ""), text
    # Latin and numeric runs keep their own order: the score, the code and the address.
    assert "۹۰٪" in text, text
    assert "CX-FA00-0000-0001" in text
    assert "/cx/verify/CX-FA00-0000-0001" in text
    assert "Vazirmatn" in pdf_fonts(pdf)


def test_a_persian_certificate_shows_solar_hijri_dates_when_chosen(client, session) -> None:
    """Test that with the organisation's Solar Hijri setting the certificate's dates are
    Jalali (1 Farvardin 1405) in Persian digits."""
    set_persian_calendar(session, "persian")
    text = pdf_text(download(client, session, "fa", PERSIAN_NAME, PERSIAN_TITLE))
    assert "۱فروردین۱۴۰۵" in text.replace(" ", ""), text
    assert "۲۰۲۶" not in text and "مارس" not in text
