"""The embedded Learning Record Store's HTTP API (xAPI 1.0.3)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from lms_cx.xapi.vocab import XAPI_VERSION

xapi = Blueprint("lms_cx_xapi", __name__)


@xapi.get("/about")
def about() -> Any:
    """Answer the About resource: the xAPI versions this LRS speaks (xAPI 1.0.3, part 3, 7.7)."""
    response = jsonify({"version": [XAPI_VERSION], "extensions": {}})
    response.headers["X-Experience-API-Version"] = XAPI_VERSION
    return response
