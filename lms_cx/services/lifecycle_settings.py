"""The lifecycle automation's settings, read once from the app's ``LMS_CX_*`` config.

Environment variables arrive as strings (``LMS_CX_REMINDER_DAYS_BEFORE=7,1``), so every value
is parsed here and a bad one stops with a message naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from lms_cx.errors import ConfigurationError


@dataclass(frozen=True)
class LifecycleSettings:
    """When reminders go out, when lateness escalates, how recertification starts."""

    default_zone: str = "UTC"
    default_locale: str = "en"
    #: Days to finish work whose computed due date had already passed when it was assigned.
    grace_days: int = 14
    days_before: tuple[int, ...] = (7, 1)
    on_due_date: bool = True
    #: Repeat the overdue reminder every this many days; None: remind once.
    overdue_every_days: int | None = 7
    #: Tell the manager once the work is this many days overdue; None: never.
    escalate_after_days: int | None = 14
    #: Assign a course again this many days before a certificate expires; None: only rules do.
    recertification_lead_days: int | None = 30
    #: Local hour from which the day's digest e-mail may be sent.
    digest_hour: int = 8

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LifecycleSettings:
        """Return the settings in ``config`` (an app's config)."""
        return cls(
            default_zone=str(config.get("LMS_CX_DEFAULT_TIMEZONE") or "UTC"),
            default_locale=str(config.get("LMS_CX_DEFAULT_LOCALE") or "en"),
            grace_days=_number(config, "LMS_CX_ASSIGNMENT_GRACE_DAYS", 14),
            days_before=_day_list(config, "LMS_CX_REMINDER_DAYS_BEFORE"),
            on_due_date=_flag(config, "LMS_CX_REMINDER_ON_DUE_DATE", True),
            overdue_every_days=_days_or_none(config, "LMS_CX_REMINDER_OVERDUE_EVERY_DAYS", 7),
            escalate_after_days=_days_or_none(config, "LMS_CX_ESCALATION_AFTER_DAYS", 14),
            recertification_lead_days=_days_or_none(config, "LMS_CX_RECERTIFICATION_LEAD_DAYS", 30),
            digest_hour=_number(config, "LMS_CX_MAIL_DIGEST_HOUR", 8),
        )

    @classmethod
    def current(cls) -> LifecycleSettings:
        """Return the current app's settings."""
        return cls.from_config(current_app.config)


def _integer(key: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{key} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ConfigurationError(f"{key} must not be negative, not {value!r}")
    return number


def _number(config: Mapping[str, Any], key: str, default: int) -> int:
    value = config.get(key, default)
    return default if value in (None, "") else _integer(key, value)


def _days_or_none(config: Mapping[str, Any], key: str, default: int) -> int | None:
    value = config.get(key, default)
    if value in (None, "", "none", "None", 0, "0"):
        return None
    return _integer(key, value)


def _day_list(config: Mapping[str, Any], key: str) -> tuple[int, ...]:
    value = config.get(key, (7, 1))
    if value in (None, ""):
        return ()
    items = value.split(",") if isinstance(value, str) else value
    days = {_integer(key, item) for item in items if str(item).strip()}
    if 0 in days:
        raise ConfigurationError(f"{key}: use LMS_CX_REMINDER_ON_DUE_DATE for the due date")
    return tuple(sorted(days))


def _flag(config: Mapping[str, Any], key: str, default: bool) -> bool:
    value = config.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
