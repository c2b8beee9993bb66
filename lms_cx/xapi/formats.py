"""The string formats of xAPI 1.0.3 (part two, 4.3-4.6): IRIs, UUIDs, timestamps, durations.

Each ``is_*`` function answers whether a value (of any JSON type) follows the format; the
validation rules turn a ``False`` into an error naming the property.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from langcodes import tag_is_valid
from rfc3987 import match as rfc3987_match

#: A UUID in the standard string form (8-4-4-4-12 hex digits), as part two, 4.4 requires.
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

#: An ISO 8601 combined date and time; the zone is optional (treated as UTC when absent).
TIMESTAMP_PATTERN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
    r"(?P<zone>Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)

_NUMBER = r"\d+(?:[.,]\d+)?"
#: An ISO 8601:2004 duration (4.4.3.2), weeks alone or Y/M/D and T H/M/S; the seconds-only
#: form ``P16559.14S`` that part two, 4.6 lists as an example is accepted too.
DURATION_PATTERN = re.compile(
    rf"^P(?:{_NUMBER}W|{_NUMBER}S"
    rf"|(?=\d|T\d)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)$"
)

#: ``mailto:`` followed by one address (part two, 2.4.2.3); a best-effort check, as 2.2 allows.
MBOX_PATTERN = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")

SHA1_PATTERN = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_PATTERN = re.compile(r"^[0-9a-fA-F]{56,128}$")
#: A statement's ``version``: "1.0" or "1.0.x" (part two, 2.4.10).
VERSION_PATTERN = re.compile(r"^1\.0(\.\d+)?$")


def is_string(value: Any) -> bool:
    """Return True for a JSON string."""
    return isinstance(value, str)


def is_number(value: Any) -> bool:
    """Return True for a JSON number (booleans are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_iri(value: Any) -> bool:
    """Return True for an absolute IRI (RFC 3987) with a scheme."""
    return isinstance(value, str) and _is_iri_text(value)


@lru_cache(maxsize=4096)
def _is_iri_text(value: str) -> bool:
    # Verb and activity IRIs repeat across statements; RFC 3987's regex is slow.
    return bool(value) and rfc3987_match(value, rule="IRI") is not None


def is_uuid(value: Any) -> bool:
    """Return True for a UUID in standard string form."""
    return isinstance(value, str) and UUID_PATTERN.match(value) is not None


def is_language_tag(value: Any) -> bool:
    """Return True for an RFC 5646 language tag."""
    return isinstance(value, str) and _is_language_tag_text(value)


@lru_cache(maxsize=512)
def _is_language_tag_text(value: str) -> bool:
    return bool(value) and tag_is_valid(value)


def is_duration(value: Any) -> bool:
    """Return True for an ISO 8601 duration in the format part two, 4.6 requires."""
    return isinstance(value, str) and DURATION_PATTERN.match(value) is not None


def parse_timestamp(value: Any) -> datetime | None:
    """Return the aware UTC datetime of an ISO 8601 timestamp, or None when it is not one.

    The offset ``-00:00`` ("local time unknown" in RFC 3339) is refused: a stored statement's
    point in time must be known.
    """
    if not isinstance(value, str):
        return None
    return _parse_timestamp_text(value)


# A statement's timestamp is read by the rules, the index and the comparison, and a batch's
# ``stored`` once per statement: a small memo turns those repeats into one parse.
@lru_cache(maxsize=1024)
def _parse_timestamp_text(value: str) -> datetime | None:
    found = TIMESTAMP_PATTERN.match(value)
    if found is None:
        return None
    zone = found.group("zone")
    if zone and zone.startswith("-") and zone[1:].replace(":", "").strip("0") == "":
        return None
    text = f"{found.group('date')}T{found.group('time').replace(',', '.')}"
    if text.count(":") == 1:
        text += ":00"
    if "." in text:
        head, fraction = text.split(".")
        text = f"{head}.{(fraction + '000000')[:6]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if zone in (None, "Z", "z"):
        return moment.replace(tzinfo=UTC)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes) * sign
    return (moment - offset).replace(tzinfo=UTC)


def format_timestamp(moment: datetime) -> str:
    """Return ``moment`` in UTC with millisecond precision, the form the LRS answers with."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
