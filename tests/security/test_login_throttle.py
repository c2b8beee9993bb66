"""Password guessing is slowed down: an email, or an address, is locked after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from lms_cx.db import utcnow
from lms_cx.services.login_throttle import (
    ThrottlePolicy,
    locked_until,
    record_failure,
    throttle_keys,
)
from tests import factories

LOGIN = "/cx/account/login"


def _sign_in(client, email: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_email_is_locked_after_five_failures_even_for_the_right_password(client, session) -> None:
    """Test that the sixth attempt after five wrong passwords is refused with 429 and a wait."""
    factories.employee(session, email="ana@example.com")
    session.commit()
    for _attempt in range(5):
        assert _sign_in(client, "ana@example.com", "guess").status_code == 401
    response = _sign_in(client, "ana@example.com", factories.PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed sign-ins. Try again in 15 minutes." in page
    assert 'id="password-error"' in page


def test_unknown_email_is_locked_the_same_way(client) -> None:
    """Test that a lock does not reveal whether an account exists."""
    for _attempt in range(5):
        assert _sign_in(client, "nobody@example.com", "guess").status_code == 401
    assert _sign_in(client, "nobody@example.com", "guess").status_code == 429


def test_success_clears_the_failures_of_that_email(client, session) -> None:
    """Test that signing in correctly resets the count, so earlier typos do not add up."""
    factories.employee(session, email="bo@example.com")
    session.commit()
    for _attempt in range(4):
        _sign_in(client, "bo@example.com", "typo")
    assert _sign_in(client, "bo@example.com", factories.PASSWORD).status_code == 302
    client.post("/cx/account/logout")
    for _attempt in range(4):
        assert _sign_in(client, "bo@example.com", "typo").status_code == 401
    assert _sign_in(client, "bo@example.com", factories.PASSWORD).status_code == 302


def test_one_address_trying_many_emails_is_locked(app, client, session) -> None:
    """Test that an address is locked after the per-address limit across different emails."""
    app.config["LMS_CX_LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    factories.employee(session, email="cy@example.com")
    session.commit()
    for number in range(6):
        _sign_in(client, f"user{number}@example.com", "guess", address="198.51.100.9")
    assert _sign_in(client, "cy@example.com", factories.PASSWORD, "198.51.100.9").status_code == 429
    # Another machine can still sign in to that account.
    assert (
        _sign_in(client, "cy@example.com", factories.PASSWORD, "198.51.100.10").status_code == 302
    )


def test_lock_ends_after_the_lock_period(app, session) -> None:
    """Test that a lock expires, and that failures older than the window are forgotten."""
    policy = ThrottlePolicy(max_per_email=2, max_per_address=100, lock_seconds=60)
    keys = throttle_keys("Dee@Example.com ", "192.0.2.1")
    start = utcnow()
    with app.app_context():
        record_failure(session, keys, policy, now=start)
        record_failure(session, keys, policy, now=start + timedelta(seconds=61))
        assert locked_until(session, keys, now=start + timedelta(seconds=62)) is None
        record_failure(session, keys, policy, now=start + timedelta(seconds=70))
        ends = locked_until(session, keys, now=start + timedelta(seconds=71))
        assert ends == start + timedelta(seconds=130)
        assert locked_until(session, keys, now=start + timedelta(seconds=131)) is None


def test_emails_are_not_stored_in_clear() -> None:
    """Test that the throttle keys hold a hash of the email, normalised, never the email."""
    keys = throttle_keys(" Ana@Example.com", "192.0.2.1")
    assert keys == throttle_keys("ana@example.com", "192.0.2.1")
    assert "ana" not in keys["email"]
