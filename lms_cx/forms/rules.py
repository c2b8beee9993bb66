"""Forms of the assignment-rules pages: a rule (always previewed before saving), on/off, delete."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lms_cx.i18n import lazy_gettext as _l
from lms_cx.services.rule_matching import RuleSpec

#: The triggers as the form offers them.
TRIGGER_CHOICES = (
    ("on_hire", _l("On hire (due counted from the hire date)")),
    ("day_n", _l("On day N after hire (30, 60, 90...)")),
    ("on_change", _l("When the job role or team changes")),
    ("every_n_days", _l("Every N days (a refresher)")),
    ("certificate_expiry", _l("N days before a certificate of the course expires")),
)

#: App roles as the form offers them.
ROLE_CHOICES = (
    ("learner", _l("Learner")),
    ("trainer", _l("Trainer")),
    ("manager", _l("Manager")),
    ("admin", _l("Administrator")),
)

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None  # type: ignore[assignment,misc]


def as_choices(pairs: Any) -> list[Any]:
    """Return ``(value, label)`` pairs as the installed WTForms wants its choices."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


_DAYS = [Optional(), NumberRange(min=0, max=3650, message=_l("Use 0 to 3650 days."))]


def _words(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class RuleForm(FlaskForm):
    """Who, what, when and by when; ``preview`` shows who it assigns, ``save`` stores it."""

    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the rule a name.")), Length(max=200)]
    )
    content = SelectField(
        _l("Assign"), validators=[DataRequired(_l("Choose a course or a module."))]
    )
    trigger = SelectField(_l("When"), choices=as_choices(TRIGGER_CHOICES))
    offset_days = IntegerField(
        _l("N days (day N after hire, refresher period, or lead time before expiry)"),
        validators=_DAYS,
    )
    due_in_days = IntegerField(_l("Due in (days after the rule fires)"), validators=_DAYS)
    window_days = IntegerField(
        _l("Reach back at most (days; empty: everyone who matches)"), validators=_DAYS
    )
    job_role = StringField(_l("Job roles (comma-separated; empty: any)"))
    location = StringField(_l("Locations (comma-separated; empty: any)"))
    team_ids = SelectMultipleField(_l("Teams, with their sub-teams (none: any)"), coerce=int)
    app_roles = SelectMultipleField(_l("App roles (none: any)"), choices=as_choices(ROLE_CHOICES))
    attributes = TextAreaField(
        _l("Other HR attributes, one per line: name = value, value"),
        validators=[Length(max=2000)],
    )
    #: What the last preview showed; saving a rule that changed since needs a new preview.
    fingerprint = HiddenField()
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save rule"))

    def validate_attributes(self, field: Any) -> None:
        """Check that each line reads ``name = value, value``."""
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if line.strip() and ("=" not in line or not line.split("=", 1)[0].strip()):
                raise ValidationError(_l("Line %(line)d: write name = value.", line=number))

    def to_spec(self, rule_id: int | None = None) -> RuleSpec:
        """Return the rule the form describes (checked further by the service)."""
        kind, _sep, content_id = (self.content.data or "").partition(":")
        attributes: dict[str, list[str]] = {}
        for line in (self.attributes.data or "").splitlines():
            if "=" in line:
                name, values = line.split("=", 1)
                attributes.setdefault(name.strip(), []).extend(_words(values))
        criteria = {
            "job_role": _words(self.job_role.data),
            "location": _words(self.location.data),
            "team_ids": list(self.team_ids.data or []),
            "app_roles": list(self.app_roles.data or []),
            "attributes": attributes,
        }
        return RuleSpec(
            name=self.name.data or "",
            trigger=self.trigger.data or "",
            criteria=criteria,
            course_id=int(content_id) if kind == "course" and content_id.isdigit() else None,
            module_id=int(content_id) if kind == "module" and content_id.isdigit() else None,
            offset_days=self.offset_days.data,
            due_in_days=self.due_in_days.data,
            window_days=self.window_days.data,
            rule_id=rule_id,
        )

    def fill_from(self, spec: RuleSpec) -> None:
        """Put a saved rule into the form."""
        criteria = spec.criteria
        self.name.data = spec.name
        self.trigger.data = spec.trigger
        self.content.data = (
            f"course:{spec.course_id}" if spec.course_id else f"module:{spec.module_id}"
        )
        self.offset_days.data = spec.offset_days
        self.due_in_days.data = spec.due_in_days
        self.window_days.data = spec.window_days
        self.job_role.data = ", ".join(criteria.get("job_role", []))
        self.location.data = ", ".join(criteria.get("location", []))
        self.team_ids.data = list(criteria.get("team_ids", []))
        self.app_roles.data = list(criteria.get("app_roles", []))
        self.attributes.data = "\n".join(
            f"{name} = {', '.join(values)}"
            for name, values in (criteria.get("attributes") or {}).items()
        )


class RuleActiveForm(FlaskForm):
    """Switch a rule off or on (a POST with a CSRF token)."""

    active = HiddenField()


class RuleDeleteForm(FlaskForm):
    """Confirm deleting a rule: an empty form whose CSRF token protects the button."""
