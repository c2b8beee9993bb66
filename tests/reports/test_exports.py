"""Exports: the team and organisation reports as CSV (UTF-8 with BOM) and as PDF."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from tests.reports.conftest import sign_in


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_team_csv_has_a_bom_a_header_and_every_row(client, org) -> None:
    """Test that the CSV starts with a BOM, keeps Persian and Polish names, lists statuses."""
    sign_in(client, org.manager)
    response = client.get("/cx/manager/readiness.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response.data)
    assert header[:3] == ["Name", "Email", "Team"] and "Communication: status" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"Ola Zielińska", "کامران مرادی", "Sofia Marques"}
    assert by_name["Ola Zielińska"]["Communication: status"] == "Ready"
    assert by_name["Ola Zielińska"]["Communication: score %"] == "95"
    assert by_name["Sofia Marques"]["Communication: why refresh"] == "a certificate has expired"
    assert by_name["کامران مرادی"]["Overdue assignments"] == "1"


def test_team_csv_follows_the_filters(client, org) -> None:
    """Test that the CSV lists the filtered rows, and only the filtered track's columns."""
    sign_in(client, org.manager)
    header, *rows = read_csv(
        client.get("/cx/manager/readiness.csv?overdue=1&track=communication").data
    )
    assert [row[0] for row in rows] == ["کامران مرادی"]
    assert not any(column.startswith("Problem solving") for column in header)


def test_team_pdf_holds_the_team_and_its_charts(client, org) -> None:
    """Test that the PDF's text holds the team's names, the summary and the chart's numbers."""
    sign_in(client, org.manager)
    response = client.get("/cx/manager/readiness.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Team readiness", "Ola Zielińska", "Sofia Marques", "Ready, by track", "100%"):
        assert expected in text, expected
    assert "Piotr Lewandowski" not in text


def test_organisation_report_exports(client, org, login_as) -> None:
    """Test that an administrator gets the organisation report as a page, CSV and PDF."""
    login_as("admin")
    page = client.get("/cx/manager/organisation").get_data(as_text=True)
    assert "Organisation readiness" in page and "Frontline Phone" in page
    header, *rows = read_csv(client.get("/cx/manager/organisation.csv").data)
    by_team = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_team["Frontline Phone"]["People"] == "2"
    assert by_team["Frontline Phone"]["Communication: ready"] == "1"
    assert by_team["Frontline Phone"]["Communication: needs refresh"] == "1"
    assert by_team["Sales"]["Communication: ready %"] == "100"
    assert by_team["Whole organisation"]["Onboarding late"] == "1"
    text = pdf_text(client.get("/cx/manager/organisation.pdf").data)
    assert "Organisation readiness" in text and "Digital Channels" in text
