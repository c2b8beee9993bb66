"""The trainer's pages: the catalogue, and web authoring of courses, modules, lessons,
personas and question banks (routes in ``trainer_*.py``, all on this one blueprint).

Views stay thin: they check a form, call one service, then render or redirect. Every page
edits texts in one language at a time, the ``?locale=`` of its address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from lms_cx.auth import role_required
from lms_cx.db import get_session
from lms_cx.forms.authoring import ActionForm, locale_choices
from lms_cx.services.authoring import FieldErrors
from lms_cx.services.catalogue import catalogue_overview
from lms_cx.templating import text_direction

trainer = Blueprint("trainer", __name__)

#: Roles that may author content.
AUTHORS = ("trainer", "admin")

T = TypeVar("T")


def found(value: T | None) -> T:
    """Return ``value``, or answer 404 when it is None."""
    if value is None:
        abort(404)
    return value


def ui_locale() -> str:
    """Return the locale the interface speaks (for names of tracks, modules...)."""
    return str(get_locale() or current_app.config["LMS_CX_DEFAULT_LOCALE"])


def offered_locales(*extra: str) -> list[str]:
    """Return the configured locales, plus ``extra`` ones an item already uses."""
    locales = list(current_app.config["LMS_CX_LOCALES"])
    return locales + [code for code in extra if code and code not in locales]


def editing_locale(default: str, *known: str) -> str:
    """Return the language being edited: ``?locale=`` if offered, else ``default``."""
    wanted = request.args.get("locale") or default
    return wanted if wanted in offered_locales(default, *known) else default


def render_page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render a trainer template with the language-switching context it expects."""
    # One-button forms print a token; a host app may have no CSRFProtect to provide it.
    context.setdefault("csrf_token", generate_csrf)
    locale = context.get("locale")
    if locale:
        context.setdefault("edit_dir", text_direction(locale))
        context.setdefault(
            "locale_links",
            locale_choices(offered_locales(locale, context.get("default_locale", ""))),
        )
    return render_template(f"lms_cx/trainer/{template}", **context), status


def render_form(template: str, form: Any, **context: Any) -> tuple[str, int]:
    """Render a page with a form; 422 when the form shows problems (nothing was saved)."""
    failed = bool(form.errors) or getattr(form, "refused", False)
    return render_page(template, 422 if failed else 200, form=form, **context)


def confirm_delete(
    delete: Callable[[], object], *, what: str, back: str, done: str, deleted: str
) -> Any:
    """Ask on GET, delete on a valid POST: the one shape of every trainer delete page.

    A refusal from the service is flashed and leads ``back`` to the object; a deletion
    flashes ``deleted`` and goes to ``done``.
    """
    form = ActionForm()
    if form.validate_on_submit():
        try:
            delete()
        except FieldErrors as errors:
            flash_errors(errors)
            return redirect(back)
        flash(deleted, "info")
        return redirect(done)
    return render_page("confirm_delete.html", form=form, what=what, back=back)


def flash_errors(errors: FieldErrors) -> None:
    """Flash every problem of a one-button action (archive, move...), which has no fields."""
    for messages in errors.errors.values():
        for message in messages:
            flash(message, "error")


@trainer.get("/")
@role_required(*AUTHORS)
def home() -> Any:
    """Show the catalogue by track and course, with question counts and published versions."""
    overview = catalogue_overview(get_session(), ui_locale())
    return render_template("lms_cx/trainer/home.html", overview=overview)


# The authoring pages add their routes to ``trainer`` when imported (Flask's pattern for a
# blueprint split over several modules); they import the helpers above.
from lms_cx.blueprints import (  # noqa: E402
    trainer_banks,  # noqa: F401
    trainer_courses,  # noqa: F401
    trainer_modules,  # noqa: F401
    trainer_personas,  # noqa: F401
)
