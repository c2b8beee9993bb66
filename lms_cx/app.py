"""The standalone lms_cx app: ``flask --app lms_cx.app run`` with its own login and database."""

from __future__ import annotations

import os
from typing import Any

from flask import Config, Flask, redirect, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from lms_cx.config import DEFAULTS
from lms_cx.extension import LmsCx, get_state, is_production
from lms_cx.i18n import lazy_gettext


def create_app(
    test_config: dict[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Create the standalone app.

    Configuration comes, later winning, from lms_cx's defaults, ``instance/lms_cx.cfg``,
    environment variables (``SECRET_KEY`` or ``FLASK_SECRET_KEY``, and every ``LMS_CX_*``
    key by its own name), then ``test_config``. The instance folder is ``instance_path``, else
    the ``LMS_CX_INSTANCE_PATH`` environment variable, else Flask's ``instance/``.
    """
    instance_path = instance_path or os.environ.get("LMS_CX_INSTANCE_PATH") or None
    app = Flask("lms_cx", instance_relative_config=True, instance_path=instance_path)
    overrides = Config(app.instance_path)
    overrides.from_pyfile("lms_cx.cfg", silent=True)
    overrides.from_prefixed_env()
    _config_from_environment(overrides)
    if test_config:
        overrides.from_mapping(test_config)
    app.config.update(overrides)
    # Cookies travel over HTTPS only in production, unless the configuration says otherwise.
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        app.config[key] = overrides.get(key, is_production(app))
    for key in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        app.config[key] = overrides.get(key, "Lax")
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True

    lms = LmsCx(app)
    # The per-field limits speak only once a whole body has arrived; this refuses a body far
    # beyond any of them before it is read. Room is left for a form's other fields.
    app.config["MAX_CONTENT_LENGTH"] = overrides.get(
        "MAX_CONTENT_LENGTH",
        max(
            app.config["LMS_CX_FEEDBACK_MAX_UPLOAD_BYTES"], app.config["LMS_CX_XAPI_MAX_BODY_BYTES"]
        )
        + 1024 * 1024,
    )
    CSRFProtect(app)
    _setup_login(app, lms)

    from lms_cx.blueprints.account import account

    app.register_blueprint(account, url_prefix=get_state(app).url_prefix + "/account")

    @app.get("/")
    def index() -> Any:
        return redirect(url_for("lms_cx.home"))

    return app


def _config_from_environment(config: Config) -> None:
    """Read ``SECRET_KEY`` and each ``LMS_CX_*`` setting from the environment."""
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for key in DEFAULTS:
        if key in os.environ:
            config[key] = os.environ[key]


def _setup_login(app: Flask, lms: LmsCx) -> None:
    """Log employees in with Flask-Login and make them lms_cx's current employee."""
    from lms_cx.db import get_session
    from lms_cx.models.people import Employee

    login_manager = LoginManager(app)
    login_manager.login_view = "lms_cx_account.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_employee(employee_id: str) -> Employee | None:
        if not employee_id.isdigit():
            return None
        return get_session().get(Employee, int(employee_id))

    @lms.employee_loader
    def logged_in_employee() -> Employee | None:
        if current_user.is_authenticated:
            return current_user._get_current_object()  # type: ignore[attr-defined]
        return None
