"""The team readiness PDF for a Persian manager: Persian words in reading order, Persian digits."""

from __future__ import annotations

import re

from tests import factories
from tests.i18n.test_certificate_pdf import pdf_fonts, pdf_text


def test_a_persian_managers_team_pdf_reads_in_persian(client, session) -> None:
    """Test that the team PDF of a Persian manager holds the Persian title, the team members'
    Persian names joined and in order, its counts in Persian digits, and the Vazirmatn font."""
    team = factories.team(session, "پشتیبانی تلفنی")
    manager = factories.employee(session, roles=("manager",), manages=[team], locale="fa")
    for name in ("مریم احمدی", "رضا کاظمی", "نیلوفر صادقی"):
        factories.employee(session, team=team, display_name=name)
    session.commit()
    response = client.post(
        "/cx/account/login", data={"email": manager.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    response = client.get("/cx/manager/readiness.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "آمادگی تیم" in text, text
    for name in ("مریم احمدی", "رضا کاظمی", "نیلوفر صادقی"):
        assert name in text, text
    assert "پشتیبانی تلفنی" in text
    # Three people: the summary counts them in Persian digits ("۳ نفر").
    assert "۳نفر" in text.replace(" ", ""), text
    assert not re.search(r"\b3\s*نفر", text)
    assert "Vazirmatn" in pdf_fonts(response.data)
