"""``assert_accessible(page)``: run axe-core in a page; fail on serious or critical violations."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

#: Where ``npm ci --prefix tests/e2e`` (run by ``scripts/setup.sh --tests``) puts axe-core.
AXE_PATH = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

#: The rule sets the gate runs: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")

#: Impacts that fail the gate; moderate and minor findings are axe's advice, not a blocker.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def assert_accessible(page: Page, *, axe_path: Path = AXE_PATH) -> None:
    """Fail listing every serious or critical axe violation on the page as it is now.

    Usage::

        page.goto("/cx/account/login")
        assert_accessible(page)
    """
    if not axe_path.is_file():
        pytest.fail(
            f"axe-core is not installed ({axe_path} is missing): run `bash scripts/setup.sh "
            "--tests`, which runs `npm ci --prefix tests/e2e`.",
            pytrace=False,
        )
    # Evaluated through the DevTools protocol rather than a <script> tag, so a page's
    # Content-Security-Policy cannot keep axe out.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source(axe_path))
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}},
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(describe_violations(page.url, blocking))


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """Return one readable block per violation: rule id, impact, help, each element."""
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {_selector(node['target'])}    {_shorten(node['html'])}")
    return "\n".join(lines)


def _selector(target: list[Any]) -> str:
    """Join axe's target; a nested list means a path through iframes or shadow roots."""
    return " >>> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in target)


def _shorten(html: str, limit: int = 120) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


@cache
def _axe_source(axe_path: Path) -> str:
    # End on a plain value, so what the script evaluates to is small and serialisable.
    return axe_path.read_text(encoding="utf-8") + "\n;true"
