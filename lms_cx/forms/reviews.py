"""Forms of the review pages: a cycle, an acknowledgement, a note, a webhook."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms_cx.i18n import lazy_gettext as _l


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


class CycleForm(FlaskForm):
    """A review cycle: name, period, population, the cycle to compare with."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    period_start = DateField(_l("First day of the period"), validators=[DataRequired()])
    period_end = DateField(_l("Last day of the period"), validators=[DataRequired()])
    team_ids = SelectMultipleField(
        _l("Teams"),
        coerce=int,
        description=_l("Sub-teams are included. Leave empty for everyone."),
    )
    job_roles = StringField(
        _l("Job roles"),
        validators=[Optional(), Length(max=500)],
        description=_l("Comma-separated, e.g. agent, team lead. Leave empty for any."),
    )
    previous_cycle_id = SelectField(
        _l("Compare with"),
        coerce=_optional_int,
        description=_l("Without one, packets compare with the period of the same length before."),
    )

    def population(self) -> dict[str, Any]:
        """Return the population criteria the form describes."""
        roles = [part.strip() for part in (self.job_roles.data or "").split(",") if part.strip()]
        return {"team_ids": list(self.team_ids.data or []), "job_role": roles}


class AcknowledgeForm(FlaskForm):
    """The employee acknowledges their packet, with an optional comment."""

    comment = TextAreaField(_l("Your comment (optional)"), validators=[Length(max=5000)])


class NoteForm(FlaskForm):
    """A manager's note on a packet."""

    body = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=5000)])


class WebhookForm(FlaskForm):
    """An HR system's address that receives finalized packets."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    url = StringField(
        _l("Address (URL)"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Finalized packets are posted here as signed JSON."),
    )
