"""Done when: the demo organisation's cycle gives packets whose numbers match an independent
computation, PDFs whose extracted text holds those numbers (and the Persian and Polish
comments), and a webhook that delivers each packet to a local receiver with a valid signature.
"""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal

from lms_cx.db import utcnow
from lms_cx.models import FeedbackItem, WebhookDelivery
from lms_cx.models.people import Employee
from lms_cx.services.demo import DEMO_PASSWORD, demo_email, load_demo
from lms_cx.services.review_cycles import (
    ReviewSettings,
    close_cycle,
    create_cycle,
    finalize_packets,
    generate_packets,
)
from lms_cx.services.review_webhooks import (
    DeliverySettings,
    body_bytes,
    create_webhook,
    deliver_webhooks,
    signature,
    verify_signature,
)
from tests.reviews.conftest import NOW, OLA_FEEDBACK, pdf_form, pdf_text, quoted_in
from tests.reviews.test_pages import packet_of, sign_in


def one_decimal(value: float, locale: str = "en") -> str:
    return format_decimal(round(value * 10) / 10, format="0.0", locale=locale)


def test_the_demo_cycle_matches_an_independent_computation(app, session, client) -> None:
    """Test every demo agent's counts, CSAT and NPS against the raw items, then their PDFs."""
    now = utcnow()
    load_demo(session, now)
    start, end = (now - timedelta(days=59)).date(), now.date()
    cycle = create_cycle(session, name="Autumn review", period_start=start, period_end=end)
    generate_packets(session, cycle, ReviewSettings.from_config(app.config), now)
    agents = session.scalars(
        sa.select(Employee).where(
            Employee.job_role == "agent", Employee.email.like("%@brightwave.example")
        )
    ).all()
    assert len(agents) == 8
    client.post("/cx/account/login", data={"email": demo_email("admin"), "password": DEMO_PASSWORD})
    checked = 0
    for agent in agents:
        items = session.scalars(
            sa.select(FeedbackItem).where(FeedbackItem.employee_id == agent.id)
        ).all()
        in_period = [i for i in items if start <= i.occurred_at.date() <= end]
        packet = packet_of(session, cycle, agent)
        feedback = packet.data["feedback"]
        assert feedback["count"] == len(in_period)
        csat = [i.csat for i in in_period if i.csat is not None]
        nps = [i.nps for i in in_period if i.nps is not None]
        assert feedback["positive"] == sum(score >= 4 for score in csat)
        assert feedback["negative"] == sum(score <= 2 for score in csat)
        text = pdf_text(client.get(f"/cx/reviews/packets/{packet.id}.pdf").data)
        assert agent.display_name in text
        if len(csat) < 5:
            assert feedback["csat"]["value"] is None
            assert "Not enough data" in text
            continue
        mean = statistics.fmean(csat)
        score = 100 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps)
        assert feedback["csat"]["value"] == pytest.approx(mean, abs=1e-4)
        assert feedback["nps"]["value"] == pytest.approx(score, abs=1e-4)
        assert f"{one_decimal(mean)} (95% interval" in text
        assert f"{one_decimal(score)} (95% interval" in text
        assert f"Feedback items {len(in_period)}" in " ".join(text.split())
        if packet.readiness_index is not None:
            assert one_decimal(packet.readiness_index) in text
        for compliment in feedback["compliments"]:
            assert quoted_in(compliment["comment"], text)
        checked += 1
    assert checked >= 5


def test_the_pdf_quotes_polish_and_persian_comments(client, session, org, cycle) -> None:
    """Test Ola's Polish compliments and Kamran's Persian one in their PDFs' text."""
    sign_in(client, org.admin)
    ola = pdf_text(
        client.get(f"/cx/reviews/packets/{packet_of(session, cycle, org.ola).id}.pdf").data
    )
    assert "Świetna znajomość nowych pakietów." in ola
    assert "Konsultantka cierpliwie wytłumaczyła fakturę." in ola
    flat = " ".join(ola.split())
    assert "Required assignments due" in flat and "Feedback items 8 6" in flat
    assert "3.6 (95% interval" in ola  # CSAT mean 3.625
    kamran = pdf_text(
        client.get(f"/cx/reviews/packets/{packet_of(session, cycle, org.kamran).id}.pdf").data
    )
    assert pdf_form("برخورد بسیار محترمانه و دلسوزانه بود") in pdf_form(kamran)
    assert "Not enough data (3 responses)" in " ".join(kamran.split())


def test_the_webhook_delivers_each_finalized_packet_signed(
    session, org, cycle, receiver, app
) -> None:
    """Test closing the cycle posts every packet once to a receiver that checks the HMAC."""
    hook = create_webhook(session, "HR system", receiver.url)
    receiver.secret = hook.secret
    queued = close_cycle(session, cycle, NOW)
    assert len(queued) == 4
    settings = DeliverySettings.from_config(app.config)
    run = deliver_webhooks(session, settings, delivery_ids=queued)
    assert (run.delivered, run.failed, run.dead, receiver.refused) == (4, 0, 0, 0)
    names = sorted(r["body"]["packet"]["employee"]["name"] for r in receiver.received)
    assert names == ["Kamran Moradi", "Ola Zielińska", "Piotr Lewandowski", "Sofia Marques"]
    ola = next(
        r["body"]["packet"]
        for r in receiver.received
        if r["body"]["packet"]["employee"]["id"] == org.ola.id
    )
    assert ola["feedback"]["count"] == len(OLA_FEEDBACK)
    assert ola["finalized_at"] is not None
    assert {r["event"] for r in receiver.received} == {"review_packet.finalized"}
    # Finalizing again, or running the worker again, sends nothing twice.
    assert finalize_packets(session, list(cycle.packets)) == []
    assert deliver_webhooks(session, settings).delivered == 0
    assert len(receiver.received) == 4


def test_a_failing_receiver_is_retried_then_given_up_on(session, org, cycle, receiver, app) -> None:
    """Test a 503 schedules a retry with backoff, and the last failure marks the delivery dead."""
    hook = create_webhook(session, "HR system", receiver.url)
    receiver.secret = hook.secret
    packet = packet_of(session, cycle, org.ola)
    (delivery_id,) = finalize_packets(session, [packet], NOW)
    settings = DeliverySettings(timeout=5, max_attempts=2, backoff_seconds=60)
    receiver.fail_next = 5
    now = utcnow()
    assert deliver_webhooks(session, settings, now=now).failed == 1
    delivery = session.get(WebhookDelivery, delivery_id)
    session.refresh(delivery)
    assert delivery.status == "pending" and "HTTP 503" in delivery.last_error
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    assert deliver_webhooks(session, settings, now=now).failed == 0  # not due yet
    assert deliver_webhooks(session, settings, now=now + timedelta(seconds=61)).dead == 1
    session.refresh(delivery)
    assert delivery.status == "dead" and delivery.attempts == 2


def test_a_wrong_secret_is_refused_by_the_receiver(session, org, cycle, receiver, app) -> None:
    """Test the receiver really checks: a webhook whose secret it does not know is refused."""
    create_webhook(session, "HR system", receiver.url)
    receiver.secret = "whsec_not-the-one"
    queued = finalize_packets(session, [packet_of(session, cycle, org.ola)], NOW)
    run = deliver_webhooks(session, DeliverySettings(5, 3, 60), delivery_ids=queued)
    assert run.failed == 1 and receiver.refused == 1 and receiver.received == []


def test_signatures_verify_and_reject_tampering_and_old_times() -> None:
    """Test verify_signature: the right body passes; a changed body or stale time does not."""
    body = body_bytes({"packet": {"comment": "Dziękuję"}})
    header = signature("s3cret", 1_700_000_000, body)
    assert verify_signature("s3cret", header, body, now=1_700_000_100)
    assert not verify_signature("s3cret", header, body + b" ", now=1_700_000_100)
    assert not verify_signature("other", header, body, now=1_700_000_100)
    assert not verify_signature("s3cret", header, body, now=1_700_001_000)


def test_the_webhooks_page_shows_the_secret_once(client, session, org, receiver) -> None:
    """Test HR adds a webhook: the secret is on the answer page, never on the list again."""
    sign_in(client, org.admin)
    bad = client.post("/cx/reviews/webhooks", data={"name": "HR", "url": "ftp://hr.example"})
    assert bad.status_code == 422 and "http:// or https://" in bad.get_data(as_text=True)
    page = client.post("/cx/reviews/webhooks", data={"name": "HR", "url": receiver.url})
    text = page.get_data(as_text=True)
    secret = text.split('class="secret" dir="ltr">')[1].split("<")[0]
    assert secret.startswith("whsec_")
    assert secret not in client.get("/cx/reviews/webhooks").get_data(as_text=True)
