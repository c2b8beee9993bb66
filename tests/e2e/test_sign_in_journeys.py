"""Sign in, land on the right home, sign out: each demo role through the real form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lms_cx.services.demo import demo_email
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import ARTIFACTS, LOGIN_PATH, at_path

# (demo key, the name on the page, where signing in lands)
JOURNEYS = [
    ("admin", "Farah Rahimi", "/cx/admin/"),
    ("trainer", "Daniel Okafor", "/cx/trainer/"),
    ("manager", "Agnieszka Wiśniewska", "/cx/manager/"),
    ("ola.zielinska", "Ola Zielińska", "/cx/learn/"),
    ("kamran.moradi", "Kamran Moradi", "/cx/learn/"),
]


@pytest.mark.parametrize(("key", "name", "home"), JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_demo_person_signs_in_lands_home_and_signs_out(
    page: Page, sign_in, key: str, name: str, home: str
) -> None:
    """Test that each demo role signs in through the form, sees an accessible home with their
    name, and signs out back to the sign-in page."""
    page.goto(LOGIN_PATH)
    assert_accessible(page)

    sign_in(page, key)
    expect(page).to_have_url(at_path(home))
    expect(page.locator("header")).to_contain_text(name)
    if key == "kamran.moradi":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "fa")
    assert_accessible(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"home-{key}.png", full_page=True)

    # Located by its form rather than its label, which is in the person's own language.
    with page.expect_navigation():
        page.locator("form[action$='/account/logout'] button[type=submit]").click()
    expect(page).to_have_url(at_path(LOGIN_PATH))
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.locator("header")).not_to_contain_text(name)


def test_wrong_password_is_explained_next_to_the_password_field(page: Page, sign_in) -> None:
    """Test that a wrong password keeps the person on an accessible sign-in page with the
    error tied to the password field."""
    page.goto(LOGIN_PATH)
    sign_in(page, "ola.zielinska", password="not-the-password")

    expect(page).to_have_url(at_path(LOGIN_PATH))
    password = page.get_by_label("Password", exact=True)
    error = page.locator(".field", has=password).locator(".error")
    expect(error).to_have_text("The email or password is not right.")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", error.get_attribute("id") or "")
    expect(page.get_by_label("Email", exact=True)).to_have_value(demo_email("ola.zielinska"))
    assert_accessible(page)
