"""Session cookies in production: Secure, HttpOnly and SameSite, and the CSRF token required."""

from __future__ import annotations

import re

from lms_cx.db import Base, get_session
from tests import factories
from tests.conftest import make_app


def _production_app(database_url: str, tmp_path):
    app = make_app(
        database_url,
        TESTING=False,
        WTF_CSRF_ENABLED=True,
        SECRET_KEY="a-production-secret-key-of-decent-length",
        SERVER_NAME=None,
    )
    # make_app forces test settings; the cookie flags are decided by create_app from TESTING.
    app.config["SESSION_COOKIE_SECURE"] = True
    return app


def test_sign_in_cookie_is_secure_httponly_and_lax(database_url, tmp_path) -> None:
    """Test that the cookie set by signing in carries Secure, HttpOnly and SameSite=Lax."""
    app = _production_app(database_url, tmp_path)
    with app.app_context():
        factories.employee(get_session(), email="ana@example.com")
        get_session().commit()
    client = app.test_client()
    page = client.get("/cx/account/login", base_url="https://lms.test").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "the sign-in form carries a CSRF token"
    response = client.post(
        "/cx/account/login",
        base_url="https://lms.test",
        # Over HTTPS, Flask-WTF also checks that the form was posted from this site.
        headers={"Referer": "https://lms.test/cx/account/login"},
        data={
            "email": "ana@example.com",
            "password": factories.PASSWORD,
            "remember": "y",
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token"):
        cookie = next(c for c in cookies if c.startswith(f"{name}="))
        assert "Secure" in cookie, cookie
        assert "HttpOnly" in cookie, cookie
        assert "SameSite=Lax" in cookie, cookie
    with app.app_context():
        Base.metadata.drop_all(app.extensions["sqlalchemy"].engine)


def test_sign_in_without_csrf_token_is_refused(database_url, tmp_path) -> None:
    """Test that a sign-in POST without the CSRF token is refused and signs nobody in."""
    app = _production_app(database_url, tmp_path)
    with app.app_context():
        factories.employee(get_session(), email="bo@example.com")
        get_session().commit()
    response = app.test_client().post(
        "/cx/account/login",
        base_url="https://lms.test",
        data={"email": "bo@example.com", "password": factories.PASSWORD},
    )
    assert response.status_code == 400
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
