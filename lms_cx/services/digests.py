"""One e-mail a day per person, gathering what arrived in their inbox since the last one.

A digest goes out from ``LMS_CX_MAIL_DIGEST_HOUR`` (the person's local time) on a day when
that person has not had one yet, and carries every notification of the last
``DIGEST_MAX_AGE_DAYS`` not yet e-mailed. Notifications are claimed (``emailed_at`` set and
committed) before the message is sent, so two ticks at once never mail the same item; a
message the server refuses gives its items back for the next tick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext, ngettext
from lms_cx.models import Notification
from lms_cx.models.people import Employee
from lms_cx.services.lifecycle_messages import message_locale, page_path
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.local_days import local_date, zone
from lms_cx.services.mail import MailError, MailSettings, SmtpMailer
from lms_cx.templating import text_direction

#: Notifications older than this are left to the inbox, never e-mailed (no flood after an outage).
DIGEST_MAX_AGE_DAYS = 7


@dataclass
class DigestReport:
    """How many digests went out, and why the others did not."""

    sent: int = 0
    items: int = 0
    failures: list[str] = field(default_factory=list)


def send_digests(
    session: Session,
    now: datetime,
    settings: LifecycleSettings,
    mail: MailSettings,
    mailer: SmtpMailer | None = None,
) -> DigestReport:
    """E-mail today's digest to everyone due one; commit after each person."""
    report = DigestReport()
    if not mail.enabled:
        return report
    cutoff = now - timedelta(days=DIGEST_MAX_AGE_DAYS)
    pending = _pending(cutoff, now)
    people = session.execute(
        sa.select(
            Employee.id, Employee.email, Employee.display_name, Employee.locale, Employee.time_zone
        ).where(Employee.is_active.is_(True), Employee.id.in_(sa.select(pending.c.employee_id)))
    ).all()
    last_sent = dict(
        session.execute(
            sa.select(Notification.employee_id, sa.func.max(Notification.emailed_at))
            .where(Notification.employee_id.in_([p.id for p in people]))
            .group_by(Notification.employee_id)
        ).all()
    )
    session.commit()
    mailer = mailer or SmtpMailer(mail)
    with mailer:
        for person in people:
            tz = zone(person.time_zone, settings.default_zone)
            if now.astimezone(tz).hour < settings.digest_hour:
                continue
            sent = last_sent.get(person.id)
            if sent is not None and local_date(sent, tz) == local_date(now, tz):
                continue
            try:
                report.items += _send_one(session, person, cutoff, now, settings, mail, mailer)
                report.sent += 1
            except _NothingToSend:
                continue
            except MailError as error:
                report.failures.append(str(error))
                if not mailer.connected:
                    break  # the server is unreachable: the others wait for the next tick
    return report


class _NothingToSend(Exception):
    """Another tick claimed this person's notifications first."""


def _pending(cutoff: datetime, now: datetime) -> Any:
    return (
        sa.select(Notification.employee_id)
        .where(
            Notification.emailed_at.is_(None),
            Notification.created_at >= cutoff,
            Notification.created_at <= now,
        )
        .distinct()
        .subquery()
    )


def _send_one(
    session: Session,
    person: Any,
    cutoff: datetime,
    now: datetime,
    settings: LifecycleSettings,
    mail: MailSettings,
    mailer: SmtpMailer,
) -> int:
    claimed = list(
        session.scalars(
            sa.update(Notification)
            .where(
                Notification.employee_id == person.id,
                Notification.emailed_at.is_(None),
                Notification.created_at >= cutoff,
                Notification.created_at <= now,
            )
            .values(emailed_at=now)
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
    )
    session.commit()
    if not claimed:
        raise _NothingToSend
    items = session.scalars(
        sa.select(Notification)
        .where(Notification.id.in_(claimed))
        .order_by(Notification.created_at, Notification.id)
    ).all()
    try:
        mailer.send(build_digest(person, items, now, settings, mail))
    except MailError:
        session.execute(
            sa.update(Notification)
            .where(Notification.id.in_(claimed))
            .values(emailed_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        raise
    return len(claimed)


def build_digest(
    person: Any,
    items: list[Notification],
    now: datetime,
    settings: LifecycleSettings,
    mail: MailSettings,
) -> EmailMessage:
    """Return the digest e-mail for ``person`` (plain text and HTML) in their language."""
    locale = message_locale(person.locale, settings)
    site = current_app.config.get("LMS_CX_SITE_NAME") or "lms_cx"
    with force_locale(locale):
        context = {
            "_": gettext,
            "gettext": gettext,
            "ngettext": ngettext,
            "person": person,
            "items": [(item, mail.absolute(item.link)) for item in items],
            "inbox_url": mail.absolute(page_path("lms_cx.inbox.home")),
            "site_name": site,
            "locale": locale,
            "direction": text_direction(locale),
        }
        subject = ngettext(
            "%(site)s: %(num)d update about your training",
            "%(site)s: %(num)d updates about your training",
            len(items),
            site=site,
        )
        text = render_template("lms_cx/mail/digest.txt", **context)
        html = render_template("lms_cx/mail/digest.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = Address(display_name=person.display_name, addr_spec=person.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After the parts: making the message multipart moves Content-* headers into its first part.
    message["Content-Language"] = locale
    return message
