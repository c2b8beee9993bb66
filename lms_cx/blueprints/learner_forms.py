"""The learner's forms: each one's CSRF token, and the quiz's submission key.

Answer fields differ by question type, so the quiz engine reads them itself
(``lms_cx.services.quiz_scoring``); these forms protect the requests and carry the hidden
values every type shares.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import Optional


class ActionForm(FlaskForm):
    """An empty form: its CSRF token protects a one-button action (start a quiz attempt)."""


class AnswerForm(FlaskForm):
    """The question being answered (its key, its position) and, in a scenario, the step."""

    question = HiddenField()
    position = IntegerField(validators=[Optional()])
    step = HiddenField()


class SubmitAttemptForm(FlaskForm):
    """Submit an attempt; ``submission_key`` makes a repeated submit a no-op."""

    submission_key = HiddenField()
