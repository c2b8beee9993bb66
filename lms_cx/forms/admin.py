"""Forms of the administrator's pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from lms_cx.forms.authoring import options
from lms_cx.i18n import lazy_gettext as _l
from lms_cx.local_format import GREGORIAN, PERSIAN


class PersianCalendarForm(FlaskForm):
    """Which calendar dates are shown in to people who read lms_cx in Persian."""

    calendar = SelectField(
        _l("Calendar of dates shown in Persian"),
        choices=options(
            [
                (GREGORIAN, _l("Gregorian (21 March 2026)")),
                (PERSIAN, _l("Solar Hijri (1 Farvardin 1405)")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose a calendar."))],
    )
    submit = SubmitField(_l("Save calendar"))
