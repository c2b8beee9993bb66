"""Translation of lms_cx's own strings, kept apart from the host application's catalogues."""

from __future__ import annotations

from pathlib import Path

from flask_babel import Domain

TRANSLATIONS_DIR = Path(__file__).parent / "translations"

#: lms_cx's message domain: ``lms_cx/translations/<locale>/LC_MESSAGES/lms_cx.mo``.
domain = Domain(translation_directories=str(TRANSLATIONS_DIR), domain="lms_cx")

gettext = domain.gettext
ngettext = domain.ngettext
lazy_gettext = domain.lazy_gettext
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
