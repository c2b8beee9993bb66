"""Charts drawn on the server as SVG: no JavaScript to see them, the same in pages and PDFs.

Only numbers and Latin text go inside SVG ``<text>`` (WeasyPrint reverses Persian there);
titles and descriptions ride in ``<title>``/``<desc>`` for screen readers, and each chart has
a text alternative (a table) in the template. Charts labelled with people's or tracks' names
are HTML boxes instead (see the readiness templates).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from lms_cx.reports.readiness_summary import MonthPoint

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 36
BAR = "#0b5cad"
GRID = "#d0d7de"
INK = "#1b1f24"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def completion_chart(
    points: Sequence[MonthPoint], title: str, description: str, key: str
) -> Markup:
    """Return an SVG bar chart of each month's cumulative completion share (0-100 %).

    ``key`` makes the ids of ``<title>`` and ``<desc>`` unique on the page.
    """
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(points))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" direction="ltr" font-family="DejaVu Sans, '
        f'sans-serif" font-size="11">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
    ]
    for percent in (0, 25, 50, 75, 100):
        y = TOP + plot_h * (1 - percent / 100)
        parts.append(
            f'<line x1="{LEFT}" y1="{_number(y)}" x2="{WIDTH - RIGHT}" y2="{_number(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{_number(y + 4)}" text-anchor="end" fill="{INK}">'
            f"{percent}%</text>"
        )
    for index, point in enumerate(points):
        x = LEFT + slot * index
        centre = x + slot / 2
        if point.cumulative_percent is not None:
            height = plot_h * point.cumulative_percent / 100
            top = TOP + plot_h - height
            parts.append(
                f'<rect x="{_number(x + slot * 0.15)}" y="{_number(top)}" '
                f'width="{_number(slot * 0.7)}" height="{_number(height)}" fill="{BAR}"/>'
            )
            parts.append(
                f'<text x="{_number(centre)}" y="{_number(max(TOP + 10, top - 4))}" '
                f'text-anchor="middle" fill="{INK}">{point.cumulative_percent}%</text>'
            )
        year, month = point.month.split("-")
        parts.append(
            f'<text x="{_number(centre)}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'fill="{INK}">{escape(month)}</text>'
        )
        if month == "01" or index == 0:
            parts.append(
                f'<text x="{_number(centre)}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" '
                f'fill="{INK}">{escape(year)}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
