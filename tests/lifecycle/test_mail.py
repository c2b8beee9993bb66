"""Digest e-mails: one a day, plain text and HTML, in the person's language, retried on failure."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.models import Notification
from lms_cx.services.mail import MailSettings
from lms_cx.services.tick import run_tick
from tests import factories
from tests.lifecycle.conftest import day


def _overdue_work(session, **person) -> factories.Employee:
    module = factories.learning_module(session, f"m{len(person)}")
    learner = factories.hr_employee(session, display_name="Lena", **person)
    factories.assignment(session, learner, module=module, due_at=day(-1))
    factories.assignment(
        session, learner, module=factories.learning_module(session, "m-soon"), due_at=day(1)
    )
    session.commit()
    return learner


def test_that_a_digest_has_text_and_html_parts_with_full_links(ctx, session, smtp_server):
    """Test that one e-mail carries every new notification, in plain text and HTML."""
    learner = _overdue_work(session)
    report = run_tick(session, day(0))
    assert report.reminders == 2 and report.digests == 1
    [message] = smtp_server.messages
    assert message["To"].addresses[0].addr_spec == learner.email
    assert message["From"] == "training@brightwave.example"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "2 updates" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Overdue by 1 day: Module m0" in part
        assert "Due in 1 day: Module m-soon" in part
        assert "https://lms.example.com/cx/learn/" in part
        assert "https://lms.example.com/cx/inbox/" in part
    assert session.scalar(sa.select(sa.func.count()).where(Notification.emailed_at.is_(None))) == 0


def test_that_digests_speak_the_persons_language_and_direction(ctx, session, smtp_server):
    """Test that a Persian speaker's digest is marked Persian and right to left."""
    _overdue_work(session, locale="fa")
    run_tick(session, day(0))
    [message] = smtp_server.messages
    assert message["Content-Language"] == "fa"
    html = message.get_body(("html",)).get_content()
    assert 'lang="fa" dir="rtl"' in html


def test_that_one_digest_a_day_waits_for_the_digest_hour(ctx, session, smtp_server):
    """Test that nothing is mailed before the local digest hour, and once a day after it."""
    _overdue_work(session, time_zone="Europe/Warsaw")
    assert run_tick(session, day(0, 6)).digests == 0  # 07:00 in Warsaw
    assert run_tick(session, day(0, 7)).digests == 1  # 08:00 in Warsaw
    factories.assignment(
        session,
        session.scalar(
            sa.select(factories.Employee).where(factories.Employee.display_name == "Lena")
        ),
        module=factories.learning_module(session, "m-new"),
        due_at=day(3),
    )
    session.commit()
    assert run_tick(session, day(0, 12)).reminders == 1
    assert run_tick(session, day(0, 13)).digests == 0  # already had today's
    assert run_tick(session, day(1, 7)).digests == 1  # the next day's carries it
    assert len(smtp_server.messages) == 2


def test_that_a_refused_digest_is_retried_by_the_next_tick(ctx, session, smtp_server):
    """Test that when the SMTP server is unreachable the items wait and go out next time."""
    _overdue_work(session)
    port = ctx.config["LMS_CX_MAIL_PORT"]
    ctx.config["LMS_CX_MAIL_PORT"] = 1  # nothing listens there
    failed = run_tick(session, day(0))
    assert failed.digests == 0 and len(failed.mail_failures) == 1
    assert session.scalar(sa.select(sa.func.count()).where(Notification.emailed_at.is_(None))) == 2
    ctx.config["LMS_CX_MAIL_PORT"] = port
    assert run_tick(session, day(0, 10)).digests == 1
    assert len(smtp_server.messages) == 1


def test_that_without_a_mail_host_notifications_stay_in_the_inbox(ctx, session, smtp_server):
    """Test that no host means no e-mail and nothing marked as e-mailed."""
    _overdue_work(session)
    ctx.config["LMS_CX_MAIL_HOST"] = None
    assert not MailSettings.current().enabled
    assert run_tick(session, day(0)).digests == 0
    assert smtp_server.messages == []
    assert session.scalar(sa.select(sa.func.count()).where(Notification.emailed_at.is_(None))) == 2
