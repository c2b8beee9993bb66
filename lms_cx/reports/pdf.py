"""Report PDFs: WeasyPrint over the same templates and charts as the pages, fonts shipped.

Nothing is fetched over the network while printing: the print stylesheet is inlined and the
fonts are read from the package (Vazirmatn for Persian, DejaVu from the system otherwise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).resolve().parent.parent / "static" / "lms_cx"
FONTS = STATIC / "fonts"
PRINT_CSS = STATIC / "reports-print.css"


def pdf_assets() -> dict[str, Any]:
    """Return what the PDF templates need besides the data: font files and the stylesheet."""
    return {
        "font_regular": (FONTS / "Vazirmatn-Regular.ttf").as_uri(),
        "font_bold": (FONTS / "Vazirmatn-Bold.ttf").as_uri(),
        "report_css": PRINT_CSS.read_text(encoding="utf-8"),
    }


def _local_files_only(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """Fetch ``file:`` URLs inside the package's static folder; refuse everything else."""
    from weasyprint.urls import default_url_fetcher

    if not url.startswith(STATIC.as_uri()):
        raise ValueError(f"report PDFs load nothing from outside the package: {url}")
    return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of a report's HTML."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=html, url_fetcher=_local_files_only).write_pdf(font_config=fonts)
