"""Review pages: who sees which packet, acknowledging, notes, finalizing, exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from lms_cx.models import ReviewCycle, ReviewNote, ReviewPacket
from tests import factories
from tests.reviews.conftest import PERIOD, pdf_text


def sign_in(client, employee) -> None:
    """Sign ``client`` in as ``employee``."""
    response = client.post(
        "/cx/account/login", data={"email": employee.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def packet_of(session, cycle, employee) -> ReviewPacket:
    return session.scalar(
        sa.select(ReviewPacket).where(
            ReviewPacket.cycle_id == cycle.id, ReviewPacket.employee_id == employee.id
        )
    )


def test_a_manager_sees_their_teams_and_sub_teams_only(client, session, org, cycle) -> None:
    """Test Maria: Ola, Sofia and the night shift's Kamran, not Chat's Piotr (404)."""
    sign_in(client, org.manager)
    page = client.get(f"/cx/reviews/cycles/{cycle.id}").get_data(as_text=True)
    assert "Ola Zielińska" in page and "Kamran Moradi" in page and "Sofia Marques" in page
    assert "Piotr Lewandowski" not in page
    for person, status in ((org.kamran, 200), (org.ola, 200), (org.piotr, 404)):
        packet = packet_of(session, cycle, person)
        assert client.get(f"/cx/reviews/packets/{packet.id}").status_code == status
        assert client.get(f"/cx/reviews/packets/{packet.id}.pdf").status_code == status
    assert client.get(f"/cx/reviews/cycles/{cycle.id}?team={org.chat.id}").status_code == 404
    narrowed = client.get(f"/cx/reviews/cycles/{cycle.id}?team={org.night.id}")
    assert "Kamran Moradi" in narrowed.get_data(as_text=True)
    assert "Ola Zielińska" not in narrowed.get_data(as_text=True)
    # CSV and JSON of the whole cycle are HR's.
    assert client.get(f"/cx/reviews/cycles/{cycle.id}/packets.csv").status_code == 403


def test_a_learner_sees_only_their_own_packet(client, session, org, cycle) -> None:
    """Test Ola: her packet listed and readable; Kamran's is not found; no cycle page."""
    sign_in(client, org.ola)
    index = client.get("/cx/reviews/").get_data(as_text=True)
    assert "Q1 2026" in index
    mine = packet_of(session, cycle, org.ola)
    assert client.get(f"/cx/reviews/packets/{mine.id}").status_code == 200
    other = packet_of(session, cycle, org.kamran)
    assert client.get(f"/cx/reviews/packets/{other.id}").status_code == 404
    assert client.get(f"/cx/reviews/packets/{other.id}.pdf").status_code == 404
    assert client.get(f"/cx/reviews/cycles/{cycle.id}").status_code == 403


def test_a_trainer_sees_no_review_data(client, session, org, cycle) -> None:
    """Test that a trainer gets no cycle and no one else's packet."""
    sign_in(client, org.trainer)
    assert client.get(f"/cx/reviews/cycles/{cycle.id}").status_code == 403
    packet = packet_of(session, cycle, org.ola)
    assert client.get(f"/cx/reviews/packets/{packet.id}").status_code == 404
    assert "Q1 2026" not in client.get("/cx/reviews/").get_data(as_text=True)


def test_a_draft_cycle_is_hidden_from_employees_and_managers(client, session, org) -> None:
    """Test that before HR opens a cycle only HR sees it."""
    from lms_cx.services.review_cycles import create_cycle

    draft = create_cycle(session, name="Draft", period_start=PERIOD[0], period_end=PERIOD[1])
    sign_in(client, org.manager)
    assert client.get(f"/cx/reviews/cycles/{draft.id}").status_code == 404


def test_the_employee_acknowledges_and_the_manager_adds_a_note(client, session, org, cycle) -> None:
    """Test acknowledgement with a Persian comment, a manager's note, and who may do which."""
    packet = packet_of(session, cycle, org.kamran)
    sign_in(client, org.kamran)
    response = client.post(
        f"/cx/reviews/packets/{packet.id}/acknowledge", data={"comment": "با سپاس از بازخورد."}
    )
    assert response.status_code == 302
    assert client.post(
        f"/cx/reviews/packets/{packet.id}/notes", data={"body": "x"}
    ).status_code in (403,)
    session.refresh(packet)
    assert packet.acknowledged_at is not None and packet.employee_comment == "با سپاس از بازخورد."
    client.post("/cx/account/logout")
    sign_in(client, org.manager)
    assert client.post(f"/cx/reviews/packets/{packet.id}/acknowledge", data={}).status_code == 403
    client.post(f"/cx/reviews/packets/{packet.id}/notes", data={"body": "Great progress on tone."})
    note = session.scalar(sa.select(ReviewNote).where(ReviewNote.packet_id == packet.id))
    assert note.body == "Great progress on tone." and note.author_id == org.manager.id
    page = client.get(f"/cx/reviews/packets/{packet.id}").get_data(as_text=True)
    assert "Great progress on tone." in page and "با سپاس از بازخورد." in page


def test_hr_creates_generates_finalizes_and_closes_a_cycle(client, session, org) -> None:
    """Test the HR journey through the pages, a bad period refused with its field named."""
    sign_in(client, org.admin)
    bad = client.post(
        "/cx/reviews/cycles/new",
        data={"name": "Q1", "period_start": "2026-03-31", "period_end": "2026-01-01"},
    )
    assert bad.status_code == 422
    assert "the period must end on or after its first day" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(ReviewCycle)) == 0
    created = client.post(
        "/cx/reviews/cycles/new",
        data={
            "name": "Q1 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "team_ids": [str(org.phone.id)],
            "job_roles": "",
            "previous_cycle_id": "",
        },
    )
    assert created.status_code == 302
    cycle = session.scalar(sa.select(ReviewCycle))
    assert cycle.population == {"team_ids": [org.phone.id]}
    client.post(f"/cx/reviews/cycles/{cycle.id}/generate")
    session.expire_all()
    assert {p.employee_id for p in cycle.packets} == {org.ola.id, org.kamran.id, org.sofia.id}
    ola = packet_of(session, cycle, org.ola)
    client.post(f"/cx/reviews/packets/{ola.id}/finalize")
    session.refresh(ola)
    assert ola.finalized_at is not None
    client.post(f"/cx/reviews/cycles/{cycle.id}/close")
    session.expire_all()
    assert cycle.status == "closed"
    assert all(packet.finalized_at for packet in cycle.packets)


def test_csv_and_json_exports_hold_every_packet(client, session, org, cycle) -> None:
    """Test the CSV (BOM, one row per packet, empty cells for thin data) and the JSON."""
    sign_in(client, org.admin)
    response = client.get(f"/cx/reviews/cycles/{cycle.id}/packets.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Ola Zielińska", "Kamran Moradi", "Sofia Marques", "Piotr Lewandowski"}
    assert by_name["Ola Zielińska"]["feedback_count"] == "8"
    assert float(by_name["Ola Zielińska"]["csat_mean"]) == pytest.approx(3.625)
    assert by_name["Kamran Moradi"]["csat_mean"] == "" and by_name["Kamran Moradi"]["nps"] == ""
    document = json.loads(client.get(f"/cx/reviews/cycles/{cycle.id}/packets.json").data)
    assert document["cycle"]["name"] == "Q1 2026"
    kamran = next(p for p in document["packets"] if p["employee"]["name"] == "Kamran Moradi")
    assert kamran["feedback"]["csat"]["value"] is None
    assert "برخورد بسیار محترمانه و دلسوزانه بود." in [
        c["comment"] for c in kamran["feedback"]["compliments"]
    ]


def test_the_zip_holds_one_pdf_per_packet_by_team(client, session, org, cycle) -> None:
    """Test the manager's ZIP of one team: its packets' PDFs, each the person's own."""
    sign_in(client, org.manager)
    response = client.get(f"/cx/reviews/cycles/{cycle.id}/packets.zip?team={org.night.id}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    (name,) = archive.namelist()
    assert name.startswith("night-shift/") and name.endswith(".pdf")
    assert "Kamran Moradi" in pdf_text(archive.read(name))
    everyone = zipfile.ZipFile(
        io.BytesIO(client.get(f"/cx/reviews/cycles/{cycle.id}/packets.zip").data)
    )
    assert len(everyone.namelist()) == 3


def test_a_comment_that_looks_like_a_formula_stays_text_in_the_csv(
    client, session, org, cycle
) -> None:
    """Test that an employee's comment starting with '=' is not a formula to a spreadsheet."""
    packet = packet_of(session, cycle, org.kamran)
    sign_in(client, org.kamran)
    formula = '=HYPERLINK("http://evil.example","open")'
    client.post(f"/cx/reviews/packets/{packet.id}/acknowledge", data={"comment": formula})
    client.post("/cx/account/logout")
    sign_in(client, org.admin)
    response = client.get(f"/cx/reviews/cycles/{cycle.id}/packets.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    kamran = next(row for row in rows if row["name"] == "Kamran Moradi")
    assert kamran["employee_comment"] == "'" + formula
    document = json.loads(client.get(f"/cx/reviews/cycles/{cycle.id}/packets.json").data)
    by_name = {p["employee"]["name"]: p for p in document["packets"]}
    assert by_name["Kamran Moradi"]["employee_comment"] == formula
