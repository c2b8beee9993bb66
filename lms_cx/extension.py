"""The ``LmsCx`` Flask extension and its per-app state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

from lms_cx import config as lms_config
from lms_cx.errors import ConfigurationError

if TYPE_CHECKING:
    from lms_cx.models.people import Employee

EmployeeLoader = Callable[[], "Employee | None"]

#: Database backends lms_cx is built and tested for.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


@dataclass
class LmsCxState:
    """What lms_cx keeps per app, at ``app.extensions["lms_cx"]``."""

    db: SQLAlchemy
    url_prefix: str
    xapi_prefix: str
    employee_loader: EmployeeLoader | None = None
    #: True when lms_cx created the Flask-SQLAlchemy instance itself (no host database).
    owns_db: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class LmsCx:
    """Turn a Flask app into a CX learning-management system.

    ::

        lms = LmsCx(app)                 # or: lms = LmsCx(); lms.init_app(app)

        @lms.employee_loader
        def current_employee():
            return link_host_user(db.session, current_user.get_id(), ...)

    The loader maps the host's logged-in user to an lms_cx ``Employee`` (or ``None``);
    see docs/integration.md.
    """

    def __init__(self, app: Flask | None = None, *, employee_loader: EmployeeLoader | None = None):
        self._employee_loader = employee_loader
        self._apps: list[Flask] = []
        if app is not None:
            self.init_app(app)

    def employee_loader(self, func: EmployeeLoader) -> EmployeeLoader:
        """Register ``func`` as the callback that returns the current employee."""
        self._employee_loader = func
        for app in self._apps:
            app.extensions["lms_cx"].employee_loader = func
        return func

    def init_app(self, app: Flask) -> None:
        """Register lms_cx's blueprints, CLI, templates and database on ``app``."""
        if "lms_cx" in app.extensions:
            raise RuntimeError(
                "lms_cx is already registered on this Flask app; use get_state() to reach it."
            )
        lms_config.apply_defaults(app.config)
        check_secret_key(app)
        db, owns_db = _database_for(app)
        app.extensions["lms_cx"] = LmsCxState(
            db=db,
            url_prefix=app.config["LMS_CX_URL_PREFIX"].rstrip("/"),
            xapi_prefix=app.config["LMS_CX_XAPI_PREFIX"].rstrip("/"),
            employee_loader=self._employee_loader,
            owns_db=owns_db,
        )
        if "babel" not in app.extensions:
            from lms_cx.auth import select_locale, select_timezone

            Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
        from lms_cx.template_formatting import install_locale_formatting

        install_locale_formatting(app)

        from lms_cx.blueprints import register_blueprints
        from lms_cx.cli import lms_cx_cli
        from lms_cx.templating import template_context

        register_blueprints(app)
        app.cli.add_command(lms_cx_cli)
        app.context_processor(template_context)
        self._apps.append(app)


def get_state(app: Flask | None = None) -> LmsCxState:
    """Return lms_cx's state for ``app`` (default: the current app)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        return app.extensions["lms_cx"]
    except KeyError:
        raise RuntimeError(
            "lms_cx is not registered on this Flask app; call LmsCx(app) first."
        ) from None


def is_production(app: Flask) -> bool:
    """Return True outside debug and testing, where weak settings must stop start-up."""
    return not (app.debug or app.testing)


def check_secret_key(app: Flask) -> None:
    """Refuse to run in production with a missing, known or short ``SECRET_KEY``."""
    if not is_production(app):
        return
    key = app.config.get("SECRET_KEY") or ""
    if isinstance(key, bytes):
        key = key.decode("utf-8", "replace")
    if key.lower() in lms_config.WEAK_SECRET_KEYS or len(key) < lms_config.MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            "SECRET_KEY is missing or too weak for production: set SECRET_KEY (at least "
            f"{lms_config.MIN_SECRET_KEY_LENGTH} random characters) or run with --debug."
        )


def normalise_database_url(url: str, setting: str = "LMS_CX_DATABASE_URL") -> str:
    """Return ``url`` with lms_cx's driver, or raise naming ``setting`` when unusable."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigurationError(
            f"{setting} is not a database URL: {url!r} "
            "(expected sqlite:///path or postgresql://user@host/db)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ConfigurationError(
            f"{setting} uses the unsupported database {backend!r}: "
            "use sqlite:///path or postgresql://user@host/db"
        )
    if backend == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _database_for(app: Flask) -> tuple[SQLAlchemy, bool]:
    """Return the host's Flask-SQLAlchemy instance, or create one on lms_cx's own database."""
    if "sqlalchemy" in app.extensions:
        return app.extensions["sqlalchemy"], False
    url = app.config["LMS_CX_DATABASE_URL"]
    if not url:
        import os

        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "lms_cx.sqlite")
    url = normalise_database_url(url)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    db = SQLAlchemy(app)
    with app.app_context():
        _tune_engine(db.engine)
    return db, True


def _tune_engine(engine: sa.Engine) -> None:
    """Turn on SQLite foreign keys and WAL so its behaviour matches PostgreSQL's closely.

    Called in an app context: ``LMS_CX_SQLITE_SYNCHRONOUS`` picks how a commit waits for
    the disk (NORMAL: WAL is durable across application crashes, no fsync per commit).
    """
    if engine.dialect.name != "sqlite":
        return
    synchronous = str(current_app.config.get("LMS_CX_SQLITE_SYNCHRONOUS") or "NORMAL").upper()
    if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ConfigurationError(
            f"LMS_CX_SQLITE_SYNCHRONOUS must be NORMAL, FULL, EXTRA or OFF, not {synchronous!r}"
        )

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
