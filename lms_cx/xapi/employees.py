"""Which employee an xAPI actor is, for the progress projection's ``employee_id``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from lms_cx.config import DEFAULTS
from lms_cx.models.people import Employee

_EMPLOYEES = Employee.__table__
#: Built once: constructing the select costs more than running it.
_IDS_OF_EMAILS = sa.select(_EMPLOYEES.c.email, _EMPLOYEES.c.id).where(
    _EMPLOYEES.c.email.in_(sa.bindparam("emails", expanding=True))
)


class EmployeeResolver:
    """Find the employee an actor is: ``mbox`` by e-mail, ``account`` by id or external id.

    An ``account`` counts only on ``LMS_CX_XAPI_ACCOUNT_HOMEPAGE``,
    so another system's account numbers never match our people.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, int | None] = {}
        config = current_app.config if has_app_context() else DEFAULTS
        self.homepage = str(config.get("LMS_CX_XAPI_ACCOUNT_HOMEPAGE") or "").rstrip("/")

    def resolve(self, actor: dict[str, Any]) -> int | None:
        """Return the employee id of ``actor``, or None for people who are not ours."""
        if "mbox" in actor:
            email = str(actor["mbox"]).removeprefix("mailto:").lower()
            return self._cached("mbox:" + email, lambda: self._by_email(email))
        account = actor.get("account")
        if isinstance(account, dict):
            home = str(account.get("homePage", "")).rstrip("/")
            if home != self.homepage:
                return None
            name = str(account.get("name", ""))
            return self._cached("account:" + name, lambda: self._by_account(name))
        return None

    def prefetch(self, actors: list[dict[str, Any]]) -> None:
        """Resolve the e-mail addresses of ``actors`` in one query."""
        emails = {
            str(actor["mbox"]).removeprefix("mailto:").lower()
            for actor in actors
            if "mbox" in actor
        }
        emails -= {key.removeprefix("mbox:") for key in self.cache}
        if not emails:
            return
        found = dict(self.session.execute(_IDS_OF_EMAILS, {"emails": list(emails)}).all())
        for email in emails:
            self.cache["mbox:" + email] = found.get(email)

    def _cached(self, key: str, find: Any) -> int | None:
        if key not in self.cache:
            self.cache[key] = find()
        return self.cache[key]

    def _by_email(self, email: str) -> int | None:
        return self.session.scalar(
            # Employees' e-mails are stored lower-cased (services.people).
            sa.select(Employee.id).where(Employee.email == email)
        )

    def _by_account(self, name: str) -> int | None:
        # lms_cx's own statements name the employee's id (services.learning_record); an
        # HR system's statements may name its external id.
        if name.isdigit():
            found = self.session.scalar(sa.select(Employee.id).where(Employee.id == int(name)))
            if found is not None:
                return found
        return self.session.scalar(sa.select(Employee.id).where(Employee.external_id == name))
