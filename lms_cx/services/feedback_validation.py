"""One validator for customer feedback, whether it arrives as a CSV row or as REST JSON.

The validator turns a raw mapping (strings from a CSV cell, or JSON values) into a
:class:`FeedbackRecord`, or into problems that each name the field (the CSV column or JSON key)
and, for files, the line. Every problem of a row is reported, not only the first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.models.people import Employee
from lms_cx.services.feedback_dates import parse_timestamp
from lms_cx.services.feedback_themes import detect_language, normalise_tag

#: Every field a feedback item may carry, as CSV columns and JSON keys.
FEEDBACK_FIELDS = (
    "employee",
    "employee_external_id",
    "employee_email",
    "occurred_at",
    "channel",
    "csat",
    "nps",
    "ces",
    "comment",
    "language",
    "tags",
    "source",
    "external_id",
)

#: The scales of the three scores: (lowest, highest).
SCORE_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}

#: Where the employee can be named, most general first.
EMPLOYEE_FIELDS = ("employee", "employee_external_id", "employee_email")

MAX_COMMENT_LENGTH = 10_000
MAX_TAGS = 30
_LIMITS = {"channel": 40, "source": 60, "external_id": 200, "language": 10}
_SOURCE_PATTERN = re.compile(r"^[\w.@-]+$")
_TAG_SEPARATORS = re.compile(r"[|,;]")
#: How far in the future a timestamp may lie (clocks of help desks drift).
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class FeedbackProblem:
    """What is wrong with one field of one row: ``line`` for files, ``index`` for JSON arrays."""

    field: str | None
    message: str
    line: int | None = None
    index: int | None = None

    def __str__(self) -> str:
        where = _("line %(line)d", line=self.line) + ": " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"


@dataclass(frozen=True)
class FeedbackRecord:
    """A validated, normalised feedback item, ready to store."""

    employee_id: int
    occurred_at: datetime
    channel: str | None
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str | None
    language: str | None
    tags: tuple[str, ...]
    source: str
    external_id: str
    line: int | None = None
    index: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Return the ``(source, external_id)`` pair that identifies the item."""
        return (self.source, self.external_id)


def fingerprint(
    employee_id: int,
    occurred_at: datetime,
    channel: str | None,
    scores: tuple[int | None, ...],
    comment: str | None,
) -> str:
    """Return a stable external id for an item that came without one.

    Re-importing the same row then finds the same item instead of adding a duplicate.
    """
    text = "|".join(
        [str(employee_id), occurred_at.astimezone(UTC).isoformat(), channel or ""]
        + ["" if score is None else str(score) for score in scores]
        + [comment or ""]
    )
    return "auto:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


class FeedbackValidator:
    """Validate raw feedback mappings against the organisation's employees.

    ``default_source`` names rows that give no source; ``default_zone`` is the time zone of
    timestamps written without an offset. Call :meth:`prime` with a batch first so employees
    are looked up in a few queries rather than one per row.
    """

    def __init__(
        self,
        session: Session,
        *,
        default_source: str,
        default_zone: tzinfo = UTC,
        now: datetime | None = None,
    ) -> None:
        self.session = session
        self.default_source = default_source
        self.default_zone = default_zone
        self.now = now or utcnow()
        self._by_external_id: dict[str, int] = {}
        self._by_email: dict[str, int] = {}
        # Values already searched for, found or not, so no row repeats a query.
        self._looked_up: set[str] = set()
        self._seen: dict[tuple[str, str], str] = {}

    def prime(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Look up, in chunks, every employee the rows name."""
        wanted: set[str] = set()
        for row in rows:
            for name in EMPLOYEE_FIELDS:
                value = row.get(name)
                if isinstance(value, str) and value.strip() and not _has_nul(value):
                    wanted.add(value.strip())
        self._load_employees(wanted)

    def _load_employees(self, values: set[str]) -> None:
        values = values - self._looked_up
        self._looked_up |= values
        emails = {value.lower() for value in values if "@" in value}
        ordered, ordered_emails = sorted(values), sorted(emails)
        for start in range(0, max(len(ordered), len(ordered_emails)), 500):
            ids, mails = ordered[start : start + 500], ordered_emails[start : start + 500]
            condition = sa.or_(
                Employee.external_id.in_(ids) if ids else sa.false(),
                sa.func.lower(Employee.email).in_(mails) if mails else sa.false(),
            )
            for employee_id, external_id, email in self.session.execute(
                sa.select(Employee.id, Employee.external_id, Employee.email).where(condition)
            ):
                if external_id:
                    self._by_external_id[external_id] = employee_id
                self._by_email[email.lower()] = employee_id

    def validate(
        self, raw: Mapping[str, Any], *, line: int | None = None, index: int | None = None
    ) -> tuple[FeedbackRecord | None, list[FeedbackProblem]]:
        """Return the record for ``raw``, or None and every problem found in it."""
        problems: list[FeedbackProblem] = []

        def problem(field: str | None, message: str) -> None:
            problems.append(FeedbackProblem(field, message, line=line, index=index))

        # Checked first: PostgreSQL refuses text with NUL even in a lookup.
        for name, value in raw.items():
            if _has_nul(value):
                problem(name, _("contains a NUL character (0x00)"))
        if problems:
            return None, problems
        employee_id = self._employee(raw, problem)
        occurred_at = self._occurred_at(raw.get("occurred_at"), problem)
        channel = self._short_text(raw, "channel", problem)
        if channel:
            channel = re.sub(r"[\s-]+", "_", channel.lower())
        scores = {name: self._score(raw.get(name), name, problem) for name in SCORE_SCALES}
        comment = self._comment(raw.get("comment"), problem)
        language = self._short_text(raw, "language", problem)
        language = language.lower().replace("-", "_") if language else None
        if language is None and comment:
            language = detect_language(comment)
        tags = self._tags(raw.get("tags"), problem)
        source = self._short_text(raw, "source", problem) or self.default_source
        if not _SOURCE_PATTERN.match(source):
            problem(
                "source",
                _("use letters, digits, '.', '_', '-' or '@', not %(value)r", value=source),
            )
        external_id = self._short_text(raw, "external_id", problem)
        if comment is None and all(value is None for value in scores.values()) and not problems:
            problem(None, _("give at least one of csat, nps, ces or comment"))
        if problems or employee_id is None or occurred_at is None:
            return None, problems
        if external_id is None:
            external_id = fingerprint(
                employee_id,
                occurred_at,
                channel,
                (scores["csat"], scores["nps"], scores["ces"]),
                comment,
            )
        if line is not None:
            where = _("line %(line)d", line=line)
        else:
            where = _("item %(index)d", index=index) if index is not None else ""
        previous = self._seen.get((source, external_id))
        if previous is not None:
            problem(
                "external_id",
                _(
                    "%(id)r from source %(source)r repeats %(where)s",
                    id=external_id,
                    source=source,
                    where=previous,
                ),
            )
            return None, problems
        self._seen[(source, external_id)] = where or _("an earlier item")
        record = FeedbackRecord(
            employee_id=employee_id,
            occurred_at=occurred_at,
            channel=channel,
            csat=scores["csat"],
            nps=scores["nps"],
            ces=scores["ces"],
            comment=comment,
            language=language,
            tags=tags,
            source=source,
            external_id=external_id,
            line=line,
            index=index,
        )
        return record, problems

    def _employee(self, raw: Mapping[str, Any], problem: Any) -> int | None:
        given = [(name, raw.get(name)) for name in EMPLOYEE_FIELDS]
        given = [(name, value) for name, value in given if value not in (None, "")]
        if not given:
            problem("employee", _("name the employee by external id or email"))
            return None
        name, value = given[0]
        if not isinstance(value, str):
            problem(name, _("must be text (an external id or an email)"))
            return None
        value = value.strip()
        self._load_employees({value})
        found = None
        if name in ("employee", "employee_external_id"):
            found = self._by_external_id.get(value)
        if found is None and name in ("employee", "employee_email"):
            found = self._by_email.get(value.lower())
        if found is None:
            kind = {
                "employee": _("external id or email"),
                "employee_external_id": _("external id"),
                "employee_email": _("email"),
            }[name]
            problem(name, _("no employee with the %(kind)s %(value)r", kind=kind, value=value))
        return found

    def _occurred_at(self, value: Any, problem: Any) -> datetime | None:
        if value in (None, ""):
            problem("occurred_at", _("give the date (and time) the customer gave the feedback"))
            return None
        if not isinstance(value, str):
            problem("occurred_at", _("must be a date as text, such as 2026-03-01T14:05:00Z"))
            return None
        parsed = parse_timestamp(value.strip(), self.default_zone)
        if parsed is None:
            problem(
                "occurred_at",
                _(
                    "%(value)r is not a date; write 2026-03-01, 2026-03-01 14:05, "
                    "2026-03-01T14:05:00+01:00 or 01.03.2026 14:05",
                    value=value,
                ),
            )
            return None
        if parsed > self.now + FUTURE_TOLERANCE:
            problem("occurred_at", _("%(value)r lies in the future", value=value))
            return None
        return parsed

    def _short_text(self, raw: Mapping[str, Any], name: str, problem: Any) -> str | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problem(name, _("must be text"))
            return None
        value = value.strip()
        if len(value) > _LIMITS[name]:
            problem(name, _("is longer than %(max)d characters", max=_LIMITS[name]))
            return None
        return value or None

    def _score(self, value: Any, name: str, problem: Any) -> int | None:
        low, high = SCORE_SCALES[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.0+)?\s*", value):
            number = int(float(value))
        if number is None or not low <= number <= high:
            problem(
                name,
                _(
                    "must be a whole number from %(low)d to %(high)d, not %(value)r",
                    low=low,
                    high=high,
                    value=value,
                ),
            )
            return None
        return number

    def _comment(self, value: Any, problem: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            problem("comment", _("must be text"))
            return None
        value = value.strip()
        if len(value) > MAX_COMMENT_LENGTH:
            problem("comment", _("is longer than %(max)d characters", max=MAX_COMMENT_LENGTH))
            return None
        return value or None

    def _tags(self, value: Any, problem: Any) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            parts = _TAG_SEPARATORS.split(value)
        elif isinstance(value, list) and all(isinstance(part, str) for part in value):
            parts = value
        else:
            problem("tags", _("must be a list of texts, or one text separated by '|' or ','"))
            return ()
        tags: list[str] = []
        for part in parts:
            tag = normalise_tag(part)
            if not tag:
                continue
            if len(tag) > 100:
                problem("tags", _("the tag %(tag)r is longer than 100 characters", tag=tag[:20]))
                return ()
            if tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            problem("tags", _("has more than %(max)d tags", max=MAX_TAGS))
            return ()
        return tuple(tags)


def _has_nul(value: Any) -> bool:
    """Return True when ``value`` (a text, or a list of texts) holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    return isinstance(value, list) and any(_has_nul(item) for item in value)
