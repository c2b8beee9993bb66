"""Importing customer feedback from CSV files: encodings, delimiters, line-numbered problems.

A file is read as UTF-8 (with or without a byte-order mark; UTF-16 with a mark, as Excel's
"Unicode text" writes) unless an encoding such as ``cp1250`` (Polish Windows) or
``windows-1256`` (Persian Windows) is named. The delimiter, ``,`` ``;`` or tab, is taken from
the header line. Any bad row stops the import and every bad row is reported, unless
``skip_invalid`` imports the good rows and skips the bad ones.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.models import FeedbackImport
from lms_cx.services.feedback_import import (
    ImportReport,
    Progress,
    apply_rules_after_ingest,
    plan_ingest,
    write_ingest,
)
from lms_cx.services.feedback_validation import (
    EMPLOYEE_FIELDS,
    FEEDBACK_FIELDS,
    FeedbackProblem,
    FeedbackRecord,
    FeedbackValidator,
)

#: Delimiters recognised in the header line, in order of preference on a tie.
DELIMITERS = (";", ",", "\t")

#: Other names spreadsheets give the columns (compared lower-case, spaces as ``_``).
COLUMN_ALIASES = {
    "email": "employee_email",
    "agent_email": "employee_email",
    "agent": "employee",
    "agent_id": "employee_external_id",
    "date": "occurred_at",
    "datetime": "occurred_at",
    "timestamp": "occurred_at",
    "tag": "tags",
    "lang": "language",
    "locale": "language",
    "id": "external_id",
    "ticket_id": "external_id",
}


class UnreadableFile(Exception):
    """The file as a whole cannot be read: its encoding, or its header."""

    def __init__(self, problem: FeedbackProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class ParsedFeedbackFile:
    """A decoded file's rows as raw mappings, each with the line it starts on."""

    encoding: str
    delimiter: str
    columns: list[str | None]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[FeedbackProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode_feedback_file(data: bytes, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Return the text of ``data``, the encoding used and warnings; raise UnreadableFile."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = "utf-16"
    elif encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise UnreadableFile(
                FeedbackProblem("encoding", _("%(name)r is not a known encoding", name=encoding))
            ) from None
        if name != "utf-8" and not data.isascii() and _is_utf8(data):
            warnings.append(
                _(
                    "the file looks like UTF-8 although %(name)s was chosen; check the letters",
                    name=name,
                )
            )
    else:
        name = "utf-8"
    try:
        text = data.decode(name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        if encoding or name != "utf-8":
            message = _(
                "the file is not valid %(name)s (byte 0x%(byte)02X)",
                name=name,
                byte=data[error.start],
            )
        else:
            message = _(
                "the file is not UTF-8 (byte 0x%(byte)02X); save it as UTF-8 or choose its "
                "encoding: cp1250 (Polish Windows) or windows-1256 (Persian Windows)",
                byte=data[error.start],
            )
        raise UnreadableFile(FeedbackProblem("encoding", message, line=line)) from None
    if "\x00" in text:
        # No text file holds NUL (a UTF-16 file without its mark is full of them), and
        # PostgreSQL cannot store or even compare text with one.
        line = text[: text.index("\x00")].count("\n") + 1
        message = _("the file is not valid %(name)s (byte 0x%(byte)02X)", name=name, byte=0)
        raise UnreadableFile(FeedbackProblem("encoding", message, line=line))
    return text.removeprefix("\ufeff"), name, warnings


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(header: str) -> str:
    """Return the delimiter used most in ``header`` outside quotes (``,`` when none is)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column_name(header: str) -> str:
    name = "_".join(header.strip().strip("\ufeff").casefold().replace("-", " ").split())
    return COLUMN_ALIASES.get(name, name)


def read_feedback_file(data: bytes, *, encoding: str | None = None) -> ParsedFeedbackFile:
    """Decode ``data`` and split it into rows; raise UnreadableFile for the whole file."""
    text, used, warnings = decode_feedback_file(data, encoding)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise UnreadableFile(FeedbackProblem(None, _("the file is empty"), line=1))
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    parsed: ParsedFeedbackFile | None = None
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                parsed = _start(header, line, used, delimiter, warnings)
                continue
            assert parsed is not None
            width = len(parsed.columns)
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                parsed.problems.append(
                    FeedbackProblem(
                        None,
                        _(
                            "has %(found)d fields but the header has %(width)d; quote values "
                            "that contain “%(delimiter)s”",
                            found=len(cells),
                            width=width,
                            delimiter="TAB" if delimiter == "\t" else delimiter,
                        ),
                        line=line,
                    )
                )
            raw = {
                name: cells[position]
                for position, name in enumerate(parsed.columns)
                if name is not None and position < len(cells)
            }
            parsed.rows.append((line, raw))
    except csv.Error as error:
        raise UnreadableFile(
            FeedbackProblem(
                None, _("cannot split the file: %(error)s", error=str(error)), line=reader.line_num
            )
        ) from None
    if parsed is None:
        # Lines of empty quoted cells only (``""``): not blank as text, yet no header.
        raise UnreadableFile(FeedbackProblem(None, _("the file is empty"), line=1))
    return parsed


def _start(
    header: list[str], line: int, encoding: str, delimiter: str, warnings: list[str]
) -> ParsedFeedbackFile:
    columns: list[str | None] = []
    for position, cell in enumerate(header, start=1):
        name = _column_name(cell)
        if name in FEEDBACK_FIELDS:
            if name in columns:
                raise UnreadableFile(
                    FeedbackProblem(name, _("the column appears twice in the header"), line=line)
                )
            columns.append(name)
        else:
            columns.append(None)
            if name:
                warnings.append(
                    _(
                        "column %(position)d, “%(name)s”, is not a feedback field and is ignored",
                        position=position,
                        name=cell.strip(),
                    )
                )
    missing = []
    if not any(name in columns for name in EMPLOYEE_FIELDS):
        missing.append("employee")
    if "occurred_at" not in columns:
        missing.append("occurred_at")
    if missing:
        raise UnreadableFile(
            FeedbackProblem(
                missing[0],
                _(
                    "the header has no %(missing)s column "
                    "(found: %(found)s; delimiter “%(delimiter)s”)",
                    missing=" or ".join(missing),
                    found=", ".join(cell.strip() for cell in header) or "-",
                    delimiter="TAB" if delimiter == "\t" else delimiter,
                ),
                line=line,
            )
        )
    return ParsedFeedbackFile(encoding, delimiter, columns, warnings=warnings)


def import_feedback_file(
    session: Session,
    data: bytes,
    *,
    filename: str | None = None,
    source: str = "csv",
    encoding: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    imported_by_id: int | None = None,
    default_zone: tzinfo = UTC,
    now: datetime | None = None,
    apply_rules: bool = True,
    progress: Progress | None = None,
    parsed: ParsedFeedbackFile | None = None,
) -> ImportReport:
    """Import a CSV file of feedback, all or nothing; return what was (or would be) done.

    ``source`` names rows without a ``source`` column; ``default_zone`` reads timestamps that
    have no offset. With ``dry_run`` nothing is written; with ``skip_invalid`` the good rows
    are imported and the bad ones reported. ``progress`` is called with row counts, twice
    per row in all (once validated, once stored). Pass ``parsed`` when the file was already
    read (to size a progress bar).
    """
    now = now or utcnow()
    report = ImportReport(
        source=source, filename=filename, dry_run=dry_run, skip_invalid=skip_invalid
    )
    try:
        parsed = parsed or read_feedback_file(data, encoding=encoding)
    except UnreadableFile as error:
        report.unreadable = True
        report.problems = [error.problem]
        return report
    report.encoding, report.delimiter = parsed.encoding, parsed.delimiter
    report.warnings = list(parsed.warnings)
    report.rows_total = len(parsed.rows)
    validator = FeedbackValidator(
        session, default_source=source, default_zone=default_zone, now=now
    )
    validator.prime(raw for _line, raw in parsed.rows)
    problems = list(parsed.problems)
    misshapen = {problem.line for problem in problems}
    records: list[FeedbackRecord] = []
    for line, raw in parsed.rows:
        if line not in misshapen:
            record, row_problems = validator.validate(raw, line=line)
            problems.extend(row_problems)
            if record is not None:
                records.append(record)
        if progress:
            progress(1)
    report.problems = sorted(problems, key=lambda p: p.line or 0)
    report.invalid_rows = len({p.line for p in problems})
    # Planned even when refused, so the report shows what the good rows would do.
    plan = plan_ingest(session, records)
    report.created, report.updated = len(plan.creates), len(plan.updates)
    report.unchanged = len(plan.unchanged)
    if progress:
        progress(report.invalid_rows + report.unchanged)
    if report.refused or dry_run or not (plan.creates or plan.updates):
        session.rollback()
        return report
    import_row = FeedbackImport(
        filename=(filename or "")[:300] or None,
        source=source,
        rows_total=report.rows_total,
        created_count=report.created,
        updated_count=report.updated,
        skipped_count=report.invalid_rows,
        imported_by_id=imported_by_id,
        imported_at=now,
    )
    session.add(import_row)
    session.flush()
    write_ingest(session, plan, import_row=import_row, progress=progress)
    session.commit()
    report.written, report.import_id = True, import_row.id
    if apply_rules:
        report.remedial = apply_rules_after_ingest(session, plan.employee_ids, now)
    return report
