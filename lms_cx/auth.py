"""Who is asking: the current employee, role checks, and the locale and zone to speak in."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click
from flask import abort, current_app, g, has_request_context, request

from lms_cx.extension import get_state

if TYPE_CHECKING:
    from lms_cx.models.people import Employee

F = TypeVar("F", bound=Callable[..., Any])


def current_employee() -> Employee | None:
    """Return the employee behind this request (once per request), or None when anonymous."""
    if not has_request_context():
        return None
    if "lms_cx_employee" not in g:
        loader = get_state().employee_loader
        employee = loader() if loader is not None else None
        if employee is not None and not employee.is_active:
            employee = None
        g.lms_cx_employee = employee
    return g.lms_cx_employee


def _unauthenticated() -> Any:
    """Send an anonymous visitor to the host's login page when there is one, else 401."""
    login_manager = getattr(current_app, "login_manager", None)
    if login_manager is not None:
        return login_manager.unauthorized()
    abort(401)


def login_required(view: F) -> F:
    """Let only a known, active employee in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_employee() is None:
            return _unauthenticated()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    """Let in an employee who holds any of ``roles``; others get 403, anonymous visitors log in."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            employee = current_employee()
            if employee is None:
                return _unauthenticated()
            if not employee.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def select_locale() -> str:
    """Pick the interface language: the employee's profile, then the browser (or, on the
    command line, the shell's locale), then the default."""
    config = current_app.config
    offered = list(config["LMS_CX_LOCALES"])
    employee = current_employee()
    if employee is not None and employee.locale:
        # A regional profile locale (fa_IR, pl-PL) speaks the offered language it belongs to.
        for candidate in (employee.locale, employee.locale.replace("-", "_").split("_")[0]):
            if candidate in offered:
                return candidate
    if has_request_context():
        best = request.accept_languages.best_match(offered)
        if best:
            return best
    elif click.get_current_context(silent=True) is not None:
        shell = _shell_locale(offered)
        if shell:
            return shell
    return config["LMS_CX_DEFAULT_LOCALE"]


def _shell_locale(offered: list[str]) -> str | None:
    """Return the offered locale the shell's LC_ALL, LC_MESSAGES or LANG names, if any."""
    # As in POSIX, the first of these that is set decides alone (LANG=pl_PL with
    # LC_ALL=C speaks the default, as every other program in that shell does).
    setting = next(
        (os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)),
        "",
    )
    # pl_PL.UTF-8, fa_IR@calendar, sr_RS.UTF-8@latin: drop the encoding and modifier.
    name = setting.split(".")[0].split("@")[0]
    for candidate in (name, name.split("_")[0]):
        if candidate in offered:
            return candidate
    return None


def select_timezone() -> str:
    """Pick the time zone dates are shown in: the employee's, else the configured default."""
    employee = current_employee()
    if employee is not None and employee.time_zone:
        return employee.time_zone
    return current_app.config["LMS_CX_DEFAULT_TIMEZONE"]
