"""Versioned publishing in real browsers: a trainer creates, previews and publishes a module,
a learner starts version 1, the trainer edits and publishes version 2, and the learner still
finishes version 1 while a learner assigned afterwards gets version 2. Then an administrator
corrects a learner's record by voiding a statement.

The trainer and each learner have their own browser context (their own cookies), side by side
on one live server. Assigning the module is the one step done through the models, as an
assignment rule or a manager would.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lms_cx.db import get_session, utcnow
from lms_cx.models import Assignment, Module, ModuleVersion, Progress, Statement
from lms_cx.models.people import Employee
from lms_cx.services.demo import demo_email, load_demo
from lms_cx.services.lessons import open_lesson
from lms_cx.xapi import vocab
from tests import factories
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import at_path, dispose, e2e_app, serving

SLUG = "e2e-versions"
TITLE = "Calling back on time"
MODULE = f"/cx/trainer/modules/{SLUG}/"
V1_TEXT = "Say when you will call back."
V2_TEXT = "Say when you will call back, and write the time in the ticket."


@pytest.fixture(scope="module")
def versions_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Return the standalone app with the demo people (no curriculum: the trainer writes it)."""
    app = e2e_app(tmp_path_factory, "e2e-versions")
    with app.app_context():
        load_demo(get_session())
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def live_server(versions_app: Flask) -> Iterator[str]:
    """Serve ``versions_app`` over real HTTP (overrides the suite's shared live server here)."""
    with serving(versions_app, "e2e-versions") as url:
        yield url


def save(page: Page, button: str) -> None:
    """Press a submit button and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def assign(app: Flask, key: str) -> uuid.UUID:
    """Assign the module to a demo person; return the assignment (the registration) id."""
    with app.app_context():
        session = get_session()
        employee = session.scalar(sa.select(Employee).where(Employee.email == demo_email(key)))
        module = session.scalar(sa.select(Module).where(Module.slug == SLUG))
        assignment = Assignment(
            employee_id=employee.id,
            module_id=module.id,
            source="manual",
            reason="Call-back practice",
            due_at=utcnow() + timedelta(days=7),
        )
        session.add(assignment)
        session.commit()
        return assignment.id


def learner_page(browser: Browser, live_server: str, key: str, sign_in) -> Page:
    """Return a page in a browser context of its own, signed in as demo person ``key``."""
    context: BrowserContext = browser.new_context(base_url=live_server, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, key)
    expect(page).to_have_url(at_path("/cx/learn/"))
    return page


def open_module(page: Page) -> None:
    """Go from the learner's home to the module's page through the assignment."""
    page.goto("/cx/learn/")
    page.locator("main a", has_text=TITLE).first.click()
    page.locator(f"main a[href$='/{SLUG}/']").first.click()
    expect(page.locator("h1")).to_have_text(TITLE)


def pinned_version(app: Flask, assignment_id: uuid.UUID) -> int | None:
    """Return the module version the assignment is pinned to (None before the start)."""
    with app.app_context():
        session = get_session()
        return session.scalar(
            sa.select(ModuleVersion.version)
            .join(Assignment, Assignment.module_version_id == ModuleVersion.id)
            .where(Assignment.id == assignment_id)
        )


def test_a_learner_who_started_version_1_finishes_it_while_newcomers_get_version_2(
    page: Page, browser: Browser, live_server: str, versions_app: Flask, sign_in
) -> None:
    """Test that the trainer's second version changes nothing for the learner who started the
    first (same lessons, same quiz, completion recorded as version 1) and that a learner
    assigned afterwards gets version 2."""
    trainer = page
    sign_in(trainer, "trainer")
    trainer.goto("/cx/trainer/modules/new")
    trainer.get_by_label("Slug", exact=True).fill(SLUG)
    trainer.get_by_label("Title", exact=True).fill(TITLE)
    trainer.get_by_label("Competency track").select_option("problem_solving")
    trainer.get_by_label("Estimated minutes").fill("10")
    save(trainer, "Create module")
    expect(trainer).to_have_url(at_path(MODULE))

    with trainer.expect_navigation():
        trainer.get_by_role("link", name="Add a lesson").click()
    trainer.get_by_label("Title", exact=True).fill("Promise a time")
    trainer.get_by_label("Lesson text (Markdown)").fill(f"# Promise a time\n\n{V1_TEXT}\n")
    save(trainer, "Save lesson")
    expect(trainer.locator(".flash")).to_contain_text("Lesson added.")

    trainer.goto(MODULE)
    save(trainer, "Create a question bank for this module")
    with trainer.expect_navigation():
        trainer.get_by_role("link", name="Add a question").click()
    with trainer.expect_navigation():
        trainer.get_by_role("link", name="Single choice").click()
    trainer.get_by_label("Question (Markdown)").fill("When do you call the customer back?")
    trainer.locator('[name="options-0-text"]').fill("When you promised")
    trainer.locator('[name="options-0-correct"]').check()
    trainer.locator('[name="options-1-text"]').fill("Whenever the queue is quiet")
    save(trainer, "Save question")
    expect(trainer.locator(".flash")).to_contain_text("Question added.")

    trainer.goto(MODULE + "preview")
    expect(trainer.locator(".learner-preview")).to_contain_text(V1_TEXT)
    expect(trainer.get_by_label("When you promised")).to_be_visible()

    trainer.goto(MODULE + "publish")
    save(trainer, "Publish version 1")
    expect(trainer.locator(".flash")).to_contain_text("Published version 1.")

    # Ola is assigned version 1's module and starts it: her first lesson pins version 1.
    ola_assignment = assign(versions_app, "ola.zielinska")
    ola = learner_page(browser, live_server, "ola.zielinska", sign_in)
    open_module(ola)
    ola.locator("ol.lesson-list a").first.click()
    expect(ola.locator("main")).to_contain_text(V1_TEXT)
    assert pinned_version(versions_app, ola_assignment) == 1

    # The trainer edits the lesson, adds a second one and publishes version 2.
    trainer.goto(MODULE)
    with trainer.expect_navigation():
        trainer.get_by_role("link", name="Promise a time", exact=True).click()
    trainer.get_by_label("Lesson text (Markdown)").fill(f"# Promise a time\n\n{V2_TEXT}\n")
    save(trainer, "Save lesson")
    trainer.goto(MODULE)
    with trainer.expect_navigation():
        trainer.get_by_role("link", name="Add a lesson").click()
    trainer.get_by_label("Title", exact=True).fill("Keep the promise")
    trainer.get_by_label("Lesson text (Markdown)").fill("# Keep the promise\n\nCall on time.\n")
    save(trainer, "Save lesson")
    trainer.goto(MODULE + "publish")
    changes = trainer.locator(".changes")
    expect(changes).to_contain_text("Edited: Promise a time")
    expect(changes).to_contain_text("Added: Keep the promise")
    save(trainer, "Publish version 2")
    expect(trainer.locator(".flash")).to_contain_text("Published version 2.")

    # Ola still reads version 1: one lesson, the first text, and finishes it with its quiz.
    open_module(ola)
    expect(ola.locator("ol.lesson-list li")).to_have_count(1)
    expect(ola.locator("ol.lesson-list")).not_to_contain_text("Keep the promise")
    ola.locator("ol.lesson-list a").first.click()
    expect(ola.locator("main")).to_contain_text(V1_TEXT)
    expect(ola.locator("main")).not_to_contain_text("write the time in the ticket")
    assert_accessible(ola)
    open_module(ola)
    ola.locator(f"main a[href$='/{SLUG}/quiz']").first.click()
    ola.locator("main form[action$='/quiz'] button[type=submit]").click()
    question = ola.get_by_role("group", name="When do you call the customer back?")
    expect(question).to_be_visible()
    ola.get_by_label("When you promised").check()
    with ola.expect_navigation():
        ola.locator("form.answer-form button[type=submit]").click()
    if not ola.locator("form[action$='/submit']").count():
        with ola.expect_navigation():
            ola.locator("p.pager a.button").click()  # past the immediate feedback
    with ola.expect_navigation():
        ola.locator("form[action$='/submit'] button[type=submit]").click()
    expect(ola.locator(".result-summary")).to_have_class("result-summary result-passed")

    ola.goto("/cx/learn/")
    done = ola.locator("#done-heading + table")
    expect(done).to_contain_text(TITLE)
    # Ola's pages are in Polish: match "(version 1)" whatever the word.
    expect(done).to_contain_text(re.compile(r"\(\w+ 1\)"))
    assert_accessible(ola)
    ola.context.close()

    # Kamran, assigned after version 2 was published, gets version 2.
    kamran_assignment = assign(versions_app, "kamran.moradi")
    kamran = learner_page(browser, live_server, "kamran.moradi", sign_in)
    open_module(kamran)
    expect(kamran.locator("ol.lesson-list li")).to_have_count(2)
    kamran.locator("ol.lesson-list a").first.click()
    expect(kamran.locator("main")).to_contain_text(V2_TEXT)
    kamran.context.close()
    assert pinned_version(versions_app, kamran_assignment) == 2

    with versions_app.app_context():
        session = get_session()
        completed = session.scalar(
            sa.select(Statement).where(
                Statement.registration == ola_assignment,
                Statement.verb_id == vocab.ADL_VERBS + "completed",
            )
        )
        state = session.get(Assignment, ola_assignment).state
    assert state == "completed"
    assert completed.raw["context"]["revision"] == "1"
    assert completed.raw["context"]["extensions"][vocab.EXT_MODULE_VERSION] == 1


def test_an_admin_voids_a_statement_from_the_learners_record(
    page: Page, versions_app: Flask, sign_in
) -> None:
    """Test that an administrator goes from a learner's readiness page to their statements,
    confirms voiding one and sees it voided, with the lesson's progress gone."""
    with versions_app.test_request_context():
        session = get_session()
        sofia = session.scalar(
            sa.select(Employee).where(Employee.email == demo_email("sofia.marques"))
        )
        module = factories.learning_module(session, "e2e-void", lessons=1)
        course = factories.learning_course(session, "e2e-void-course", [module])
        assigned = factories.assignment(session, sofia, course=course)
        session.commit()
        open_lesson(session, sofia, assigned.id, "e2e-void", "lesson-1", "en", utcnow())
        sofia_id = sofia.id

    sign_in(page, "admin")
    page.goto(f"/cx/manager/people/{sofia_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Learning statements: correct the record").click()
    assert_accessible(page)
    read = page.locator("table.statements tbody tr", has_text="experienced")
    with page.expect_navigation():
        read.get_by_role("link").click()
    expect(page.locator("dl.pairs")).to_contain_text("lessons/lesson-1")
    assert_accessible(page)
    save(page, "Void the statement")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table.statements tbody tr.voided")).to_contain_text("experienced")

    with versions_app.app_context():
        lesson_rows = get_session().scalar(
            sa.select(sa.func.count(Progress.id)).where(
                Progress.registration == str(assigned.id),
                Progress.activity_id.like("%/lessons/lesson-1"),
            )
        )
    assert lesson_rows == 0
