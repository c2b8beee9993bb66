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
    #: ``PRAGMA synchronous`` of that database when it is a SQLite file (WAL mode):
    #: ``"NORMAL"`` survives application crashes but a power cut may lose the last commits;
    #: ``"FULL"`` waits for the disk on every commit (see docs/performance.md).
    "LMS_CX_SQLITE_SYNCHRONOUS": "NORMAL",
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
    #: Calendar of dates shown to Persian (fa) readers until an administrator changes it:
    #: ``"gregorian"`` or ``"persian"`` (Solar Hijri). Either way they read Persian digits.
    "LMS_CX_PERSIAN_CALENDAR": "gregorian",
    #: Base IRI of every activity id lms_cx writes into xAPI statements.
    "LMS_CX_XAPI_ACTIVITY_BASE": "https://lms-cx.example.com/xapi/activities",
    #: How statements identify the learner: ``"mbox"`` or ``"account"``.
    "LMS_CX_XAPI_ACTOR_IFI": "mbox",
    #: Home page of the ``account`` IFI when ``LMS_CX_XAPI_ACTOR_IFI`` is ``"account"``.
    "LMS_CX_XAPI_ACCOUNT_HOMEPAGE": "https://lms-cx.example.com",
    #: Failed sign-ins for one email within the window before it is locked for a while.
    "LMS_CX_LOGIN_MAX_FAILURES": 5,
    #: Failed sign-ins from one network address (any emails) before that address is locked.
    "LMS_CX_LOGIN_MAX_FAILURES_PER_ADDRESS": 30,
    #: Seconds over which failed sign-ins are counted, and for which a lock holds.
    "LMS_CX_LOGIN_LOCK_SECONDS": 900,
    #: External LRSs every statement is forwarded to (list of dicts, see docs/xapi.md).
    "LMS_CX_XAPI_FORWARD": [],
    #: The Agent put in ``authority`` of statements lms_cx's own services store; ``None``
    #: means an account Agent on ``LMS_CX_XAPI_ACCOUNT_HOMEPAGE`` named ``lms_cx``.
    "LMS_CX_XAPI_AUTHORITY": None,
    #: Statements sent to an external LRS per request by ``flask lms-cx xapi forward``.
    "LMS_CX_XAPI_FORWARD_BATCH_SIZE": 50,
    #: Deliveries tried before an outbox item is marked ``dead`` (kept, never dropped).
    "LMS_CX_XAPI_FORWARD_MAX_ATTEMPTS": 12,
    #: First retry delay in seconds; each further retry waits twice as long (capped at 6 h).
    "LMS_CX_XAPI_FORWARD_BACKOFF_SECONDS": 30,
    #: Seconds an external LRS may take to answer one forwarding request.
    "LMS_CX_XAPI_FORWARD_TIMEOUT": 15,
    #: Most statements one ``GET /xapi/statements`` page returns (``limit=0`` means this).
    "LMS_CX_XAPI_MAX_LIMIT": 500,
    #: Largest request body the LRS reads (statements with attachments, documents); 413 above.
    "LMS_CX_XAPI_MAX_BODY_BYTES": 20 * 1024 * 1024,
    #: Origins allowed to call the LRS from a browser (CORS); ``"*"`` allows any.
    "LMS_CX_XAPI_CORS_ORIGINS": "*",
    #: Seconds an LRS credential read from the database is trusted before it is read again
    #: (a revocation by another process takes effect within this time); 0 reads it every time.
    "LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS": 1.0,
    #: Pass mark (0 to 1) of a module's quiz when its course sets no mastery score (or the
    #: module is assigned on its own).
    "LMS_CX_DEFAULT_MASTERY_SCORE": 0.8,
    #: Seconds of network slack allowed after a quiz's time limit before answers are refused.
    "LMS_CX_QUIZ_GRACE_SECONDS": 10,
    #: Who issues certificates, printed on them; ``None`` means ``LMS_CX_SITE_NAME``.
    "LMS_CX_CERTIFICATE_ISSUER": None,
    #: Source given to CSV rows that have no ``source`` column (``feedback import --source``).
    "LMS_CX_FEEDBACK_DEFAULT_SOURCE": "csv",
    #: Source given to REST feedback (``POST /api/feedback``) that names none.
    "LMS_CX_FEEDBACK_API_SOURCE": "api",
    #: Most feedback items one REST request may carry.
    "LMS_CX_FEEDBACK_API_MAX_ITEMS": 500,
    #: Largest feedback CSV the upload page accepts, in bytes.
    "LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    #: Folder where uploaded files wait between preview and import; ``None`` means
    #: ``feedback-uploads`` in the instance folder (shared storage when several servers run).
    "LMS_CX_FEEDBACK_UPLOAD_DIR": None,
    #: Run the remedial rules for the affected employees right after every import.
    "LMS_CX_FEEDBACK_APPLY_RULES_ON_IMPORT": True,
    # Lifecycle automation (docs/lifecycle.md): reminders, escalation, recertification, e-mail.
    #: Days before the due date on which a reminder goes out (a list, or "7,1" from the
    #: environment); the smallest that is not below the days left applies.
    "LMS_CX_REMINDER_DAYS_BEFORE": (7, 1),
    #: Remind on the due date itself.
    "LMS_CX_REMINDER_ON_DUE_DATE": True,
    #: While work is overdue, remind on its first late day and then every this many days;
    #: ``None`` reminds once.
    "LMS_CX_REMINDER_OVERDUE_EVERY_DAYS": 7,
    #: Tell the learner's manager once work is this many days overdue; ``None`` never does.
    "LMS_CX_ESCALATION_AFTER_DAYS": 14,
    #: Assign a course again this many days before its certificate expires (due on the expiry
    #: date); ``None`` leaves recertification to ``certificate_expiry`` rules.
    "LMS_CX_RECERTIFICATION_LEAD_DAYS": 30,
    #: Days given to finish work whose computed due date had already passed when it was
    #: assigned (a retroactive rule, a certificate found already expired).
    "LMS_CX_ASSIGNMENT_GRACE_DAYS": 14,
    #: SMTP server for reminder e-mails; ``None`` sends no e-mail (the in-app inbox only).
    "LMS_CX_MAIL_HOST": None,
    #: SMTP port (587 with STARTTLS, 465 with SSL, 25 on a local relay).
    "LMS_CX_MAIL_PORT": 25,
    #: Sender address of lms_cx's e-mails.
    "LMS_CX_MAIL_FROM": "lms-cx@localhost",
    #: Upgrade the SMTP connection with STARTTLS.
    "LMS_CX_MAIL_STARTTLS": False,
    #: Connect with TLS from the start (SMTPS, usually port 465).
    "LMS_CX_MAIL_SSL": False,
    #: SMTP login, when the server wants one.
    "LMS_CX_MAIL_USERNAME": None,
    #: SMTP password (set it from the environment, not in a file under version control).
    "LMS_CX_MAIL_PASSWORD": None,
    #: Seconds to wait for the SMTP server.
    "LMS_CX_MAIL_TIMEOUT": 30,
    #: Address of this site (``https://lms.example.com``) that links in e-mails start with;
    #: ``None`` leaves links out of e-mails.
    "LMS_CX_MAIL_BASE_URL": None,
    #: Local hour (0-23, in each person's zone) from which their daily digest may be sent.
    "LMS_CX_MAIL_DIGEST_HOUR": 8,
    # Review packets (docs/reviews.md).
    #: Fewest responses a CSAT or NPS figure needs in a review packet; below it the packet
    #: says "not enough data" instead of a number.
    "LMS_CX_REVIEW_MIN_RESPONSES": 5,
    #: Weights of the CX readiness index's parts (training, quiz, csat, nps).
    "LMS_CX_REVIEW_INDEX_WEIGHTS": {"training": 0.3, "quiz": 0.2, "csat": 0.3, "nps": 0.2},
    #: Share (0-1) of the index's weight its available parts must carry for it to be shown.
    "LMS_CX_REVIEW_INDEX_MIN_WEIGHT": 0.5,
    #: A valid certificate expiring within this many days after the review period counts as
    #: expiring.
    "LMS_CX_REVIEW_EXPIRING_DAYS": 60,
    #: Seconds an HR system may take to answer one webhook delivery.
    "LMS_CX_WEBHOOK_TIMEOUT": 10,
    #: Deliveries tried before a webhook delivery is marked ``dead`` (kept, never dropped).
    "LMS_CX_WEBHOOK_MAX_ATTEMPTS": 8,
    #: First webhook retry delay in seconds; each further retry waits twice as long.
    "LMS_CX_WEBHOOK_BACKOFF_SECONDS": 60,
}

#: Values that must never serve as a production ``SECRET_KEY``.
WEAK_SECRET_KEYS = frozenset({"", "dev", "secret", "changeme", "change-me", "development"})

#: Shortest ``SECRET_KEY`` accepted outside debug and testing.
MIN_SECRET_KEY_LENGTH = 16


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill every missing ``LMS_CX_*`` key of ``config`` with its default."""
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
