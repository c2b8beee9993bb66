"""Numbers and days as the reader's locale writes them, memoised: a report formats thousands.

Babel parses the locale's pattern on every call; reports only show whole percentages and
one-decimal CSAT means, so each distinct value is formatted once per locale.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent


@lru_cache(maxsize=2048)
def _percent(locale: str, whole: int) -> str:
    return format_percent(whole / 100, locale=locale)


@lru_cache(maxsize=2048)
def _tenths(locale: str, tenths: int) -> str:
    return format_decimal(tenths / 10, format="0.0", locale=locale)


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
def _day(locale: str, day: date) -> str:
    return format_date(day, format="medium", locale=locale)


def day_text(value: datetime | date | None, locale: str, zone: tzinfo) -> str:
    """Return the day of ``value`` (a UTC datetime shown in ``zone``) as ``Mar 2, 2026``."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(zone).date()
    return _day(locale, value)
