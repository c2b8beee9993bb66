"""Polish end to end: the three plural forms, translations that format with the English
placeholders, pages for a Polish employee, and a certificate PDF whose text keeps the diacritics
of the learner's name and the course title."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.catalogues import po_path
from lms_cx.i18n import ngettext
from lms_cx.models import Certificate
from lms_cx.services.publishing import publish_course
from tests import factories
from tests.learner.conftest import NOW, finish_module

LOGIN = "/cx/account/login"
LOCKED = "Too many failed sign-ins. Try again in %(num)d minute."
LOCKED_PLURAL = "Too many failed sign-ins. Try again in %(num)d minutes."
#: Polish has three forms: one (1), few (2–4, 22–24, 102–104…, but not 12–14) and many.
MINUTES = {
    0: "0 minut",
    1: "1 minutę",
    2: "2 minuty",
    4: "4 minuty",
    5: "5 minut",
    12: "12 minut",
    14: "14 minut",
    22: "22 minuty",
    25: "25 minut",
    104: "104 minuty",
    112: "112 minut",
}
#: A named placeholder, ``%(name)s``, with its conversion.
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([a-zA-Z])")
SAMPLES = {"d": 7, "i": 7, "s": "x", "r": "x", "X": 255, "x": 255, "f": 1.5}
COURSE_TITLE = "Zażółć gęślą jaźń: obsługa klienta"
HOLDER = "Łukasz Żółkiewski"


def test_ngettext_picks_the_polish_form_for_each_count(app: Flask) -> None:
    """Test that the app's ngettext, for a Polish request, gives one/few/many by the Polish rule."""
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        said = {count: ngettext(LOCKED, LOCKED_PLURAL, count) for count in MINUTES}
        days = [ngettext("%(num)d day", "%(num)d days", count) for count in (1, 3, 11, 21, 23)]
    assert said == {
        count: f"Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za {words}."
        for count, words in MINUTES.items()
    }
    assert days == ["1 dzień", "3 dni", "11 dni", "21 dni", "23 dni"]


def test_every_polish_translation_formats_with_the_english_placeholders() -> None:
    """Test that each Polish translation of a formatted string (every plural form too) uses
    the English string's named placeholders, and formats without error: a typo there would
    fail only when someone reached that page."""
    with po_path("pl").open("rb") as handle:
        catalog = read_po(handle, locale="pl", domain="lms_cx")
    problems = []
    checked = 0
    for message in catalog:
        if not message.id or "python-format" not in message.flags:
            continue
        english = message.id if isinstance(message.id, str) else message.id[1]
        wanted = dict(NAMED.findall(english))
        if not wanted:
            continue
        values = {name: SAMPLES[conversion] for name, conversion in wanted.items()}
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            checked += 1
            used = dict(NAMED.findall(form))
            if used != wanted:
                problems.append(f"{english!r}: {form!r} uses {used}, not {wanted}")
                continue
            try:
                form % values
            except (KeyError, TypeError, ValueError) as error:
                problems.append(f"{english!r}: {form!r} does not format ({error})")
    assert checked > 300
    assert problems == []


def test_locked_sign_in_tells_a_polish_browser_the_wait_in_the_right_form(
    app: Flask, client: FlaskClient
) -> None:
    """Test that the sign-in lock message, rendered for a Polish browser, says 1 minutę,
    2 minuty, 5 minut, 12 minut, 22 minuty and 25 minut for locks of those lengths."""
    for minutes in (1, 2, 5, 12, 22, 25):
        app.config["LMS_CX_LOGIN_LOCK_SECONDS"] = minutes * 60
        # A new email and address each time, so no earlier lock answers for this one.
        form = {"email": f"osoba{minutes}@example.com", "password": "zgadywanie"}
        request = {"environ_base": {"REMOTE_ADDR": f"203.0.113.{minutes}"}}
        headers = {"Accept-Language": "pl-PL,pl;q=0.9"}
        for _attempt in range(5):
            refused = client.post(LOGIN, data=form, headers=headers, **request)
            assert refused.status_code == 401
        assert "Nieprawidłowy adres e-mail lub hasło." in refused.get_data(as_text=True)
        locked = client.post(LOGIN, data=form, headers=headers, **request)
        assert locked.status_code == 429
        page = locked.get_data(as_text=True)
        expected = f"Spróbuj ponownie za {MINUTES[minutes]}."
        assert expected in page, f"{expected!r} not in the page locked for {minutes} minutes"


def test_a_polish_employee_sees_the_learner_home_in_polish(
    session: Session, client: FlaskClient, login_as
) -> None:
    """Test that an employee whose profile says pl gets the learner home in Polish (even from
    an English browser), plurals included, with no English left in the navigation."""
    learner = login_as("learner", locale="pl")
    first = factories.learning_module(session, "sluchanie", lessons=1)
    second = factories.learning_module(session, "empatia", lessons=1)
    course = factories.learning_course(session, "pierwszy-tydzien", [first, second])
    course.title = {"en": "First week", "pl": "Pierwszy tydzień"}
    publish_course(session, course)
    factories.assignment(session, learner, course=course, due_at=NOW + timedelta(days=30))
    session.commit()

    response = client.get("/cx/learn/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="pl"' in page
    for polish in (
        "Moje szkolenia",
        "Wyloguj się",
        "Przydzielone mi",
        "Pierwszy tydzień",
        "Wdrożenie",
        "Ukończono 0 z 2 modułów",
        "Nie ukończono jeszcze żadnego szkolenia.",
    ):
        assert polish in page, f"{polish!r} not on the Polish learner home"
    for english in ("My learning", "Sign out", "Assigned to me", "First week", "modules done"):
        assert english not in page, f"{english!r} left in English on the Polish learner home"


def test_a_polish_certificate_pdf_keeps_its_diacritics(
    app: Flask, session: Session, client: FlaskClient
) -> None:
    """Test that a certificate earned by a Polish learner, converted with pdftotext, holds the
    name and the course title with every diacritic, and its Polish wording and dates."""
    pdftotext, pdffonts = shutil.which("pdftotext"), shutil.which("pdffonts")
    if pdftotext is None or pdffonts is None:
        pytest.fail("pdftotext and pdffonts (poppler-utils) are needed to read the PDF")
    learner = factories.employee(
        session, email="lukasz@example.com", display_name=HOLDER, locale="pl"
    )
    module = factories.learning_module(session, "sluchanie", lessons=1)
    course = factories.learning_course(session, "pierwszy-tydzien", [module])
    course.title = {"en": "First week", "pl": COURSE_TITLE}
    publish_course(session, course)
    assignment = factories.assignment(
        session, learner, course=course, due_at=NOW + timedelta(days=30)
    )
    session.commit()
    with app.test_request_context("/"):
        finish_module(session, learner, assignment.id, "sluchanie", 1)
    session.expire_all()
    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.assignment_id == assignment.id)
    )
    assert certificate is not None

    signed_in = client.post(LOGIN, data={"email": learner.email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    response = client.get(f"/cx/learn/certificates/{certificate.verification_code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    converted = subprocess.run(
        [pdftotext, "-layout", "-enc", "UTF-8", "-", "-"],
        input=response.data,
        capture_output=True,
        check=True,
    )
    text = " ".join(converted.stdout.decode("utf-8").split())
    # Embedded fonts carry the glyphs, so every reader's viewer shows the letters as issued.
    listed = subprocess.run([pdffonts, "-"], input=response.data, capture_output=True, check=True)
    fonts = listed.stdout.decode("utf-8").splitlines()[2:]
    assert fonts, "the certificate PDF names no font"
    assert all(line.split()[-5] == "yes" for line in fonts), f"a font is not embedded: {fonts}"
    for expected in (
        HOLDER,
        COURSE_TITLE,
        "Certyfikat ukończenia",
        "Niniejszy certyfikat otrzymuje",
        "za ukończenie kursu",
        "Data ukończenia 2 marca 2026",
        "Ważny do 2 marca 2027",
        certificate.verification_code,
    ):
        assert expected in text, f"{expected!r} not in {text!r}"
