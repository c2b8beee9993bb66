"""Template filters and gettext: Persian digits on lms_cx's pages, the host's pages untouched."""

from __future__ import annotations

from datetime import date

from flask import Flask, render_template_string
from flask_babel import force_locale

TEMPLATE = (
    "{{ 1234 | numberformat }}|{{ 0.5 | percentformat }}|{{ day | dateformat('medium') }}"
    "|{{ 7 | digits }}|{{ gettext('Skip to content') }}"
)


def render_as(app: Flask, path: str, locale: str) -> str:
    """Render ``TEMPLATE`` in a request for ``path``, spoken in ``locale``."""
    with app.test_request_context(path), force_locale(locale):
        return render_template_string(TEMPLATE, day=date(2026, 3, 21))


def test_lms_cx_pages_write_persian_digits(app: Flask) -> None:
    """Test that on an lms_cx page in Persian every filter writes Persian digits."""
    text = render_as(app, "/cx/learn/", "fa")
    assert text == "۱٬۲۳۴|۵۰٪|۲۱ مارس ۲۰۲۶|۷|رفتن به محتوا"


def test_host_pages_keep_flask_babels_formatting(app: Flask) -> None:
    """Test that a host page (outside lms_cx's blueprints) in Persian is formatted exactly as
    Flask-Babel formats it, and translated with the host's catalogue, not lms_cx's."""

    @app.get("/host-page")
    def host_page() -> str:
        return ""

    text = render_as(app, "/host-page", "fa")
    assert text.startswith("1,234|50%|")
    assert "|7|Skip to content" in text


def test_english_and_polish_pages_are_unchanged(app: Flask) -> None:
    """Test that English and Polish lms_cx pages keep Latin digits."""
    assert render_as(app, "/cx/learn/", "en").startswith("1,234|50%|Mar 21, 2026|7|")
    assert render_as(app, "/cx/learn/", "pl").startswith("1\xa0234|50%|21 mar 2026|7|")
