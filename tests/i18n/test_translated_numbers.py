"""Numbers filled into translated messages are written in the reader's digits."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from lms_cx.i18n import gettext, lazy_gettext, ngettext


def test_persian_messages_carry_persian_digits(app: Flask) -> None:
    """Test that %(num)d, %(name)s with a number and floats become Persian digits in fa."""
    with app.test_request_context("/cx/learn/"), force_locale("fa"):
        assert ngettext("%(num)d day", "%(num)d days", 12) == "۱۲ روز"
        assert gettext("Version %(number)s", number=3) == "نسخۀ ۳"
        assert gettext("Line %(line)d: write name = value.", line=7).startswith("سطر ۷:")
        assert str(lazy_gettext("Published version %(number)d.", number=10)) == "نسخۀ ۱۰ منتشر شد."
        assert gettext("%(percent)s%% done", percent=18) == "۱۸٪ انجام\u200cشده"


def test_hex_and_text_fields_are_left_alone(app: Flask) -> None:
    """Test that a padded hexadecimal field keeps its format, and text values are untouched."""
    with app.test_request_context("/cx/learn/"), force_locale("fa"):
        text = gettext("the file is not valid %(name)s (byte 0x%(byte)02X)", name="cp1250", byte=10)
        assert "0x0A" in text and "cp1250" in text
        assert gettext("Welcome, %(name)s.", name="Sara 2") == "Sara 2، خوش آمدید."


def test_other_locales_keep_latin_digits(app: Flask) -> None:
    """Test that English and Polish messages fill numbers exactly as gettext does."""
    with app.test_request_context("/cx/learn/"):
        for locale in ("en", "pl"):
            with force_locale(locale):
                assert "12" in ngettext("%(num)d day", "%(num)d days", 12)
        with force_locale("en"):
            assert gettext("Version %(number)s", number=3) == "Version 3"
            assert "100%" in gettext("%(percent)s%% done", percent=100)
