"""Dates and numbers for Persian readers: Persian digits, Solar Hijri days when chosen; other
locales exactly as Babel writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from lms_cx import local_format
from lms_cx.local_format import GREGORIAN, PERSIAN, format_day, format_moment

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.mark.parametrize(
    ("day", "jalali"),
    [
        (date(2026, 3, 21), "۱۴۰۵/۱/۱"),  # Nowruz 1405
        (date(2026, 3, 20), "۱۴۰۴/۱۲/۲۹"),  # last day of a common year
        (date(2025, 3, 20), "۱۴۰۳/۱۲/۳۰"),  # 1403 is a leap year: Esfand has 30 days
        (date(2024, 3, 20), "۱۴۰۳/۱/۱"),
        (date(2026, 9, 22), "۱۴۰۵/۶/۳۱"),  # the first six months have 31 days
        (date(2026, 9, 23), "۱۴۰۵/۷/۱"),
        (date(2000, 1, 1), "۱۳۷۸/۱۰/۱۱"),
    ],
)
def test_solar_hijri_days_convert_correctly(day: date, jalali: str) -> None:
    """Test known Gregorian days against their Solar Hijri dates, leap years included."""
    assert format_day(day, "fa", "short", PERSIAN) == jalali


def test_persian_readers_get_persian_digits_in_either_calendar() -> None:
    """Test that 21 March 2026 reads as ۲۱ مارس ۲۰۲۶ (Gregorian) or ۱ فروردین ۱۴۰۵ (Solar
    Hijri), with the weekday in the full form."""
    day = date(2026, 3, 21)
    assert format_day(day, "fa", "medium", GREGORIAN) == "۲۱ مارس ۲۰۲۶"
    assert format_day(day, "fa", "medium", PERSIAN) == "۱ فروردین ۱۴۰۵"
    assert format_day(day, "fa", "long", PERSIAN) == "۱ فروردین ۱۴۰۵"
    assert format_day(day, "fa", "full", PERSIAN) == "شنبه ۱ فروردین ۱۴۰۵"


def test_a_moment_is_shown_in_the_readers_zone_and_calendar() -> None:
    """Test that 23:00 UTC on 20 March 2026 is already 1 Farvardin in Tehran (UTC+3:30)."""
    moment = datetime(2026, 3, 20, 23, 0, tzinfo=UTC)
    text = format_moment(moment, "fa", TEHRAN, "short", PERSIAN)
    assert text.startswith("۱۴۰۵/۱/۱")
    assert text.endswith("۲:۳۰")
    assert "۲۰۲۶" not in format_moment(moment, "fa", TEHRAN, "yyyy-MM-dd", PERSIAN)


@pytest.mark.parametrize("locale", ["en", "pl"])
@pytest.mark.parametrize("calendar", [GREGORIAN, PERSIAN])
def test_other_locales_are_formatted_as_babel_formats_them(locale: str, calendar: str) -> None:
    """Test that English and Polish readers never see the Persian calendar or digits."""
    day = date(2026, 3, 21)
    moment = datetime(2026, 3, 21, 14, 5, tzinfo=UTC)
    assert format_day(day, locale, "medium", calendar) == format_date(day, "medium", locale=locale)
    assert format_moment(moment, locale, UTC, "short", calendar) == format_datetime(
        moment, "short", tzinfo=UTC, locale=locale
    )
    assert local_format.format_number(1234.5, locale) == format_decimal(1234.5, locale=locale)
    assert local_format.format_percent(0.87, locale) == format_percent(0.87, locale=locale)


def test_persian_numbers_use_persian_digits_and_separators() -> None:
    """Test grouping (٬), decimal (٫) and percent (٪) signs for Persian readers."""
    assert local_format.format_number(1234.5, "fa") == "۱٬۲۳۴٫۵"
    assert local_format.format_number(4.3, "fa", "0.0") == "۴٫۳"
    assert local_format.format_percent(0.87, "fa") == "۸۷٪"
    assert local_format.localise_digits("2026-03", "fa_IR") == "۲۰۲۶-۰۳"
    assert local_format.localise_digits("2026-03", "pl") == "2026-03"
