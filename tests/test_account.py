"""The standalone app's own sign-in, sign-out and role homes."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import make_app


def test_login_page_renders_a_labelled_form(client) -> None:
    """Test that the sign-in page has labelled email and password fields."""
    page = client.get("/cx/account/login").get_data(as_text=True)
    assert '<label for="email">' in page
    assert '<label for="password">' in page
    assert 'dir="ltr"' in page


def test_anonymous_visitor_is_sent_to_sign_in(client) -> None:
    """Test that lms_cx pages redirect anonymous visitors to the sign-in page with next=."""
    response = client.get("/cx/learn/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/cx/account/login?next=")


def test_wrong_password_is_refused_next_to_the_field(client, session) -> None:
    """Test that a wrong password gets 401 and a message at the password field."""
    factories.employee(session, email="ana@example.com")
    session.commit()
    response = client.post(
        "/cx/account/login", data={"email": "ana@example.com", "password": "wrong password"}
    )
    assert response.status_code == 401
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_missing_fields_are_named(client) -> None:
    """Test that an empty form names both missing fields."""
    page = client.post("/cx/account/login", data={}).get_data(as_text=True)
    assert "Enter your email address." in page
    assert "Enter your password." in page


def test_inactive_employee_cannot_sign_in(client, session) -> None:
    """Test that a deactivated employee is refused even with the right password."""
    employee = factories.employee(session, email="gone@example.com")
    employee.is_active = False
    session.commit()
    response = client.post(
        "/cx/account/login", data={"email": "gone@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 401


def test_next_parameter_never_leaves_the_site(client, session) -> None:
    """Test that ?next= pointing elsewhere is replaced by lms_cx's home (no open redirect)."""
    factories.employee(session, email="bo@example.com")
    session.commit()
    response = client.post(
        "/cx/account/login?next=https://evil.example/phish",
        data={"email": "bo@example.com", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/cx/"


@pytest.mark.parametrize(
    ("roles", "home"),
    [
        (("learner",), "/cx/learn/"),
        (("trainer", "learner"), "/cx/trainer/"),
        (("manager", "learner"), "/cx/manager/"),
        (("admin",), "/cx/admin/"),
    ],
)
def test_each_role_lands_on_its_home(client, login_as, roles, home) -> None:
    """Test that /cx/ sends each role to its home and that the home renders."""
    login_as(*roles)
    response = client.get("/cx/")
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


@pytest.mark.parametrize("path", ["/cx/trainer/", "/cx/manager/", "/cx/admin/"])
def test_learner_is_refused_other_roles_pages(client, login_as, path) -> None:
    """Test that a learner gets 403 (with a page saying so) on trainer, manager and admin pages."""
    login_as("learner")
    response = client.get(path)
    assert response.status_code == 403
    assert "Your role does not give access to this page." in response.get_data(as_text=True)


def test_sign_out_needs_a_post(client, login_as) -> None:
    """Test that GET cannot sign anyone out and POST does."""
    login_as("learner")
    assert client.get("/cx/account/logout").status_code == 405
    client.post("/cx/account/logout")
    assert client.get("/cx/learn/").status_code == 302


def test_forms_are_csrf_protected(database_url) -> None:
    """Test that with CSRF on, a sign-in POST without a token is refused."""
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        factories.employee(session, email="cs@example.com")
        session.commit()
    response = app.test_client().post(
        "/cx/account/login", data={"email": "cs@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 400


def test_session_cookie_is_httponly_and_samesite(client, session) -> None:
    """Test that the session cookie cannot be read by scripts nor sent cross-site."""
    factories.employee(session, email="ck@example.com")
    session.commit()
    response = client.post(
        "/cx/account/login", data={"email": "ck@example.com", "password": factories.PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(tmp_path) -> None:
    """Test that outside debug and testing the session cookie is HTTPS-only."""
    from lms_cx import create_app

    app = create_app(
        {"SECRET_KEY": "p" * 40, "LMS_CX_DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite"},
        instance_path=str(tmp_path),
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_persian_font_is_served_with_its_licence(client) -> None:
    """Test that Vazirmatn ships with the package, so Persian renders without a download."""
    for name in ("Vazirmatn-Regular.woff2", "Vazirmatn-Bold.woff2", "Vazirmatn-OFL.txt"):
        response = client.get(f"/cx/static/lms_cx/fonts/{name}")
        assert response.status_code == 200, name
        response.close()
    css = client.get("/cx/static/lms_cx/app.css").get_data(as_text=True)
    assert 'url("fonts/Vazirmatn-Regular.woff2")' in css
