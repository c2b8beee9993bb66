"""A trainer authors a module in the browser: lesson, quiz question, preview, publish v1,
edit, publish v2 with the change summary. Every page passes the accessibility gate."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import at_path

MODULE = "/cx/trainer/modules/e2e-call-backs/"


def save(page: Page, button: str) -> None:
    """Press a submit button and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_trainer_authors_previews_publishes_and_republishes_a_module(page: Page, sign_in) -> None:
    """Test that a trainer creates a module with a lesson and a question, previews it as a
    learner, publishes v1, edits the lesson and publishes v2 seeing what changed."""
    sign_in(page, "trainer")
    page.goto("/cx/trainer/modules/new")
    assert_accessible(page)

    # A refused form keeps the person on the page with the problem next to the field.
    page.get_by_label("Slug", exact=True).fill("E2E call backs")
    save(page, "Create module")
    slug = page.get_by_label("Slug", exact=True)
    expect(slug).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#slug-error")).to_contain_text("lowercase letters")
    assert_accessible(page)

    slug.fill("e2e-call-backs")
    page.get_by_label("Title", exact=True).fill("Calling customers back")
    page.get_by_label("Competency track").select_option("problem_solving")
    page.get_by_label("Estimated minutes").fill("15")
    page.get_by_label("Henryk Nowak").check()  # the shipped "cautious senior" persona
    save(page, "Create module")
    expect(page).to_have_url(at_path(MODULE))
    expect(page.get_by_role("heading", level=1)).to_have_text("Calling customers back")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Add a lesson").click()
    page.get_by_label("Title", exact=True).fill("Promise a time")
    page.get_by_label("Lesson text (Markdown)").fill(
        "# Promise a time\n\nSay **when** you will call back.\n\n<script>alert(1)</script>\n"
    )
    save(page, "Preview")
    preview = page.locator(".preview-box")
    expect(preview.locator("strong")).to_have_text("when")
    expect(preview.locator("script")).to_have_count(0)
    assert_accessible(page)
    save(page, "Save lesson")
    expect(page.locator(".flash")).to_contain_text("Lesson added.")

    page.goto(MODULE)
    save(page, "Create a question bank for this module")
    expect(page).to_have_url(at_path("/cx/trainer/banks/e2e-call-backs/"))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Add a question").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Single choice").click()
    page.get_by_label("Question (Markdown)").fill("When do you call the customer back?")
    page.locator('[name="options-0-text"]').fill("When you promised")
    page.locator('[name="options-0-correct"]').check()
    page.locator('[name="options-1-text"]').fill("Whenever the queue is quiet")
    assert_accessible(page)
    save(page, "Save question")
    expect(page.locator(".flash")).to_contain_text("Question added.")

    page.goto(MODULE + "preview")
    expect(page.locator(".learner-preview")).to_contain_text("Say when you will call back.")
    expect(page.locator(".learner-preview")).to_contain_text("When do you call the customer back?")
    expect(page.get_by_label("When you promised")).to_be_visible()
    assert_accessible(page)

    page.goto(MODULE + "publish")
    expect(page.locator("main")).to_contain_text("First version: everything is new.")
    assert_accessible(page)
    save(page, "Publish version 1")
    expect(page).to_have_url(at_path(MODULE + "versions/"))
    expect(page.locator(".flash")).to_contain_text("Published version 1.")

    page.goto(MODULE)
    with page.expect_navigation():
        page.get_by_role("link", name="Promise a time", exact=True).click()
    page.get_by_label("Lesson text (Markdown)").fill(
        "# Promise a time\n\nSay **when** you will call back, and write it down.\n"
    )
    save(page, "Save lesson")

    page.goto(MODULE + "publish")
    changes = page.locator(".changes")
    expect(changes).to_contain_text("Edited: Promise a time")
    assert_accessible(page)
    save(page, "Publish version 2")
    expect(page.locator(".flash")).to_contain_text("Published version 2.")
    latest = page.locator(".versions > li").first
    expect(latest.get_by_role("heading", level=2)).to_have_text("Version 2")
    expect(latest).to_contain_text("Edited: Promise a time")
    assert_accessible(page)


AUTHORING_PAGES = [
    "/cx/trainer/",
    "/cx/trainer/courses/",
    "/cx/trainer/courses/cx-onboarding/",
    "/cx/trainer/courses/cx-onboarding/edit",
    "/cx/trainer/courses/cx-onboarding/modules/comm-empathy",
    "/cx/trainer/courses/cx-onboarding/publish",
    "/cx/trainer/courses/cx-onboarding/versions/",
    "/cx/trainer/modules/?track=communication&status=published",
    "/cx/trainer/modules/persona-meet-our-customers/",
    "/cx/trainer/modules/persona-meet-our-customers/edit?locale=fa",
    "/cx/trainer/modules/persona-meet-our-customers/versions/1",
    "/cx/trainer/personas/",
    "/cx/trainer/personas/cautious-senior/?locale=fa",
    "/cx/trainer/banks/",
    "/cx/trainer/banks/persona-meet-our-customers/",
    "/cx/trainer/banks/persona-meet-our-customers/questions/pm-08/",
    "/cx/trainer/banks/persona-meet-our-customers/questions/new/numerical",
    "/cx/trainer/modules/persona-meet-our-customers/clone",
]


def test_authoring_pages_pass_the_accessibility_gate(page: Page, sign_in) -> None:
    """Test that the lists, editors (a Persian translation and a scenario among them),
    publish pages and version views have no serious accessibility problem."""
    sign_in(page, "trainer")
    for path in AUTHORING_PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, path
        assert_accessible(page)
