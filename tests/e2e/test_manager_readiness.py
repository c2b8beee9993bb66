"""The demo manager's readiness journey in a real browser: the team, the overdue filter, one
employee, a refresher assigned, and the team's PDF whose text (read by pdftotext) names the team.

Elements are found by structure (form fields, links to people, the refresher forms) rather than
by their words, which are in the manager's own language (Polish, once translated).
"""

from __future__ import annotations

import shutil
import subprocess

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import ARTIFACTS, at_path

#: The demo team: the overdue (hired more than 30 days ago, onboarding open) and the others.
OVERDUE = ("Sofia Marques", "Piotr Lewandowski", "Nasrin Jafari", "Tom Becker")
NOT_OVERDUE = ("Ola Zielińska", "Kamran Moradi")


def test_manager_filters_opens_an_employee_assigns_a_refresher_and_downloads_the_pdf(
    page: Page, sign_in
) -> None:
    """Test the manager's readiness journey end to end, accessible at every step."""
    sign_in(page, "manager")
    expect(page).to_have_url(at_path("/cx/manager/"))
    people = page.locator("table.readiness tbody")
    for name in (*OVERDUE, *NOT_OVERDUE, "Ewa Nowicka", "Ali Hosseini"):
        expect(people).to_contain_text(name)
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table.heatmap")).to_be_visible()
    assert_accessible(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "manager-readiness.png", full_page=True)

    page.locator("form.filters input[name=overdue]").check()
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "overdue=1" in page.url
    for name in OVERDUE:
        expect(people).to_contain_text(name)
    for name in NOT_OVERDUE:
        expect(people).not_to_contain_text(name)
    assert_accessible(page)

    with page.expect_navigation():
        people.get_by_role("link", name="Tom Becker").click()
    expect(page).to_have_url(at_path(f"/cx/manager/people/{page.url.rsplit('/', 1)[1]}"))
    expect(page.locator("h1")).to_have_text("Tom Becker")
    assert_accessible(page)

    assignments = page.locator("section[aria-labelledby=assignments-heading] tbody tr")
    before = assignments.count()
    refresher = page.locator("form[action$='/refresher']").filter(
        has=page.locator("input[name=track][value=problem_solving]")
    )
    with page.expect_navigation():
        refresher.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Tom Becker")
    expect(assignments).to_have_count(before + 1)
    assert_accessible(page)

    with page.expect_navigation():
        page.locator(".breadcrumbs a").click()
    with page.expect_download() as download_info:
        page.locator("a[href*='readiness.pdf']").click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) reads the downloaded PDF"
    converted = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf.path()), "-"], capture_output=True, check=True
    )
    text = " ".join(converted.stdout.decode("utf-8").split())
    for name in (*OVERDUE, *NOT_OVERDUE, "Ewa Nowicka", "Ali Hosseini"):
        assert name in text, name
