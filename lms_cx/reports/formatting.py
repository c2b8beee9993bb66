"""Numbers and days as the reader's locale writes them, memoised: a report formats thousands.

Babel parses the locale's pattern on every call; reports only show whole percentages and
one-decimal CSAT means, so each distinct value is formatted once per locale. Persian readers
get Persian digits, and days in the calendar the organisation chose (``lms_cx.local_format``).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache

from lms_cx.local_format import GREGORIAN, format_day, format_number, format_percent


@lru_cache(maxsize=2048)
def _percent(locale: str, whole: int) -> str:
    return format_percent(whole / 100, locale)


@lru_cache(maxsize=2048)
def _tenths(locale: str, tenths: int) -> str:
    return format_number(tenths / 10, locale, "0.0")


def percent_of(fraction: float | None, locale: str) -> str:
    """Return ``fraction`` (0..1) as a whole percentage, e.g. ``87%``; ``—`` for None."""
    return "—" if fraction is None else _percent(locale, round(fraction * 100))


def whole_percent(value: int | None, locale: str) -> str:
    """Return a whole percentage (0..100) in the locale's way; ``—`` for None."""
    return "—" if value is None else _percent(locale, int(value))


def one_decimal(value: float | None, locale: str) -> str:
    """Return ``value`` with one decimal, e.g. ``4.3`` (``4,3`` in Polish); ``—`` for None."""
    return "—" if value is None else _tenths(locale, round(value * 10))


@lru_cache(maxsize=1024)
def _day(locale: str, day: date, calendar: str) -> str:
    return format_day(day, locale, "medium", calendar)


def day_text(
    value: datetime | date | None, locale: str, zone: tzinfo, calendar: str = GREGORIAN
) -> str:
    """Return the day of ``value`` (a UTC datetime shown in ``zone``) as ``Mar 2, 2026``.

    ``calendar`` applies to Persian readers only (``persian`` for Solar Hijri days).
    """
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(zone).date()
    return _day(locale, value, calendar)
