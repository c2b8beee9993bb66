"""Dates and numbers as the reader's locale writes them, Persian included.

Babel writes Latin digits and knows only the Gregorian calendar. Persian readers get Persian
digits (۰–۹, with ``٬`` and ``٫`` as separators and ``٪`` for percent), and Solar Hijri
(Jalali) dates when the organisation chooses that calendar (converted by ``persiantools``).
Every other locale is formatted by Babel exactly as before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from persiantools.digits import en_to_fa
from persiantools.jdatetime import JalaliDate

GREGORIAN = "gregorian"
#: The Solar Hijri (Jalali) calendar, CLDR's name for it.
PERSIAN = "persian"
CALENDARS = (GREGORIAN, PERSIAN)
#: Languages whose readers see Persian digits and may see the Solar Hijri calendar.
PERSIAN_LANGUAGES = frozenset({"fa"})

Number = int | float | Decimal


def language_of(locale: object) -> str:
    """Return the language part of ``locale`` (``fa`` of ``fa_IR``)."""
    return str(locale).replace("-", "_").split("_")[0].lower()


def writes_persian_digits(locale: object) -> bool:
    """Return True when readers of ``locale`` read numbers in Persian digits."""
    return language_of(locale) in PERSIAN_LANGUAGES


def localise_digits(text: str, locale: object) -> str:
    """Return ``text`` (a formatted number or date) in the digits of ``locale``."""
    if not writes_persian_digits(locale):
        return text
    return en_to_fa(text).replace("%", "٪")


def format_number(value: Number, locale: object, format: str | None = None) -> str:
    """Return ``value`` with the locale's digits, grouping and decimal separator."""
    if not writes_persian_digits(locale):
        return babel_numbers.format_decimal(value, format=format, locale=str(locale))
    text = babel_numbers.format_decimal(
        value, format=format, locale=str(locale), numbering_system="default"
    )
    return localise_digits(text, locale)


def format_percent(value: Number, locale: object, format: str | None = None) -> str:
    """Return ``value`` (0..1) as a percentage the way the locale writes it."""
    if not writes_persian_digits(locale):
        return babel_numbers.format_percent(value, format=format, locale=str(locale))
    text = babel_numbers.format_percent(
        value, format=format, locale=str(locale), numbering_system="default"
    )
    return localise_digits(text, locale)


def format_day(
    value: date, locale: object, format: str = "medium", calendar: str = GREGORIAN
) -> str:
    """Return the day ``value`` in the locale's words and digits, in ``calendar`` for Persian.

    ``format`` is ``short``, ``medium``, ``long``, ``full`` or a Babel pattern; Solar Hijri
    dates follow the named formats of CLDR's Persian calendar (a pattern reads as ``medium``).
    """
    if isinstance(value, datetime):
        value = value.date()
    if not writes_persian_digits(locale):
        return babel_dates.format_date(value, format, locale=str(locale))
    if calendar == PERSIAN:
        return localise_digits(_jalali_day(value, format), locale)
    return localise_digits(babel_dates.format_date(value, format, locale=str(locale)), locale)


def format_moment(
    value: datetime,
    locale: object,
    zone: tzinfo,
    format: str = "medium",
    calendar: str = GREGORIAN,
) -> str:
    """Return ``value`` (aware, or naive UTC) as a date and time in ``zone``."""
    if not writes_persian_digits(locale):
        return babel_dates.format_datetime(value, format, tzinfo=zone, locale=str(locale))
    if calendar != PERSIAN:
        text = babel_dates.format_datetime(value, format, tzinfo=zone, locale=str(locale))
        return localise_digits(text, locale)
    if format not in _NAMED_FORMATS:
        # A Babel pattern has no Solar Hijri form: use the named medium layout instead.
        format = "medium"
    local = _in_zone(value, zone)
    clock = babel_dates.format_time(local, format, locale=str(locale))
    pattern = Locale.parse(str(locale)).datetime_formats[format]
    text = pattern.replace("'", "").replace("{0}", clock).replace("{1}", _jalali_day(local, format))
    return localise_digits(text, locale)


def format_clock(
    value: datetime | time, locale: object, zone: tzinfo | None, format: str = "medium"
) -> str:
    """Return the time of day of ``value`` (shown in ``zone`` when it is a datetime)."""
    if isinstance(value, datetime) and zone is not None:
        value = _in_zone(value, zone)
    return localise_digits(babel_dates.format_time(value, format, locale=str(locale)), locale)


_NAMED_FORMATS = ("short", "medium", "long", "full")


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    """Return ``value`` in ``zone``; a naive value is UTC, as the database stores it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)


def _jalali_day(value: date, format: str) -> str:
    """Return ``value`` in the Solar Hijri calendar with Persian month and weekday names."""
    if isinstance(value, datetime):
        value = value.date()
    day = JalaliDate(value)
    if format == "short":
        return f"{day.year}/{day.month}/{day.day}"
    text = f"{day.day} {day.strftime('%B', locale='fa')} {day.year}"
    if format == "full":
        return f"{day.strftime('%A', locale='fa')} {text}"
    return text
