"""Translation of lms_cx's own strings, kept apart from the host application's catalogues.

``gettext`` and ``ngettext`` fill numbers into translations in the reader's digits (Persian
digits for ``fa``); dates follow the organisation's calendar for Persian readers
(``reader_calendar``). The template side lives in ``lms_cx.template_formatting``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Domain, get_locale
from flask_babel.speaklater import LazyString

from lms_cx import local_format

TRANSLATIONS_DIR = Path(__file__).parent / "translations"

#: lms_cx's message domain: ``lms_cx/translations/<locale>/LC_MESSAGES/lms_cx.mo``.
domain = Domain(translation_directories=str(TRANSLATIONS_DIR), domain="lms_cx")

#: ``%(name)d``, ``%(name)i`` or ``%(name)s`` with no width or flags: the fields a number
#: may fill in the reader's digits (``%(byte)02X`` and the like stay as they are).
_NUMBER_FIELD = re.compile(r"%\((\w+)\)([dis])")
#: Any named field, with its flags, width and conversion.
_ANY_FIELD = re.compile(r"%\((\w+)\)([-#0 +]*\d*(?:\.\d+)?[a-zA-Z])")


def gettext(string: str, **variables: Any) -> str:
    """Translate ``string`` and fill in ``variables``, numbers in the reader's digits."""
    translated = domain.get_translations().ugettext(string)
    return _fill(translated, variables) if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Translate the form of ``singular``/``plural`` that ``num`` needs and fill it in."""
    variables.setdefault("num", num)
    return _fill(domain.get_translations().ungettext(singular, plural, num), variables)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Return ``string`` translated when it is used (for module-level labels)."""
    return LazyString(gettext, string, **variables)


_ = gettext
_l = lazy_gettext


def pick_text(texts: dict[str, str] | None, locale: str, default_locale: str = "en") -> str:
    """Return the ``locale`` text of a per-locale map, else the default locale's, else any."""
    if not texts:
        return ""
    for candidate in (locale, locale.split("_")[0], default_locale):
        if texts.get(candidate):
            return texts[candidate]
    return next((text for text in texts.values() if text), "")


def _fill(translated: str, variables: Mapping[str, Any]) -> str:
    locale = _reader_locale()
    if locale is None or not local_format.writes_persian_digits(locale):
        return translated % variables
    # A number that also fills a formatted field (%(byte)02X) stays a number for that field.
    formatted = {
        name for name, spec in _ANY_FIELD.findall(translated) if spec not in ("d", "i", "s")
    }
    numbers = {
        name
        for name, value in variables.items()
        if isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and name not in formatted
    }
    if not numbers:
        return translated % variables

    def as_text(match: re.Match[str]) -> str:
        return f"%({match[1]})s" if match[1] in numbers else match[0]

    shown = dict(variables)
    for name in numbers:
        value = variables[name]
        if isinstance(value, float | Decimal):
            shown[name] = local_format.format_number(value, locale)
        else:
            # Whole numbers as gettext's %d writes them: no thousands separator.
            shown[name] = local_format.localise_digits(str(value), locale)
    return _NUMBER_FIELD.sub(as_text, translated) % shown


def _reader_locale() -> str | None:
    """Return the locale Flask-Babel speaks in now, or None outside an app."""
    if not has_app_context():
        return None
    locale = get_locale()
    return str(locale) if locale is not None else None


def reader_calendar() -> str:
    """Return the calendar of dates for Persian readers (read once per request)."""
    if not has_app_context():
        return local_format.GREGORIAN
    if has_request_context() and "lms_cx_calendar" in g:
        return g.lms_cx_calendar
    from lms_cx.db import get_session
    from lms_cx.services.calendar_setting import persian_calendar

    calendar = persian_calendar(get_session(), current_app.config["LMS_CX_PERSIAN_CALENDAR"])
    if has_request_context():
        g.lms_cx_calendar = calendar
    return calendar


def day_for_reader(day: date, locale: str, format: str = "medium") -> str:
    """Return ``day`` as a reader of ``locale`` reads it (e-mails, notices, reports)."""
    if not local_format.writes_persian_digits(locale):
        return local_format.format_day(day, locale, format)
    return local_format.format_day(day, locale, format, reader_calendar())


def persian_page_locale() -> str | None:
    """Return the locale when an lms_cx page is being written for a Persian reader."""
    locale = _reader_locale()
    if locale is None or not local_format.writes_persian_digits(locale):
        return None
    # A host's own pages keep Flask-Babel's formatting; lms_cx's pages (and its PDFs and
    # e-mails, rendered outside a request) get Persian digits and the chosen calendar.
    if has_request_context() and not (request.blueprint or "").startswith("lms_cx"):
        return None
    return locale
