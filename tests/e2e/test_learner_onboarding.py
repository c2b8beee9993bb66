"""A new hire's first onboarding course in a real browser: lessons, a quiz failed then passed,
the certificate PDF downloaded and checked, its public verification page opened.

The course is small on purpose: "Onboarding: first day" holds one shipped module
(comm-active-listening, three lessons and an 8-of-10 quiz), created through the services and
assigned to the demo's new hire Ola. The test answers from the shipped quiz file, so it
survives the shuffled questions and options. Afterwards it lists the statements the journey
wrote and checks each against the LRS's xAPI 1.0.3 validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from flask_babel import force_locale
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from lms_cx.db import get_session, utcnow
from lms_cx.i18n import gettext
from lms_cx.models import Assignment, Course, CourseModule, Module, Statement
from lms_cx.models.people import Employee
from lms_cx.services.demo import demo_email
from lms_cx.services.publishing import publish_course
from lms_cx.xapi.validation import validate_statement
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import (
    ARTIFACTS,
    ROOT,
    at_path,
    dispose,
    e2e_app,
    load_curriculum_and_demo,
    serving,
)

MODULE = "comm-active-listening"
COURSE = "cx-first-day"
COURSE_TITLE = "Onboarding: first day"
QUESTIONS = {
    f"{MODULE}/{q['id']}": q
    for q in yaml.safe_load((ROOT / "quizzes" / f"{MODULE}.yaml").read_text(encoding="utf-8"))[
        "questions"
    ]
}


@pytest.fixture(scope="module")
def journey_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return the standalone app with the curriculum, the demo and the small course for Ola."""
    app = e2e_app(tmp_path_factory, "e2e-learner")
    with app.app_context():
        session = get_session()
        load_curriculum_and_demo(session)
        module = session.scalar(sa.select(Module).where(Module.slug == MODULE))
        course = Course(
            slug=COURSE,
            title={"en": COURSE_TITLE},
            description={"en": "Your first module: listening to customers."},
            lifecycle_stage="onboarding",
            certificate_valid_days=365,
        )
        session.add(course)
        session.flush()
        session.add(
            CourseModule(
                course_id=course.id,
                module_id=module.id,
                move_on="CompletedAndPassed",
                mastery_score=0.8,
            )
        )
        session.flush()
        publish_course(session, course)
        ola = session.scalar(
            sa.select(Employee).where(Employee.email == demo_email("ola.zielinska"))
        )
        session.add(
            Assignment(
                employee_id=ola.id,
                course_id=course.id,
                source="onboarding",
                reason="First-day onboarding",
                due_at=utcnow() + timedelta(days=2),
            )
        )
        session.commit()
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def live_server(journey_app: Flask) -> Iterator[str]:
    """Serve ``journey_app`` over real HTTP (overrides the suite's shared live server here)."""
    with serving(journey_app, "e2e-learner-server") as url:
        yield url


def answer_question(page: Page, question: dict[str, Any], right: bool) -> None:
    """Fill the answer form of the question on the page, rightly or wrongly, and send it."""
    form = page.locator("form.answer-form")
    kind = question["type"]
    if kind == "single_choice":
        options = question["options"]
        option = next(o for o in options if bool(o.get("correct")) is right)
        form.locator(f"input[name=answer][value='{option['id']}']").check()
    elif kind == "multiple_choice":
        for option in question["options"]:
            if bool(option.get("correct")) is right or (not right and option.get("correct")):
                form.locator(f"input[name=answer][value='{option['id']}']").check()
    elif kind == "true_false":
        value = question["answer"] if right else not question["answer"]
        form.locator(f"input[name=answer][value='{'true' if value else 'false'}']").check()
    elif kind == "ordering":
        items = [item["id"] for item in question["items"]]
        order = items if right else list(reversed(items))
        for position, item in enumerate(order, start=1):
            form.locator(f"select[name='position-{item}']").select_option(str(position))
    elif kind == "scenario":
        step = form.locator("input[name=step]").input_value()
        options = question["options"]
        if step:
            options = next(s for s in question["steps"] if s["id"] == step)["options"]
        pick = max if right else min
        option = pick(options, key=lambda o: o["score"])
        form.locator(f"input[name=answer][value='{option['id']}']").check()
    else:  # pragma: no cover - the module's quiz has no other types
        raise AssertionError(f"unexpected question type {kind}")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def take_attempt(page: Page, right: bool, check_accessibility: bool = False) -> None:
    """Answer every question of the open attempt, then submit it from the review page."""
    checked = not check_accessibility
    for _ in range(40):
        form = page.locator("form.answer-form")
        if form.count():
            key = form.locator("input[name=question]").input_value()
            answer_question(page, QUESTIONS[key], right)
            continue
        if page.locator("form[action$='/submit']").count():
            break
        # Immediate feedback: the verdict and explanation, then on to the next question.
        expect(page.locator(".feedback")).to_be_visible()
        if not checked:
            assert_accessible(page)
            page.screenshot(path=ARTIFACTS / "learner-feedback.png", full_page=True)
            checked = True
        with page.expect_navigation():
            page.locator("p.pager a.button").click()
    else:  # pragma: no cover
        raise AssertionError("the attempt never reached its submit page")
    if check_accessibility:
        assert_accessible(page)
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button[type=submit]").click()


def test_new_hire_takes_lessons_fails_then_passes_and_gets_a_verifiable_certificate(
    page: Page, browser: Browser, live_server: str, journey_app: Flask, sign_in, tmp_path: Path
) -> None:
    """Test that Ola reads the module's lessons, fails the quiz, passes it on her second
    attempt, downloads a certificate PDF naming her, the course, its version and the code,
    and that anyone can open the certificate's verification page; every page is accessible
    and every statement written is valid xAPI."""
    sign_in(page, "ola.zielinska")
    expect(page).to_have_url(at_path("/cx/learn/"))
    assert_accessible(page)

    page.locator("a", has_text=COURSE_TITLE).first.click()
    expect(page.locator("h1")).to_have_text(COURSE_TITLE)
    assert_accessible(page)

    page.locator(f"a[href$='/{MODULE}/']").first.click()
    expect(page.locator(".persona-card").first).to_be_visible()
    assert_accessible(page)

    page.locator("ol.lesson-list a").first.click()
    for position in (1, 2, 3):
        expect(page.locator(".lesson-position")).to_contain_text(f"{position}")
        expect(page.locator(".lesson-position")).to_contain_text("3")
        if position == 1:
            assert_accessible(page)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=ARTIFACTS / "learner-lesson.png", full_page=True)
        if position < 3:
            page.locator("a[rel=next]").click()
    page.locator(f"nav.pager a[href$='/{MODULE}/quiz']").click()
    assert_accessible(page)

    page.locator("main form[action$='/quiz'] button[type=submit]").click()
    take_attempt(page, right=False, check_accessibility=True)
    expect(page.locator(".result-summary")).to_have_class("result-summary result-failed")
    assert_accessible(page)
    page.screenshot(path=ARTIFACTS / "learner-result.png", full_page=True)

    page.locator(f".next-steps a[href$='/{MODULE}/quiz']").click()
    page.locator("main form[action$='/quiz'] button[type=submit]").click()
    take_attempt(page, right=True)
    expect(page.locator(".result-summary")).to_have_class("result-summary result-passed")

    page.locator(".next-steps a.button").click()
    certificate_link = page.locator("a[href*='/certificates/'][href$='.pdf']")
    expect(certificate_link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        certificate_link.click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    code = certificate_link.get_attribute("href").rsplit("/", 1)[1].removesuffix(".pdf")
    # The certificate speaks its holder's language (Ola's is Polish).
    with journey_app.test_request_context(), force_locale("pl"):
        version_label, valid_label = gettext("Course version"), gettext("Valid until")
    for expected in ("Ola Zielińska", COURSE_TITLE, f"{version_label} 1", code, valid_label):
        assert expected in text, f"{expected!r} is not in the certificate: {text!r}"

    # Anyone (a fresh browser, nobody signed in) can check the code.
    context = browser.new_context(base_url=live_server, locale="en-US")
    visitor = context.new_page()
    visitor.goto(f"/cx/verify/{code}")
    expect(visitor.locator(".verification-valid")).to_be_visible()
    expect(visitor.locator("dl.pairs")).to_contain_text("Ola Zielińska")
    expect(visitor.locator("dl.pairs")).to_contain_text(COURSE_TITLE)
    assert_accessible(visitor)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=ARTIFACTS / "certificate-verification.png", full_page=True)
    context.close()

    page.goto("/cx/learn/")
    expect(page.locator("#done-heading + table")).to_contain_text(COURSE_TITLE)
    assert_accessible(page)

    verbs = statements_of_the_journey(journey_app)
    lessons = ["experienced", "progressed"] * 3
    attempt = ["initialized", *["answered"] * 8]
    assert verbs == [
        "attempted",
        "launched",
        *lessons,
        *attempt,
        "failed",
        "terminated",
        "completed",  # the module: every lesson read and an attempt ended
        *attempt,
        "passed",
        "terminated",
        "completed",  # the course
    ]


def statements_of_the_journey(app: Flask) -> list[str]:
    """Return the verbs of the statements in Ola's first-day registration, each validated."""
    with app.app_context():
        session = get_session()
        registration = session.scalar(
            sa.select(Assignment.id)
            .join(Course, Course.id == Assignment.course_id)
            .where(Course.slug == COURSE)
        )
        statements = session.scalars(
            sa.select(Statement)
            .where(Statement.registration == registration)
            .order_by(Statement.seq)
        ).all()
        for statement in statements:
            validate_statement(statement.raw)
        return [s.raw["verb"]["id"].rsplit("/", 1)[1] for s in statements]
