"""Date, number and translation callables of lms_cx's templates, for Persian readers too.

Flask-Babel's filters (``dateformat``, ``numberformat`` …) write Latin digits and Gregorian
dates; on lms_cx's pages read in Persian they write Persian digits and the organisation's
calendar instead. ``{{ count | digits }}`` does the same for plain counts. Every other page and
locale is formatted exactly as Flask-Babel formats it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import get_timezone
from jinja2 import pass_context

from lms_cx import local_format
from lms_cx.i18n import gettext, ngettext, persian_page_locale, reader_calendar


def _format_filter(original: Callable[..., str], persian: Callable[..., str]) -> Callable[..., str]:
    def formatted(value: Any = None, *args: Any, **kwargs: Any) -> str:
        locale = persian_page_locale()
        if locale is None or value is None:
            return original(value, *args, **kwargs)
        return persian(locale, value, *args, **kwargs)

    formatted.__doc__ = original.__doc__
    return formatted


def _persian_date(locale: str, value: date, format: str | None = None, rebase: bool = True) -> str:
    if isinstance(value, datetime):
        value = _local(value) if rebase else value
    return local_format.format_day(value, locale, format or "medium", reader_calendar())


def _persian_datetime(
    locale: str, value: datetime, format: str | None = None, rebase: bool = True
) -> str:
    zone = get_timezone() if rebase else UTC
    return local_format.format_moment(value, locale, zone, format or "medium", reader_calendar())


def _persian_time(
    locale: str, value: datetime | time, format: str | None = None, rebase: bool = True
) -> str:
    return local_format.format_clock(
        value, locale, get_timezone() if rebase else None, format or "medium"
    )


def _persian_number(locale: str, value: Any, format: str | None = None) -> str:
    return local_format.format_number(value, locale, format)


def _persian_percent(locale: str, value: Any, format: str | None = None) -> str:
    return local_format.format_percent(value, locale, format)


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(get_timezone())


def install_locale_formatting(app: Flask) -> None:
    """Make the date and number filters write Persian digits and dates on lms_cx's pages,
    and add ``digits`` for plain counts."""
    filters = app.jinja_env.filters
    persian = {
        "dateformat": _persian_date,
        "datetimeformat": _persian_datetime,
        "timeformat": _persian_time,
        "numberformat": _persian_number,
        "decimalformat": _persian_number,
        "percentformat": _persian_percent,
    }
    for name, formatter in persian.items():
        if name in filters:
            filters[name] = _format_filter(filters[name], formatter)
    filters["digits"] = digits
    # Macros imported without context ({% from "..." import x %}) see the environment's
    # gettext, which Flask-Babel points at the host's domain: on lms_cx's pages, use ours.
    for name, ours in (("gettext", gettext), ("ngettext", ngettext)):
        app.jinja_env.globals[name] = _template_callable(ours, app.jinja_env.globals.get(name))


def _template_callable(ours: Callable[..., str], theirs: Any) -> Callable[..., str]:
    """Return a template global that translates with lms_cx's domain except on host pages."""
    passes_context = getattr(theirs, "jinja_pass_arg", None) is not None

    @pass_context
    def translate(context: Any, *args: Any, **kwargs: Any) -> str:
        on_host_page = has_request_context() and not (request.blueprint or "").startswith("lms_cx")
        if theirs is not None and on_host_page:
            return theirs(context, *args, **kwargs) if passes_context else theirs(*args, **kwargs)
        return ours(*args, **kwargs)

    return translate


def digits(value: object) -> str:
    """Return ``value`` as text in the reader's digits: ``{{ count | digits }}`` in templates.

    A plain count (no grouping), for Persian readers in Persian digits and for everyone else
    exactly as ``{{ count }}`` writes it.
    """
    locale = persian_page_locale()
    return str(value) if locale is None else local_format.localise_digits(str(value), locale)
