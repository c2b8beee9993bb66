"""Calendar days as a person lives them: due dates, "today" and "in 3 days" in their zone.

Lifecycle automation counts whole days in each employee's own time zone, so a reminder "due
today" reaches someone in Tehran and someone in Warsaw on their own due date. Times are
always passed in (``now``); nothing here reads the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=256)
def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    """Return the zone ``name``, else ``default`` (unknown names fall back too)."""
    for candidate in (name, default, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """Return the calendar date of ``moment`` in ``tz``."""
    return moment.astimezone(tz).date()


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Return the last second of ``day`` in ``tz``, as an aware UTC datetime (a due time)."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=tz)
    return local.astimezone(UTC)


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Return the first moment of ``day`` in ``tz``, as an aware UTC datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)
