"""Properties of the feedback CSV import, checked on generated files (hypothesis).

Whatever the bytes, ``import_feedback_file`` returns a report (it never raises); a refused
import writes nothing; every problem names its line within the file and a column the file has.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import event, example, given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from lms_cx.models import FeedbackImport, FeedbackItem, FeedbackTheme
from lms_cx.services.feedback_csv import COLUMN_ALIASES, import_feedback_file
from lms_cx.services.feedback_validation import FEEDBACK_FIELDS
from tests import factories
from tests.fuzz.conftest import fuzz_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAILS = ("agent1@example.com", "agent2@example.com")

COLUMNS = st.sampled_from(
    [*FEEDBACK_FIELDS, *COLUMN_ALIASES, "Employee Email", "CSAT", " comment ", "", "notes", "ü"]
)
#: Columns besides the employee and the time (each at most once in a header).
EXTRA_COLUMNS = st.sampled_from(
    ["channel", "CSAT", "nps", "ces", "comment", "language", "tags", "source", "id", "notes", ""]
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "A1",
            "A2",
            "nobody",
            *EMAILS,
            "AGENT1@EXAMPLE.COM",
            "2026-03-01 10:00",
            "2026-03-01T10:00:00+01:00",
            "01.03.2026 10:00",
            "2099-01-01",
            "yesterday",
            "0",
            "1",
            "5",
            "10",
            "11",
            "-1",
            "3.5",
            "x",
            "phone",
            "chat",
            "rude, slow|billing;wait",
            "The agent was rude to me.",
            "Konsultant był niemiły; przykro mi.",
            "کارشناس بی‌ادب بود.",
            'she said "no", then hung up',
            "line one\nline two",
            "en",
            "pl",
            "fa",
            "helpdesk",
            "bad source!",
            "T-1",
            "T-1",
            "=cmd|' /C calc'!A0",
            "\x00",
            "\ufeff",
            "x" * 10_050,
        ]
    ),
    st.text(max_size=30),
)
#: Cells that mostly fit their column, so that some rows are valid and get written.
PLAUSIBLE = {
    name: st.one_of(*[fitting] * 9, CELLS)
    for name, fitting in {
        "employee": st.sampled_from(["A1", "A2", "agent2@example.com"]),
        "agent_email": st.sampled_from(EMAILS),
        "occurred_at": st.sampled_from(["2026-03-01 10:00", "2026-02-28T23:59:59Z"]),
        "csat": st.integers(1, 5).map(str),
        "nps": st.integers(0, 10).map(str),
        "comment": st.text(max_size=80),
    }.items()
}
OTHER_CELLS = st.one_of(*[st.just("")] * 4, CELLS)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1250", "windows-1256"])
#: What the person uploading says the encoding is: nothing, something real, or nonsense.
ENCODING_GIVEN = st.sampled_from([None] * 6 + ["cp1250", "windows-1256", "utf-16", "klingon"])


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """Return a CSV file: a header of real, aliased and unknown columns, then rows of cells."""
    header = draw(st.lists(COLUMNS, min_size=1, max_size=8))
    if draw(st.integers(0, 3)):
        # Mostly a header the importer accepts, so rows get validated and written too.
        required = [draw(st.sampled_from(["employee", "agent_email", "Employee"])), "occurred_at"]
        extra = draw(st.lists(EXTRA_COLUMNS, max_size=4, unique_by=str.casefold))
        header = draw(st.permutations(required + extra))
    width = len(header)
    row = st.tuples(*(PLAUSIBLE.get(name.strip().casefold(), OTHER_CELLS) for name in header)).map(
        list
    )
    ragged = st.lists(CELLS, min_size=max(0, width - 2), max_size=width + 2)
    rows = draw(st.lists(st.one_of(row, row, ragged), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    buffer = io.StringIO(newline="")
    if quoting == csv.QUOTE_NONE:
        # Cells joined without any quoting: delimiters and line breaks inside cells misshape rows.
        buffer.write("\r\n".join(delimiter.join(cells) for cells in [header, *rows]))
    else:
        csv.writer(buffer, delimiter=delimiter, quoting=quoting).writerows([header, *rows])
    text = buffer.getvalue()
    encoding = draw(ENCODINGS)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@pytest.fixture
def agents(session: Session) -> None:
    """Add two agents the generated rows can name (by external id A1/A2 or e-mail)."""
    team = factories.team(session, "Phone")
    for number, email in enumerate(EMAILS, start=1):
        agent = factories.employee(session, team=team, email=email)
        agent.external_id = f"A{number}"
    session.commit()


def _counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(  # type: ignore[return-value]
        session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (FeedbackItem, FeedbackImport, FeedbackTheme)
    )


def _lines(data: bytes) -> int:
    """Return an upper bound of the lines in ``data`` however it is decoded."""
    for encoding in ("utf-8-sig", "utf-16", "cp1250"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return max(len(text.splitlines()), data.count(b"\n") + 1, 1)
    return data.count(b"\n") + 1


@fuzz_settings()
@given(
    data=st.one_of(csv_files(), csv_files(), csv_files(), st.binary(max_size=300)),
    encoding=ENCODING_GIVEN,
    skip_invalid=st.booleans(),
    dry_run=st.booleans(),
)
@example(data=b"", encoding=None, skip_invalid=False, dry_run=False)
@example(data=b"employee;occurred_at\n\xff\xfe", encoding=None, skip_invalid=False, dry_run=False)
@example(
    data=b'employee,occurred_at,csat\nA1,2026-03-01,"5\nA2,2026-03-01,1',
    encoding=None,
    skip_invalid=False,
    dry_run=False,
)
@example(
    data=b"employee;occurred_at;csat\nA1;2026-03-01 10:00;5\nA2;2026-03-01;9\n",
    encoding=None,
    skip_invalid=True,
    dry_run=False,
)
def test_any_file_is_imported_all_or_nothing_with_problems_by_line_and_column(
    session: Session,
    agents: None,
    data: bytes,
    encoding: str | None,
    skip_invalid: bool,
    dry_run: bool,
) -> None:
    """Test that any bytes give a report, never an exception; a refused or dry run writes
    nothing, a written one exactly what it reports; every problem names a line in the file
    and, when it names a field, a real feedback column."""
    before = _counts(session)
    report = import_feedback_file(
        session,
        data,
        filename="fuzz.csv",
        encoding=encoding,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        now=NOW,
    )
    items, imports, _themes = _counts(session)
    # Shown by --hypothesis-show-statistics: the generator must reach every outcome.
    event("unreadable" if report.unreadable else "written" if report.written else "not written")

    if report.refused or dry_run or not report.written:
        assert not report.written
        assert _counts(session) == before, report.problems
    else:
        assert (items, imports) == (before[0] + report.created, before[1] + 1)
        assert report.invalid_rows == 0 or skip_invalid

    lines = _lines(data)
    for problem in report.problems:
        if problem.field == "encoding" and encoding == "klingon":
            continue  # the encoding's name is wrong, not a line of the file
        assert problem.line is not None, problem
        assert 1 <= problem.line <= lines, (problem, lines)
        assert str(problem).startswith(f"line {problem.line}: "), problem
        assert problem.field in (*FEEDBACK_FIELDS, "encoding", None), problem


GOOD_ROW = st.fixed_dictionaries(
    {
        "employee": st.sampled_from(["A1", "A2", *EMAILS]),
        "occurred_at": st.datetimes(
            min_value=datetime(2025, 1, 1), max_value=datetime(2026, 3, 1)
        ).map(lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S")),
        "csat": st.integers(1, 5).map(str),
        "nps": st.sampled_from(["", *map(str, range(11))]),
        "comment": st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=60
        ),
        "tags": st.sampled_from(["", "rude", "billing|wait"]),
    }
)
#: A cell the importer must refuse, for each column it can spoil.
BAD_CELLS = {
    "employee": st.sampled_from(["nobody", "", "A3"]),
    "occurred_at": st.sampled_from(["yesterday", "2026-13-01", "2099-01-01", ""]),
    "csat": st.sampled_from(["0", "6", "x", "3.5", "-1"]),
    "nps": st.sampled_from(["11", "-1", "ten"]),
    "comment": st.just("x" * 10_001),
}


@fuzz_settings()
@given(
    rows=st.lists(GOOD_ROW, min_size=1, max_size=8),
    spoil=st.none() | st.tuples(st.integers(0, 7), st.sampled_from(sorted(BAD_CELLS))),
    bad=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_one_bad_cell_refuses_the_file_and_names_its_line_and_column(
    session: Session,
    agents: None,
    rows: list[dict[str, str]],
    spoil: tuple[int, str] | None,
    bad: st.DataObject,
    delimiter: str,
    encoding: str,
) -> None:
    """Test that well-formed rows are all written, and that one spoilt cell writes nothing
    and is reported at its own line and column."""
    batch = uuid.uuid4().hex[:8]  # examples share the database: each writes new items
    for number, row in enumerate(rows):
        row["external_id"] = f"fuzz-{batch}-{number}"  # rows may coincide; ids keep them apart
    if spoil is not None:
        index, column = spoil[0] % len(rows), spoil[1]
        rows[index][column] = bad.draw(BAD_CELLS[column], label="bad cell")
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    before = _counts(session)

    report = import_feedback_file(session, data, now=NOW, apply_rules=False)

    if spoil is None:
        assert report.problems == [] and report.written
        assert report.created == len(rows)
        assert _counts(session)[0] == before[0] + len(rows)
        return
    assert not report.written and _counts(session) == before
    # Line of the spoilt row: the header is line 1, and a comment may span several lines.
    first_line = 2 + sum(
        row["comment"].count("\n") + row["comment"].count("\r") for row in rows[:index]
    )
    assert any(
        problem.field == column and problem.line is not None and problem.line >= first_line
        for problem in report.problems
    ), (index, column, report.problems)
    assert all(problem.line is not None for problem in report.problems)
