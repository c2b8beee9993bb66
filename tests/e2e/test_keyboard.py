"""Sign in with the keyboard alone, starting from the skip link."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lms_cx.services.demo import DEMO_PASSWORD, demo_email
from tests.e2e.conftest import LOGIN_PATH, at_path


def test_sign_in_with_the_keyboard_only(page: Page) -> None:
    """Test that the first Tab reaches "Skip to content", which leads straight to the form,
    and that Tab, typing and Enter sign a person in."""
    page.goto(LOGIN_PATH)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown while focused, hidden otherwise
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    page.keyboard.type(demo_email("ola.zielinska"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(at_path("/cx/learn/"))
    expect(page.locator("header")).to_contain_text("Ola Zielińska")
