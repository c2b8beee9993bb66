"""The interface language: the employee's profile, then the browser, then the organisation's."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests import factories
from tests.conftest import make_app

HOME = "/cx/learn/"
LOGIN = "/cx/account/login"


def page_language(client: FlaskClient, path: str, accept: str | None = None) -> tuple[str, str]:
    """Return the ``lang`` and ``dir`` of the page at ``path``."""
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True))
    assert found is not None
    return found[1], found[2]


def test_the_profile_locale_wins_over_the_browser(client, login_as) -> None:
    """Test that an employee whose profile says fa reads Persian, right to left, even when
    the browser asks for Polish."""
    login_as("learner", locale="fa")
    assert page_language(client, HOME, "pl-PL,pl;q=0.9,en;q=0.5") == ("fa", "rtl")
    assert "آموزش‌های من" in client.get(HOME).get_data(as_text=True)


def test_without_a_profile_locale_the_browser_decides(client, login_as) -> None:
    """Test that an employee without a profile locale gets the browser's best offered one."""
    login_as("learner", locale=None)
    assert page_language(client, HOME, "fa-IR,fa;q=0.9,en;q=0.5") == ("fa", "rtl")
    assert page_language(client, HOME, "de-DE,pl;q=0.8") == ("pl", "ltr")


def test_a_profile_locale_that_is_not_offered_falls_through_to_the_browser(
    client, login_as
) -> None:
    """Test that a profile locale the site does not offer (de) is skipped, not shown."""
    login_as("learner", locale="de")
    assert page_language(client, HOME, "fa") == ("fa", "rtl")


@pytest.mark.parametrize(("profile", "shown"), [("fa_IR", ("fa", "rtl")), ("pl-PL", ("pl", "ltr"))])
def test_a_regional_profile_locale_speaks_its_language(
    client, login_as, profile: str, shown: tuple[str, str]
) -> None:
    """Test that a profile saying fa_IR or pl-PL gets Persian or Polish, not the browser's."""
    login_as("learner", locale=profile)
    assert page_language(client, HOME, "en-US,en;q=0.9") == shown


@pytest.mark.parametrize("accept", [None, "de-DE,fr;q=0.8"])
def test_with_neither_the_organisation_default_applies(database_url, accept) -> None:
    """Test that with no profile locale and no offered browser language, the organisation's
    default locale (LMS_CX_DEFAULT_LOCALE) is used, for the sign-in page and signed-in pages."""
    app = make_app(database_url, LMS_CX_DEFAULT_LOCALE="fa")
    client = app.test_client()
    try:
        assert page_language(client, LOGIN, accept) == ("fa", "rtl")
        with app.app_context():
            from lms_cx.db import get_session

            session = get_session()
            person = factories.employee(session, locale=None)
            session.commit()
            email = person.email
        response = client.post(LOGIN, data={"email": email, "password": factories.PASSWORD})
        assert response.status_code == 302
        assert page_language(client, HOME, accept) == ("fa", "rtl")
    finally:
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()
