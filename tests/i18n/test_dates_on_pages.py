"""Dates on the pages: Persian readers see Persian digits, in the Solar Hijri calendar when the
organisation chose it; Polish and English readers see what they always saw."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.services.calendar_setting import persian_calendar
from tests import factories

HOME = "/cx/learn/"
#: 20 March 2026 in UTC, 1 Farvardin 1405 in Tehran (UTC+3:30).
DUE = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)


def learner_with_due_course(session: Session, locale: str) -> str:
    """Add a learner reading ``locale`` in Tehran with a course due at ``DUE``; their email."""
    module = factories.learning_module(session, f"m-{locale}", lessons=1)
    course = factories.learning_course(session, f"c-{locale}", [module])
    person = factories.employee(session, locale=locale)
    person.time_zone = "Asia/Tehran"
    factories.assignment(session, person, course=course, due_at=DUE)
    session.commit()
    return person.email


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post(
        "/cx/account/login", data={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def choose_calendar(client: FlaskClient, session: Session, calendar: str) -> None:
    """Choose ``calendar`` through the administrator's form, then sign the admin out."""
    admin = factories.employee(session, roles=("admin",))
    session.commit()
    sign_in(client, admin.email)
    page = client.get("/cx/admin/")
    assert "Dates for Persian readers" in page.get_data(as_text=True)
    response = client.post("/cx/admin/calendar", data={"calendar": calendar})
    assert response.status_code == 302
    assert "Calendar saved." in client.get("/cx/admin/").get_data(as_text=True)
    client.post("/cx/account/logout")


def test_persian_dates_are_gregorian_in_persian_digits_by_default(client, session) -> None:
    """Test that with the setting off a fa learner's due date is Gregorian, Persian digits."""
    sign_in(client, learner_with_due_course(session, "fa"))
    html = client.get(HOME).get_data(as_text=True)
    assert "۲۱ مارس ۲۰۲۶" in html
    assert "فروردین" not in html


def test_persian_dates_are_solar_hijri_when_the_organisation_chooses_it(client, session) -> None:
    """Test that once an administrator picks Solar Hijri, the fa learner's due date is
    1 Farvardin 1405 in Persian digits (in their zone), and the choice is stored."""
    choose_calendar(client, session, "persian")
    assert persian_calendar(session, "gregorian") == "persian"
    sign_in(client, learner_with_due_course(session, "fa"))
    html = client.get(HOME).get_data(as_text=True)
    assert "۱ فروردین ۱۴۰۵" in html
    assert "۲۰۲۶" not in html


@pytest.mark.parametrize(("locale", "shown"), [("pl", "21 mar 2026"), ("en", "Mar 21, 2026")])
def test_polish_and_english_dates_are_unchanged_by_the_setting(
    client, session, locale: str, shown: str
) -> None:
    """Test that the Solar Hijri setting leaves Polish and English readers' dates alone."""
    choose_calendar(client, session, "persian")
    sign_in(client, learner_with_due_course(session, locale))
    html = client.get(HOME).get_data(as_text=True)
    assert shown in html
    assert "فروردین" not in html and "۲" not in html


def test_the_calendar_form_refuses_an_unknown_calendar(client, session) -> None:
    """Test that a forged calendar value is refused with the form, and nothing is stored."""
    admin = factories.employee(session, roles=("admin",))
    session.commit()
    sign_in(client, admin.email)
    response = client.post("/cx/admin/calendar", data={"calendar": "lunar"})
    assert response.status_code == 400
    assert persian_calendar(session, "gregorian") == "gregorian"


def test_macros_imported_without_context_speak_the_readers_language(client, session) -> None:
    """Test that the learner's breadcrumb (a macro imported without context) is Persian."""
    sign_in(client, learner_with_due_course(session, "fa"))
    home = client.get(HOME).get_data(as_text=True)
    link = re.search(r'href="(/cx/learn/[^"]+/)"', home)
    assert link is not None
    html = client.get(link[1]).get_data(as_text=True)
    crumbs = html[html.index('class="breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert "آموزش‌های من" in crumbs and "My learning" not in crumbs
