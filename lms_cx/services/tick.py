"""``flask lms-cx tick``: one pass of lifecycle automation at a given moment.

A tick applies the assignment rules, assigns recertifications, adds the day's reminders and
escalations (all in one transaction under the lifecycle lock), then e-mails the day's digests.
Everything it creates is keyed, so running it again at once, or two at once, does nothing
more; with nothing to do it costs a few queries. It takes ``now`` as an argument and never
reads the clock itself, so tests drive it through simulated days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from lms_cx.services.digests import send_digests
from lms_cx.services.lifecycle_lock import take_lifecycle_lock
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.mail import MailSettings, SmtpMailer
from lms_cx.services.recertification import assign_recertifications
from lms_cx.services.reminders import queue_reminders
from lms_cx.services.rule_application import apply_rules


@dataclass
class TickReport:
    """What one tick did."""

    now: datetime
    #: True when another tick held the lock (PostgreSQL), so this one did nothing.
    skipped: bool = False
    assigned: int = 0
    recertifications: int = 0
    overdue: int = 0
    reminders: int = 0
    escalations: int = 0
    digests: int = 0
    mail_failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the report as lines for the command line."""
        if self.skipped:
            return [f"{self.now.isoformat()}: another tick is running; nothing done."]
        lines = [
            f"{self.now.isoformat()}: {self.assigned} assigned by rules, "
            f"{self.recertifications} recertifications, {self.overdue} overdue, "
            f"{self.reminders} reminders, {self.escalations} escalations, "
            f"{self.digests} digest e-mails."
        ]
        lines.extend(f"mail failed: {failure}" for failure in self.mail_failures)
        return lines


def run_tick(
    session: Session,
    now: datetime,
    *,
    settings: LifecycleSettings | None = None,
    mail: MailSettings | None = None,
    mailer: SmtpMailer | None = None,
) -> TickReport:
    """Run one tick at ``now`` (aware); commit. Needs an app context for texts and links."""
    if now.tzinfo is None:
        raise ValueError("run_tick needs an aware datetime for now")
    settings = settings or LifecycleSettings.current()
    mail = mail or MailSettings.current()
    report = TickReport(now=now)
    if not take_lifecycle_lock(session, wait=False):
        session.rollback()
        report.skipped = True
        return report
    try:
        report.assigned = len(apply_rules(session, now, settings))
        report.recertifications = len(assign_recertifications(session, now, settings))
        reminders = queue_reminders(session, now, settings)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    report.overdue = reminders.overdue
    report.reminders = reminders.reminders
    report.escalations = reminders.escalations
    digests = send_digests(session, now, settings, mail, mailer)
    report.digests = digests.sent
    report.mail_failures = digests.failures
    return report
