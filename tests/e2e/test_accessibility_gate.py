"""The accessibility gate itself: it must catch what it claims to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.axe import assert_accessible

BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head><title>Broken on purpose</title></head>
<body>
  <main>
    <h1>Broken on purpose</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
    <input type="text" name="nameless">
    <p style="color: #c8c8c8; background: #ffffff">Pale grey text nobody can read.</p>
  </main>
</body>
</html>"""


def test_gate_fails_on_missing_alt_missing_label_and_low_contrast(page: Page) -> None:
    """Test that assert_accessible fails and names image-alt, label and color-contrast."""
    page.set_content(BROKEN_PAGE)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    for rule in ("image-alt", "label", "color-contrast"):
        assert f"- {rule} (" in message, message
    assert "img" in message and "input" in message


def test_gate_passes_a_clean_page(page: Page) -> None:
    """Test that the gate stays quiet on a page without serious problems."""
    page.set_content(
        BROKEN_PAGE.replace("<img ", '<img alt="Logo" ')
        .replace('<input type="text"', '<label>Name <input type="text"')
        .replace('name="nameless">', 'name="nameless"></label>')
        .replace("#c8c8c8", "#1b1f24")
    )
    assert_accessible(page)


def test_gate_fails_when_axe_is_not_installed(page: Page, tmp_path: Path) -> None:
    """Test that a missing axe-core fails the test with the setup command, never skips."""
    page.set_content(BROKEN_PAGE)
    with pytest.raises(pytest.fail.Exception, match=r"scripts/setup\.sh --tests"):
        assert_accessible(page, axe_path=tmp_path / "axe.min.js")
