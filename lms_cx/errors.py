"""Exceptions lms_cx raises for people to read (never shown as a traceback)."""

from __future__ import annotations

from flask.cli import NoAppException


class ConfigurationError(NoAppException):
    """The app's configuration cannot work; the message says which key and why.

    It derives from Flask's ``NoAppException`` so that ``flask`` commands print it as one
    ``Error: ...`` line instead of a traceback when the standalone app refuses to start.
    """


class ValidationError(ValueError):
    """Input that breaks a rule; ``field`` names where (a form field, a file:line, a JSON path)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message
