"""What every lms_cx template can use: gettext of lms_cx's domain, the layout, the person."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for
from flask_babel import get_locale

from lms_cx.auth import current_employee
from lms_cx.i18n import gettext, ngettext

#: Locales written right to left.
RTL_LOCALES = frozenset({"fa", "ar", "he", "ur"})


def text_direction(locale: str) -> str:
    """Return ``"rtl"`` for right-to-left locales, else ``"ltr"``."""
    return "rtl" if locale.split("_")[0] in RTL_LOCALES else "ltr"


def template_context() -> dict[str, Any]:
    """Give lms_cx's templates their names, and leave the host's templates alone."""
    if not (has_request_context() and (request.blueprint or "").startswith("lms_cx")):
        return {}
    locale = str(get_locale() or current_app.config["LMS_CX_DEFAULT_LOCALE"])
    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "lms_cx_base_template": current_app.config["LMS_CX_BASE_TEMPLATE"],
        "lms_cx_site_name": current_app.config["LMS_CX_SITE_NAME"],
        "current_employee": current_employee(),
        "page_locale": locale,
        "page_dir": text_direction(locale),
        # Only the standalone app has its own sign-out; a host app signs people out itself.
        "lms_cx_logout_url": url_for("lms_cx_account.logout")
        if "lms_cx_account.logout" in current_app.view_functions
        else None,
    }
