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


def local_files_fetcher() -> Any:
    """Return a WeasyPrint URL fetcher that reads files in the package's static folder only.

    WeasyPrint 66 and later take a ``URLFetcher`` object (``default_url_fetcher`` is gone, and a
    fetcher that fails makes WeasyPrint drop the fonts silently); earlier ones take a function.
    """
    allowed = STATIC.as_uri()
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66
        from weasyprint.urls import default_url_fetcher

        def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
            if not url.startswith(allowed):
                raise ValueError(f"PDFs load nothing from outside the package: {url}")
            return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

        return fetch

    class LocalFiles(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(allowed):
                raise ValueError(f"PDFs load nothing from outside the package: {url}")
            return super().fetch(url, headers)

    return LocalFiles(allowed_protocols=("file",))


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of a report's HTML."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=html, url_fetcher=local_files_fetcher()).write_pdf(font_config=fonts)
