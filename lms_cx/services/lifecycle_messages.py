"""What lifecycle notifications say, written in each recipient's own language and zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import force_locale
from werkzeug.routing import BuildError

from lms_cx.i18n import day_for_reader, ngettext, pick_text
from lms_cx.i18n import gettext as _
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.local_days import local_date, zone
from lms_cx.services.notifications import NewNotification


@dataclass(frozen=True)
class Recipient:
    """Who a notification is for, with the language and zone to write it in."""

    employee_id: int
    display_name: str
    locale: str | None
    time_zone: str | None


def page_path(endpoint: str) -> str | None:
    """Return the path of an lms_cx page, inside or outside a request (None if unknown)."""
    if not has_app_context():
        return None
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    try:
        return current_app.url_map.bind("localhost", script_name=root).build(endpoint)
    except BuildError:
        return None


def message_locale(locale: str | None, settings: LifecycleSettings) -> str:
    """Return ``locale`` when the app offers it, else the default locale."""
    offered = current_app.config.get("LMS_CX_LOCALES") or () if has_app_context() else None
    if locale and (offered is None or locale in offered):
        return locale
    return settings.default_locale


def _locale(recipient: Recipient, settings: LifecycleSettings) -> str:
    return message_locale(recipient.locale, settings)


def _day(
    moment: datetime | None, recipient: Recipient, locale: str, settings: LifecycleSettings
) -> str:
    if moment is None:
        return ""
    day = local_date(moment, zone(recipient.time_zone, settings.default_zone))
    return day_for_reader(day, locale)


def assigned_notice(
    recipient: Recipient,
    assignment_id: object,
    titles: dict[str, str],
    due_at: datetime | None,
    reason: str | None,
    settings: LifecycleSettings,
) -> NewNotification:
    """Tell a person that training was assigned to them."""
    locale = _locale(recipient, settings)
    with force_locale(locale):
        title = pick_text(titles, locale)
        parts = [_("%(title)s has been assigned to you.", title=title)]
        if due_at is not None:
            date = _day(due_at, recipient, locale, settings)
            parts.append(_("Please finish it by %(date)s.", date=date))
        if reason:
            parts.append(_("Why: %(reason)s", reason=reason))
        subject = _("New training: %(title)s", title=title)
    return NewNotification(
        employee_id=recipient.employee_id,
        kind="assignment.new",
        subject=subject,
        body=" ".join(parts),
        link=page_path("lms_cx.learner.home"),
        dedupe_key=f"assigned:{assignment_id}",
    )


def reminder_notice(
    recipient: Recipient,
    kind: str,
    key: str,
    titles: dict[str, str],
    days: int,
    due_at: datetime,
    settings: LifecycleSettings,
) -> NewNotification:
    """Remind a person of work due in ``days`` days, due today, or ``days`` days overdue.

    ``kind`` is ``reminder.due_soon``, ``reminder.due_today`` or ``reminder.overdue``.
    """
    locale = _locale(recipient, settings)
    with force_locale(locale):
        title = pick_text(titles, locale)
        date = _day(due_at, recipient, locale, settings)
        if kind == "reminder.due_soon":
            subject = ngettext(
                "Due in %(num)d day: %(title)s", "Due in %(num)d days: %(title)s", days, title=title
            )
            body = _("Please finish %(title)s by %(date)s.", title=title, date=date)
        elif kind == "reminder.due_today":
            subject = _("Due today: %(title)s", title=title)
            body = _("%(title)s is due today, %(date)s.", title=title, date=date)
        else:
            subject = ngettext(
                "Overdue by %(num)d day: %(title)s",
                "Overdue by %(num)d days: %(title)s",
                days,
                title=title,
            )
            body = _(
                "%(title)s was due on %(date)s. Please finish it as soon as you can.",
                title=title,
                date=date,
            )
    return NewNotification(
        employee_id=recipient.employee_id,
        kind=kind,
        subject=subject,
        body=body,
        link=page_path("lms_cx.learner.home"),
        dedupe_key=key,
    )


def escalation_notice(
    manager: Recipient,
    learner_name: str,
    key: str,
    titles: dict[str, str],
    days: int,
    due_at: datetime,
    settings: LifecycleSettings,
) -> NewNotification:
    """Tell a manager that someone in their team is ``days`` days late with training."""
    locale = _locale(manager, settings)
    with force_locale(locale):
        title = pick_text(titles, locale)
        subject = ngettext(
            "%(name)s is %(num)d day overdue: %(title)s",
            "%(name)s is %(num)d days overdue: %(title)s",
            days,
            name=learner_name,
            title=title,
        )
        body = _(
            "%(name)s has not finished %(title)s, which was due on %(date)s. You are told "
            "because you manage their team.",
            name=learner_name,
            title=title,
            date=_day(due_at, manager, locale, settings),
        )
    return NewNotification(
        employee_id=manager.employee_id,
        kind="escalation.overdue",
        subject=subject,
        body=body,
        link=page_path("lms_cx.manager.home"),
        dedupe_key=key,
    )
