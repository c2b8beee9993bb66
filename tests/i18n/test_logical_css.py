"""Stylesheets use logical properties only, so Persian pages mirror without a second stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

import lms_cx

PACKAGE = Path(lms_cx.__file__).resolve().parent
#: Physical properties and values that would not flip for right-to-left pages.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![\w-])(?:left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)


def styles() -> list[tuple[str, str]]:
    """Return (file, text) for every stylesheet and every <style>/style="" of a template."""
    found = [
        (str(path.relative_to(PACKAGE)), path.read_text("utf-8"))
        for path in sorted((PACKAGE / "static").rglob("*.css"))
    ]
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        text = path.read_text("utf-8")
        pieces = re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.S | re.I)
        pieces += re.findall(r'\bstyle="([^"]*)"', text)
        found.extend((str(path.relative_to(PACKAGE)), piece) for piece in pieces)
    return found


def test_no_physical_direction_in_styles() -> None:
    """Test that no stylesheet or template style sets left/right margins, paddings, borders,
    positions, alignment or floats."""
    problems = [
        f"{where}: {match.group()}"
        for where, css in styles()
        for match in PHYSICAL.finditer(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    ]
    assert problems == []


def test_the_check_catches_a_physical_property() -> None:
    """Test that the pattern finds what it is meant to find, and spares logical properties."""
    assert PHYSICAL.search("a { margin-left: 1rem }")
    assert PHYSICAL.search("td { text-align: right; }")
    assert PHYSICAL.search(".x { left: 0 }")
    assert not PHYSICAL.search("a { margin-inline-start: 1rem; inset-inline-start: 0 }")
    assert not PHYSICAL.search(".right { color: green }")
