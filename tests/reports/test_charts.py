"""The server-drawn SVG chart: accessible, numbers and Latin digits only inside it."""

from __future__ import annotations

import re

from lms_cx.reports.charts import completion_chart
from lms_cx.reports.readiness_summary import MonthPoint


def test_chart_has_a_title_a_description_and_one_bar_per_month() -> None:
    """Test that the SVG is labelled for screen readers and draws a bar per known month."""
    points = [
        MonthPoint("2025-12", 2, 40),
        MonthPoint("2026-01", 1, None),
        MonthPoint("2026-02", 3, 75),
    ]
    svg = str(completion_chart(points, "Completion <over> time", "Bars per month", "t1"))
    assert 'role="img"' in svg and 'aria-labelledby="t1-title t1-desc"' in svg
    assert '<title id="t1-title">Completion &lt;over&gt; time</title>' in svg
    assert svg.count("<rect") == 2
    assert ">75%<" in svg and ">2026<" in svg


def test_persian_never_goes_inside_svg_text() -> None:
    """Test that a Persian title stays in <title>, never in a <text> WeasyPrint would reverse."""
    svg = str(completion_chart([MonthPoint("2026-02", 1, 50)], "پیشرفت", "توضیح", "t2"))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts and all(text.isascii() for text in texts)
