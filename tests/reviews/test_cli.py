"""``flask lms-cx reviews``: compute a cycle, close it, deliver the webhooks from a scheduler."""

from __future__ import annotations

from lms_cx.services.review_cycles import create_cycle
from lms_cx.services.review_webhooks import create_webhook
from tests.reviews.conftest import PERIOD


def test_generate_close_and_deliver_from_the_command_line(runner, session, org, receiver) -> None:
    """Test the three commands on the quarter, the receiver checking every signature."""
    cycle = create_cycle(
        session,
        name="Q1",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        population={"team_ids": [org.phone.id]},
    )
    receiver.secret = create_webhook(session, "HR", receiver.url).secret
    result = runner.invoke(args=["lms-cx", "reviews", "generate", str(cycle.id)])
    assert result.exit_code == 0 and "3 created" in result.output
    result = runner.invoke(args=["lms-cx", "reviews", "close", str(cycle.id)])
    assert result.exit_code == 0 and "3 webhook deliveries queued" in result.output
    result = runner.invoke(args=["lms-cx", "reviews", "deliver"])
    assert "3 delivered, 0 to retry, 0 dead." in result.output
    assert len(receiver.received) == 3 and receiver.refused == 0
    again = runner.invoke(args=["lms-cx", "reviews", "generate", str(cycle.id)])
    assert again.exit_code != 0 and "closed" in again.output
    missing = runner.invoke(args=["lms-cx", "reviews", "generate", "987654"])
    assert missing.exit_code != 0 and "no review cycle 987654" in missing.output
