"""Every ``LMS_CX_*`` setting with its default.

A host application overrides any of them in its own config before ``LmsCx(app)``; the
standalone app also reads each from an environment variable of the same name.
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    #: URL prefix of every lms_cx page (learner, trainer, manager, admin, API).
    "LMS_CX_URL_PREFIX": "/cx",
    #: URL prefix of the embedded xAPI 1.0.3 Learning Record Store.
    "LMS_CX_XAPI_PREFIX": "/xapi",
    #: Database of the standalone app (and of a host without Flask-SQLAlchemy).
    #: ``None`` means a SQLite file ``lms_cx.sqlite`` in the instance folder.
    "LMS_CX_DATABASE_URL": None,
    #: Template that ``lms_cx/master.html`` extends; a host sets its own layout here.
    "LMS_CX_BASE_TEMPLATE": "lms_cx/base.html",
    #: Title shown in the header and the browser tab.
    "LMS_CX_SITE_NAME": "lms_cx",
    #: Locale used when neither the employee's profile nor the browser gives one.
    "LMS_CX_DEFAULT_LOCALE": "en",
    #: Locales the interface is offered in.
    "LMS_CX_LOCALES": ("en", "fa", "pl"),
    #: Time zone used for people whose profile has none.
    "LMS_CX_DEFAULT_TIMEZONE": "UTC",
    #: Base IRI of every activity id lms_cx writes into xAPI statements.
    "LMS_CX_XAPI_ACTIVITY_BASE": "https://lms-cx.example.com/xapi/activities",
    #: How statements identify the learner: ``"mbox"`` or ``"account"``.
    "LMS_CX_XAPI_ACTOR_IFI": "mbox",
    #: Home page of the ``account`` IFI when ``LMS_CX_XAPI_ACTOR_IFI`` is ``"account"``.
    "LMS_CX_XAPI_ACCOUNT_HOMEPAGE": "https://lms-cx.example.com",
    #: External LRSs every statement is forwarded to (list of dicts, see docs/xapi.md).
    "LMS_CX_XAPI_FORWARD": [],
    #: Folders of the shipped curriculum loaded by ``flask lms-cx demo``.
    "LMS_CX_CONTENT_PATHS": (),
}

#: Values that must never serve as a production ``SECRET_KEY``.
WEAK_SECRET_KEYS = frozenset({"", "dev", "secret", "changeme", "change-me", "development"})

#: Shortest ``SECRET_KEY`` accepted outside debug and testing.
MIN_SECRET_KEY_LENGTH = 16


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill every missing ``LMS_CX_*`` key of ``config`` with its default."""
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
