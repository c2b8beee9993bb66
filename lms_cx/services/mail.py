"""Sending e-mail over SMTP with Python's ``smtplib``, configured by ``LMS_CX_MAIL_*``.

No host (``LMS_CX_MAIL_HOST`` unset) means no e-mail: notifications stay in the in-app inbox.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from flask import current_app

from lms_cx.errors import ConfigurationError


class MailError(Exception):
    """A message could not be handed to the SMTP server; the text says why."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send e-mail."""

    host: str | None = None
    port: int = 25
    sender: str = "lms-cx@localhost"
    starttls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    #: Address of the site (``https://lms.example.com``) that links in e-mails start with.
    base_url: str | None = None

    @property
    def enabled(self) -> bool:
        """Return True when a host is configured."""
        return bool(self.host)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        """Return the mail settings in an app's ``config``."""
        try:
            port = int(config.get("LMS_CX_MAIL_PORT") or 25)
            timeout = float(config.get("LMS_CX_MAIL_TIMEOUT") or 30)
        except ValueError as error:
            raise ConfigurationError(f"LMS_CX_MAIL_PORT / LMS_CX_MAIL_TIMEOUT: {error}") from None
        return cls(
            host=config.get("LMS_CX_MAIL_HOST") or None,
            port=port,
            sender=config.get("LMS_CX_MAIL_FROM") or "lms-cx@localhost",
            starttls=_flag(config.get("LMS_CX_MAIL_STARTTLS")),
            use_ssl=_flag(config.get("LMS_CX_MAIL_SSL")),
            username=config.get("LMS_CX_MAIL_USERNAME") or None,
            password=config.get("LMS_CX_MAIL_PASSWORD") or None,
            timeout=timeout,
            base_url=(config.get("LMS_CX_MAIL_BASE_URL") or "").rstrip("/") or None,
        )

    @classmethod
    def current(cls) -> MailSettings:
        """Return the current app's mail settings."""
        return cls.from_config(current_app.config)

    def absolute(self, link: str | None) -> str | None:
        """Return ``link`` (a path) as a full address; None without ``base_url``."""
        if not link:
            return None
        if link.startswith(("http://", "https://")):
            return link
        return self.base_url + link if self.base_url else None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


class SmtpMailer:
    """One SMTP connection for a batch of messages, opened on the first send.

    ::

        with SmtpMailer(MailSettings.current()) as mailer:
            mailer.send(message)
    """

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        """Return True once a connection is open."""
        return self._smtp is not None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.use_ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host or "",
                    settings.port,
                    timeout=settings.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(settings.host or "", settings.port, timeout=settings.timeout)
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
        # UnicodeError: smtplib sends a login as ASCII, so a password with "ł" fails there.
        except (OSError, smtplib.SMTPException, UnicodeError) as error:
            raise MailError(f"cannot reach {settings.host}:{settings.port}: {error}") from None
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send ``message``; raise MailError when the server refuses or cannot be reached."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise MailError(f"{message['To']}: {error}") from None

    def close(self) -> None:
        """Say goodbye to the server (quietly, if it is already gone)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None
