"""Importing feedback from CSV files: counts, idempotence, bad rows, encodings, delimiters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lms_cx.models import FeedbackImport, FeedbackItem, FeedbackTheme, Track
from lms_cx.services.feedback_csv import (
    decode_feedback_file,
    detect_delimiter,
    import_feedback_file,
)
from tests.feedback.conftest import HEADER, csv_bytes, generate_feedback_file


def _row(employee: str, when: str, **fields: str) -> list[str]:
    values = {"employee": employee, "occurred_at": when, **fields}
    return [values.get(name, "") for name in HEADER]


def test_realistic_file_imports_with_expected_counts_and_themes(session, org, now) -> None:
    """Test that a 3,000-row en/pl/fa file with `;` and a BOM imports every row and theme."""
    generated = generate_feedback_file([*org.agents, org.outsider], 3000, now)
    assert generated.data.startswith(b"\xef\xbb\xbf")
    report = import_feedback_file(session, generated.data, filename="helpdesk.csv", now=now)
    assert report.problems == []
    assert (report.encoding, report.delimiter) == ("utf-8-sig", ";")
    assert (report.rows_total, report.created, report.updated, report.unchanged) == (
        3000,
        3000,
        0,
        0,
    )
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 3000
    languages = dict(
        session.execute(
            sa.select(FeedbackItem.language, sa.func.count())
            .where(FeedbackItem.language.is_not(None))
            .group_by(FeedbackItem.language)
        ).all()
    )
    assert languages == generated.languages
    themes = set(
        session.execute(
            sa.select(FeedbackItem.external_id, Track.code)
            .join(FeedbackTheme, FeedbackTheme.feedback_item_id == FeedbackItem.id)
            .join(Track, Track.id == FeedbackTheme.track_id)
        ).all()
    )
    assert themes == generated.themes
    run = session.get(FeedbackImport, report.import_id)
    assert (run.filename, run.rows_total, run.created_count) == ("helpdesk.csv", 3000, 3000)


def test_importing_the_same_file_twice_changes_nothing(session, org, now, row_counts) -> None:
    """Test that a second import of the same file creates, updates and records nothing."""
    generated = generate_feedback_file([*org.agents, org.outsider], 400, now, seed=9)
    import_feedback_file(session, generated.data, now=now)
    before = row_counts()
    again = import_feedback_file(session, generated.data, now=now)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
    assert not again.written
    assert row_counts() == before


def test_changed_rows_update_their_items_and_themes(session, org, now) -> None:
    """Test that re-importing a row with new values updates the item found by source and id."""
    when = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    first = csv_bytes([_row("A1", when, csat="2", tags="billing", source="zd", external_id="9")])
    second = csv_bytes([_row("A1", when, csat="1", tags="tone", source="zd", external_id="9")])
    import_feedback_file(session, first, now=now)
    report = import_feedback_file(session, second, now=now)
    assert (report.created, report.updated) == (0, 1)
    item = session.scalar(sa.select(FeedbackItem))
    session.refresh(item)
    assert item.csat == 1 and item.tags == ["tone"]
    assert [theme.track.code for theme in item.themes] == ["communication"]


def test_bad_rows_are_each_named_and_nothing_is_imported(session, org, now, row_counts) -> None:
    """Test that every bad row is reported with its line and column, and nothing is written."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    data = csv_bytes(
        [
            _row("A1", ok, csat="5"),  # line 2
            _row("nobody", ok, csat="4"),  # line 3: unknown employee
            _row("A2", ok, csat="5"),  # line 4
            _row("A2", ok, csat="6"),  # line 5: CSAT out of range
            _row("A3", "31/02/2026", csat="3"),  # line 6: not a date
            _row("", ok, csat="3"),  # line 7: no employee
            _row("A4", ok, nps="abc", ces="9"),  # line 8: two bad columns
            _row("a1@none.example", ok, comment="Hi"),  # line 9: unknown email
        ]
    )
    before = row_counts()
    report = import_feedback_file(session, data, now=now)
    assert report.refused and not report.written
    assert report.bad_lines == [3, 5, 6, 7, 8, 9]
    named = {(problem.line, problem.field) for problem in report.problems}
    assert named == {
        (3, "employee"),
        (5, "csat"),
        (6, "occurred_at"),
        (7, "employee"),
        (8, "nps"),
        (8, "ces"),
        (9, "employee"),
    }
    assert "line 5: csat: must be a whole number from 1 to 5, not '6'" in map(str, report.problems)
    assert row_counts() == before


def test_skip_invalid_imports_the_good_rows(session, org, now) -> None:
    """Test that with skip_invalid the good rows are imported and the bad ones counted."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    data = csv_bytes([_row("A1", ok, csat="5"), _row("A1", ok, csat="0"), _row("A2", ok, csat="4")])
    report = import_feedback_file(session, data, skip_invalid=True, now=now)
    assert report.written and (report.created, report.invalid_rows) == (2, 1)
    assert report.bad_lines == [3]
    assert session.get(FeedbackImport, report.import_id).skipped_count == 1


def test_dry_run_reports_what_would_change_and_writes_nothing(
    session, org, now, row_counts
) -> None:
    """Test that a dry run counts new and changed rows without writing anything."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    import_feedback_file(session, csv_bytes([_row("A1", ok, csat="5", external_id="1")]), now=now)
    before = row_counts()
    data = csv_bytes(
        [_row("A1", ok, csat="4", external_id="1"), _row("A2", ok, csat="3", external_id="2")]
    )
    report = import_feedback_file(session, data, dry_run=True, now=now)
    assert (report.created, report.updated, report.unchanged, report.written) == (1, 1, 0, False)
    assert row_counts() == before


def test_cp1250_and_windows_1256_files_import_when_named(session, org, now) -> None:
    """Test that Polish and Persian Windows files import when their encoding is named."""
    ok = (now - timedelta(days=2)).strftime("%d.%m.%Y")
    polish = csv_bytes(
        [_row("A1", ok, csat="1", comment="Konsultant był niegrzeczny", external_id="p")],
        encoding="cp1250",
    )
    refused = import_feedback_file(session, polish, now=now)
    assert refused.unreadable and refused.problems[0].field == "encoding"
    assert "cp1250" in refused.problems[0].message
    assert import_feedback_file(session, polish, encoding="cp1250", now=now).created == 1
    # Windows-1256 has no Persian yeh: the file carries the Arabic one.
    persian = csv_bytes(
        [_row("A2", ok, csat="1", comment="كارشناس بي\u200cادب بود", external_id="f")],
        encoding="windows-1256",
    )
    assert import_feedback_file(session, persian, encoding="windows-1256", now=now).created == 1
    comments = {
        item.external_id: (item.comment, item.language, [t.track.code for t in item.themes])
        for item in session.scalars(sa.select(FeedbackItem))
    }
    assert comments["p"] == ("Konsultant był niegrzeczny", "pl", ["communication"])
    assert comments["f"][1:] == ("fa", ["communication"])


def test_delimiters_and_utf8_without_bom_are_detected(session, org, now) -> None:
    """Test that comma and tab files without a BOM import like semicolon files."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    for delimiter, external_id in ((",", "c"), ("\t", "t")):
        data = csv_bytes(
            [_row("A1", ok, csat="4", comment="Fine, thanks", external_id=external_id)],
            delimiter=delimiter,
            encoding="utf-8",
        )
        report = import_feedback_file(session, data, now=now)
        assert (report.delimiter, report.encoding, report.created) == (delimiter, "utf-8", 1)
    assert detect_delimiter('employee;"a,b";c') == ";"


def test_a_multi_line_comment_keeps_later_line_numbers_right(session, org, now) -> None:
    """Test that a quoted comment spanning lines does not shift the next rows' line numbers."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    data = csv_bytes(
        [_row("A1", ok, csat="4", comment="first line\nsecond line"), _row("A1", ok, csat="9")]
    )
    report = import_feedback_file(session, data, now=now)
    assert report.bad_lines == [4]


def test_a_header_without_required_columns_names_what_is_missing(session, org, now) -> None:
    """Test that a file lacking the employee column is refused at line 1, naming the column."""
    data = csv_bytes([["x", "2026-01-01"]], header=["who", "date"])
    report = import_feedback_file(session, data, now=now)
    assert report.unreadable
    problem = report.problems[0]
    assert (problem.line, problem.field) == (1, "employee")
    assert "who" in problem.message


def test_unknown_columns_are_ignored_with_a_warning(session, org, now) -> None:
    """Test that an extra spreadsheet column is reported as ignored, not as an error."""
    data = csv_bytes(
        [["A1", "2026-01-01", "5", "Subject"]],
        header=["Employee", "Date", "CSAT", "Ticket subject"],
    )
    report = import_feedback_file(session, data, now=datetime(2026, 2, 1, tzinfo=UTC))
    assert report.created == 1
    assert any("Ticket subject" in warning for warning in report.warnings)


def test_rows_without_external_id_are_not_duplicated(session, org, now) -> None:
    """Test that rows without an external id get a stable fingerprint id."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = csv_bytes([_row("A1", ok, csat="3", comment="Okay")])
    assert import_feedback_file(session, data, now=now).created == 1
    assert import_feedback_file(session, data, now=now).unchanged == 1
    assert session.scalar(sa.select(FeedbackItem.external_id)).startswith("auto:")


def test_duplicate_keys_within_a_file_are_bad_rows(session, org, now) -> None:
    """Test that the same source and external id twice in one file is reported on the second."""
    ok = (now - timedelta(days=2)).strftime("%Y-%m-%d")
    data = csv_bytes(
        [_row("A1", ok, csat="3", external_id="x"), _row("A2", ok, csat="4", external_id="x")]
    )
    report = import_feedback_file(session, data, now=now)
    assert report.bad_lines == [3]
    assert report.problems[0].field == "external_id" and "line 2" in report.problems[0].message


def test_decoding_utf16_with_a_byte_order_mark() -> None:
    """Test that Excel's UTF-16 "Unicode text" is read without being asked."""
    text, encoding, _warnings = decode_feedback_file("employee\toccurred_at\n".encode("utf-16"))
    assert encoding == "utf-16" and text.startswith("employee")


def test_an_import_takes_a_few_queries_not_one_per_row(session, org, now) -> None:
    """Test that the number of SQL statements does not grow with the rows of the file."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = session.get_bind()
    sizes = {}
    for rows, seed in ((300, 1), (1200, 2)):
        generated = generate_feedback_file([*org.agents, org.outsider], rows, now, seed=seed)
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            import_feedback_file(session, generated.data, source=f"s{seed}", now=now)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        sizes[rows] = len(statements)
    assert sizes[1200] < 60, sizes
    assert sizes[1200] - sizes[300] <= 20, sizes
