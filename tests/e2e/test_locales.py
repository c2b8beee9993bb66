"""The learner home, a quiz and the manager's team report in Persian and in Polish, in a real
browser: the page's language and direction, translated words, and a screenshot of each page
kept in test-artifacts/e2e/ (locale-<lang>-<page>.png).

The people are the demo's: Kamran Moradi (fa) and Ola Zielińska (pl) learn, Agnieszka
Wiśniewska (pl) manages both teams; a Persian-speaking manager of the same teams is added
here. Profiles say fa or pl while the browser asks for English, so the profile decides.
Polish words are asserted only when the compiled Polish catalogue translates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from babel.messages.mofile import read_mo
from flask import Flask
from playwright.sync_api import Page, expect

from lms_cx.catalogues import po_path
from lms_cx.db import get_session
from lms_cx.models import Assignment, CourseModule, Module
from lms_cx.models.people import Employee, Team
from lms_cx.services.demo import DEMO_PASSWORD, demo_email
from lms_cx.services.people import add_team_manager, create_employee
from tests.e2e.conftest import (
    ARTIFACTS,
    at_path,
    dispose,
    e2e_app,
    load_curriculum_and_demo,
    serving,
)

#: The Persian-speaking manager added to the demo.
FA_MANAGER = "shirin.karimi"
LEARNERS = {"fa": "kamran.moradi", "pl": "ola.zielinska"}
MANAGERS = {"fa": FA_MANAGER, "pl": "manager"}
#: Words each page shows, in English (the msgid) and as the Persian catalogue has them.
PAGE_WORDS = {
    "home": {"My learning": "آموزش‌های من", "Assigned to me": "تخصیص‌یافته به من"},
    "quiz": {"Pass mark": "نمرۀ قبولی", "Time limit": "محدودیت زمان"},
    "report": {"Team readiness": "آمادگی تیم", "Apply filters": "اعمال پالایه‌ها"},
}


@pytest.fixture(scope="module")
def locales_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return the standalone app with the curriculum, the demo and a Persian manager."""
    app = e2e_app(tmp_path_factory, "e2e-locales")
    with app.app_context():
        session = get_session()
        load_curriculum_and_demo(session)
        manager = create_employee(
            session,
            email=demo_email(FA_MANAGER),
            display_name="شیرین کریمی",
            roles=("manager", "learner"),
            password=DEMO_PASSWORD,
            locale="fa",
        )
        for team in session.scalars(sa.select(Team)):
            add_team_manager(session, team, manager)
        session.commit()
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def live_server(locales_app: Flask) -> Iterator[str]:
    """Serve ``locales_app`` over real HTTP (overrides the suite's shared live server here)."""
    with serving(locales_app, "e2e-locales") as url:
        yield url


def quiz_path(app: Flask, key: str) -> str:
    """Return the quiz page of the first module of ``key``'s assigned course."""
    with app.app_context():
        session = get_session()
        employee = session.scalar(sa.select(Employee).where(Employee.email == demo_email(key)))
        assignment = session.scalars(
            sa.select(Assignment)
            .where(Assignment.employee_id == employee.id, Assignment.course_id.is_not(None))
            .order_by(Assignment.assigned_at)
        ).first()
        module = session.scalar(
            sa.select(Module.slug)
            .join(CourseModule, CourseModule.module_id == Module.id)
            .where(CourseModule.course_id == assignment.course_id)
            .order_by(CourseModule.position)
            .limit(1)
        )
    return f"/cx/learn/{assignment.id}/{module}/quiz"


def expected_words(locale: str, page_name: str) -> list[str]:
    """Return the words the page must show in ``locale``.

    Persian: the catalogue's words, fixed above. Polish: whatever the compiled Polish
    catalogue has for the same strings, when it has them (it may still be in progress).
    """
    words = PAGE_WORDS[page_name]
    if locale == "fa":
        return list(words.values())
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        return []
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    found = []
    for msgid in words:
        message = compiled.get(msgid)
        if message is not None and message.string and message.string != msgid:
            found.append(message.string)
    return found


def check_page(page: Page, locale: str, page_name: str) -> None:
    """Assert the page's language, direction and words, then keep its screenshot."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", locale)
    expect(html).to_have_attribute("dir", "rtl" if locale == "fa" else "ltr")
    body = page.locator("body")
    for word in expected_words(locale, page_name):
        expect(body).to_contain_text(word)
    if locale == "fa":
        # Mirrored layout: the main heading starts at the right-hand edge of the page.
        box = page.locator("main h1").first.bounding_box()
        width = page.viewport_size["width"]
        assert box is not None and box["x"] + box["width"] > width / 2
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"locale-{locale}-{page_name}.png", full_page=True)


@pytest.mark.parametrize("locale", ["fa", "pl"])
def test_learner_home_and_quiz_speak_the_learners_language(
    page: Page, sign_in, locales_app: Flask, locale: str
) -> None:
    """Test that a learner whose profile says fa (or pl) sees home and quiz in that language,
    right to left for Persian, whatever the browser asks for."""
    sign_in(page, LEARNERS[locale])
    expect(page).to_have_url(at_path("/cx/learn/"))
    check_page(page, locale, "home")
    page.goto(quiz_path(locales_app, LEARNERS[locale]))
    expect(page.locator("main h1")).to_be_visible()
    check_page(page, locale, "quiz")


@pytest.mark.parametrize("locale", ["fa", "pl"])
def test_manager_report_speaks_the_managers_language(page: Page, sign_in, locale: str) -> None:
    """Test that the team readiness report is in the manager's language, with Persian digits
    in its figures for a Persian manager."""
    sign_in(page, MANAGERS[locale])
    page.goto("/cx/manager/")
    expect(page).to_have_url(at_path("/cx/manager/"))
    expect(page.locator("table.readiness tbody")).to_contain_text("Kamran Moradi")
    check_page(page, locale, "report")
    tiles = page.locator("section.summary ul.tiles").first.inner_text()
    if locale == "fa":
        assert re.search("[۰-۹]", tiles) and not re.search("[0-9]", tiles), tiles
    else:
        assert re.search("[0-9]", tiles), tiles
