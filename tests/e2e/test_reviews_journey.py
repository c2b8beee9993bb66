"""A review cycle in a real browser: HR creates and computes it through the forms (CSRF on),
the Persian-speaking agent acknowledges his packet on a right-to-left page, the manager adds a
note, and the team's monthly feedback page; every page passes the accessibility gate.

Elements are found by structure (form fields, form actions) rather than by their words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import at_path


def test_hr_runs_a_cycle_the_agent_acknowledges_and_the_manager_notes(page: Page, sign_in) -> None:
    """Test the review journey end to end, accessible at every step."""
    today = datetime.now(UTC).date()
    sign_in(page, "admin")
    page.goto(page.url.split("/cx/")[0] + "/cx/reviews/cycles/new")
    assert_accessible(page)
    page.fill("input[name=name]", "Browser review")
    page.fill("input[name=period_start]", (today - timedelta(days=60)).isoformat())
    page.fill("input[name=period_end]", today.isoformat())
    with page.expect_navigation():
        page.locator("form:has(input[name=period_start]) button[type=submit]").click()
    expect(page).to_have_url(at_path(f"/cx/reviews/cycles/{page.url.rsplit('/', 1)[1]}"))
    with page.expect_navigation():
        page.locator("form[action$='/generate'] button").click()
    packets = page.locator("table.grid tbody")
    expect(packets).to_contain_text("Kamran Moradi")
    assert_accessible(page)
    page.locator("form[action$='/logout'] button").click()

    sign_in(page, "kamran.moradi")
    page.goto(page.url.split("/cx/")[0] + "/cx/reviews/")
    with page.expect_navigation():
        page.locator("a[href*='/cx/reviews/packets/']").first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    page.fill("textarea[name=comment]", "با سپاس، بازخورد را خواندم.")
    with page.expect_navigation():
        page.locator("form[action$='/acknowledge'] button").click()
    expect(page.locator("body")).to_contain_text("با سپاس، بازخورد را خواندم.")
    packet_url = page.url
    page.goto(page.url.split("/cx/")[0] + "/cx/feedback/team")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    page.locator("form[action$='/logout'] button").click()

    sign_in(page, "manager")
    page.goto(packet_url)
    page.fill("textarea[name=body]", "Dobra robota z klientami.")
    with page.expect_navigation():
        page.locator("form[action$='/notes'] button").click()
    expect(page.locator("body")).to_contain_text("Dobra robota z klientami.")
    assert_accessible(page)
