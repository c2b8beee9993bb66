"""Errors of the LRS, each carrying the HTTP status the xAPI resources answer with."""

from __future__ import annotations

from lms_cx.errors import ValidationError


class StatementError(ValidationError):
    """A statement (or a batch) breaks a rule of xAPI 1.0.3; nothing of the batch is stored.

    ``field`` names the offending property as a path (``actor.mbox``), prefixed by the
    statement's index in a batch (``statements[2].actor.mbox``).
    """

    status = 400

    def __init__(self, message: str, field: str | None = None, index: int | None = None) -> None:
        super().__init__(message, field)
        self.index = index


class StatementConflict(StatementError):
    """A statement id is already stored with different content (answered with 409)."""

    status = 409


class XapiRequestError(ValidationError):
    """A request to an xAPI resource is malformed (parameters, headers, body)."""

    status = 400


class XapiForbidden(XapiRequestError):
    """The credential may not do this (answered with 403)."""

    status = 403


class XapiMethodNotAllowed(XapiRequestError):
    """The resource has no such method (answered with 405 and an ``Allow`` header)."""

    status = 405

    def __init__(self, method: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"{method} is not a method of this resource", "method")
        self.allowed = allowed


class XapiNotFound(XapiRequestError):
    """The statement or document does not exist (answered with 404)."""

    status = 404


class XapiTooLarge(XapiRequestError):
    """The request body is longer than ``LMS_CX_XAPI_MAX_BODY_BYTES`` (answered with 413)."""

    status = 413


class XapiPreconditionFailed(XapiRequestError):
    """A document's ``If-Match``/``If-None-Match`` does not hold (answered with 412)."""

    status = 412


class XapiPreconditionRequired(XapiRequestError):
    """A document write came without the concurrency headers it needs (answered with 409)."""

    status = 409
