"""Reading the dates help desks and spreadsheets write, into aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

# Dates: ISO 8601 (with "T" or a space), Polish and German day-first dots, ISO with slashes.
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2})?))?$"
)
_SLASHED_ISO = re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:[ T](?P<time>.+))?$")


def parse_timestamp(text: str, zone: tzinfo) -> datetime | None:
    """Return ``text`` as an aware UTC datetime, reading zone-less values in ``zone``.

    Accepts ISO 8601 (``2026-03-01``, ``2026-03-01 14:05``, ``2026-03-01T14:05:00Z``,
    with an offset), ``2026/03/01`` and the day-first ``01.03.2026 14:05`` Polish
    spreadsheets write. Slash dates with the day or month first are refused as ambiguous.
    """
    if not text:
        return None
    parsed: datetime | None = None
    match = _DAY_FIRST.match(text) or _SLASHED_ISO.match(text)
    if match:
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
        clock = time(0, 0)
        if match["time"]:
            clock_text = match["time"].strip()
            if re.match(r"^\d:", clock_text):
                clock_text = "0" + clock_text
            try:
                clock = time.fromisoformat(clock_text)
            except ValueError:
                return None
        parsed = datetime.combine(day, clock)
    else:
        candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            try:
                parsed = datetime.combine(date.fromisoformat(candidate), time(0, 0))
            except ValueError:
                return None
        if len(candidate) == 10 and "-" in candidate and parsed.tzinfo is None:
            parsed = datetime.combine(parsed.date(), time(0, 0))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)
