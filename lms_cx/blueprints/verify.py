"""The public certificate check: anyone with a verification code sees what it certifies."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale

from lms_cx.db import get_session, utcnow
from lms_cx.services.certificates import normalise_code, verify_certificate

#: Named ``lms_cx_*`` so lms_cx's templates get their context (gettext, layout) here too.
verify = Blueprint("lms_cx_verify", __name__)


@verify.get("/")
def lookup() -> Any:
    """Ask for a code (``?code=`` sends the form to the certificate's page)."""
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for(".certificate", code=normalise_code(code)))
    return render_template("lms_cx/certificates/verify.html", certificate=None, code=None)


@verify.get("/<code>")
def certificate(code: str) -> Any:
    """Show whether the certificate with ``code`` is valid: who, what, when, until when."""
    view = verify_certificate(get_session(), code, str(get_locale()), utcnow())
    status = 200 if view is not None else 404
    return render_template("lms_cx/certificates/verify.html", certificate=view, code=code), status
