"""Forms of the feedback pages: filters, the CSV upload, theme rules and remedial rules."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms_cx.i18n import lazy_gettext as _l
from lms_cx.services.feedback_listing import FeedbackFilters, FilterOptions

#: File name endings the upload accepts (compared without regard to case).
UPLOAD_SUFFIXES = ("csv", "tsv", "txt")

#: Encodings the upload page offers besides detecting UTF-8.
UPLOAD_ENCODINGS = (
    ("", _l("Detect (UTF-8, with or without BOM)")),
    ("cp1250", _l("cp1250 (Polish Windows)")),
    ("windows-1256", _l("windows-1256 (Persian Windows)")),
    ("iso-8859-2", _l("ISO 8859-2 (Polish)")),
    ("utf-16", _l("UTF-16")),
)


def _optional_int(value: object) -> int | None:
    """Coerce a select's value to an int, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


class FeedbackFilterForm(FlaskForm):
    """The feedback list's filters, sent by GET (so no CSRF token)."""

    class Meta:
        """Sent by GET: no CSRF token."""

        csrf = False

    q = StringField(_l("Employee or comment contains"), validators=[Optional(), Length(max=200)])
    team = SelectField(_l("Team"), coerce=_optional_int, validate_choice=False)
    track = SelectField(_l("Track"), validate_choice=False)
    channel = SelectField(_l("Channel"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    source = SelectField(_l("Source"), validate_choice=False)
    negative = BooleanField(_l("Negative only (CSAT 1–2)"))
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def offer(self, options: FilterOptions, any_label: str) -> None:
        """Fill the selects with the values the feedback holds, each after "any"."""
        anything = [("", any_label)]
        self.team.choices = anything + [(str(i), name) for i, name in options.teams]
        self.track.choices = anything + options.tracks
        self.channel.choices = anything + [(c, c) for c in options.channels]
        self.language.choices = anything + [(c, c) for c in options.languages]
        self.source.choices = anything + [(c, c) for c in options.sources]

    def filters(self) -> FeedbackFilters:
        """Return the filters asked for (a field with an error filters nothing)."""

        def valid(field: Field) -> Any:
            return None if field.errors else field.data or None

        return FeedbackFilters(
            text=valid(self.q),
            team_id=valid(self.team),
            track=valid(self.track),
            channel=valid(self.channel),
            language=valid(self.language),
            source=valid(self.source),
            negative_only=bool(self.negative.data),
            since=valid(self.since),
            until=valid(self.until),
        )


class FeedbackUploadForm(FlaskForm):
    """A CSV file of feedback and how to read it; the upload is always previewed first."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            # Help desks export "Unicode text" as .txt and tab-separated files as .tsv.
            FileAllowed(UPLOAD_SUFFIXES, _l("Choose a CSV file.")),
        ],
    )
    source = StringField(
        _l("Source of rows without a source column"),
        validators=[DataRequired(_l("Name the source.")), Length(max=60)],
    )
    encoding = SelectField(_l("Encoding"), default="")
    skip_invalid = BooleanField(_l("Import the good rows and skip bad ones"))
    submit = SubmitField(_l("Preview"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Set here rather than on the field: WTForms 3.3 deprecates tuple choices there.
        self.encoding.choices = list(UPLOAD_ENCODINGS)

    def import_options(self) -> dict[str, Any]:
        """Return how to read the file, as ``import_feedback_file`` takes it."""
        return {
            "source": (self.source.data or "").strip(),
            "encoding": self.encoding.data or None,
            "skip_invalid": bool(self.skip_invalid.data),
        }

    def filename(self) -> str:
        """Return the uploaded file's name without any folder."""
        return PurePath(self.file.data.filename or "feedback.csv").name


class ConfirmImportForm(FlaskForm):
    """Confirms the import of a previewed file."""

    submit = SubmitField(_l("Import"))


class ActionForm(FlaskForm):
    """An empty form whose CSRF token protects a button (delete, re-map, apply rules)."""


class TagMappingForm(FlaskForm):
    """Maps a tag to a track."""

    tag = StringField(_l("Tag"), validators=[DataRequired(_l("Enter a tag.")), Length(max=100)])
    track_id = SelectField(_l("Track"), coerce=_optional_int)
    submit = SubmitField(_l("Save mapping"))


class KeywordRuleForm(FlaskForm):
    """A keyword (a stem) in one language that points to a track."""

    locale = SelectField(_l("Language of the comments"))
    keyword = StringField(
        _l("Keyword or stem"),
        validators=[DataRequired(_l("Enter a keyword.")), Length(max=200)],
        description=_l(
            "A stem matches every ending: “niegrzeczn” matches niegrzeczny, niegrzeczna."
        ),
    )
    track_id = SelectField(_l("Track"), coerce=_optional_int)
    submit = SubmitField(_l("Add rule"))


class ThemePreviewForm(FlaskForm):
    """A comment to try the current rules on (GET, writes nothing)."""

    class Meta:
        """Sent by GET: no CSRF token."""

        csrf = False

    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    tags = StringField(_l("Tags (separated by commas)"), validators=[Optional(), Length(max=500)])
    language = SelectField(_l("Language"), validate_choice=False)


#: The fields of a remedial rule, as its form and ``save_remedial_rule`` name them.
RULE_FIELDS = (
    "name",
    "track_id",
    "min_negative_items",
    "window_days",
    "csat_max",
    "nps_max",
    "target",
    "due_in_days",
    "is_active",
)


class RemedialRuleForm(FlaskForm):
    """A remedial rule: the threshold in one track and the training it assigns."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Name the rule.")), Length(max=200)])
    track_id = SelectField(_l("Track"), coerce=_optional_int)
    min_negative_items = IntegerField(
        _l("Negative items needed"),
        default=3,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 1000)],
    )
    window_days = IntegerField(
        _l("Within days"),
        default=30,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 730)],
    )
    csat_max = IntegerField(
        _l("Negative when CSAT is at most"), default=2, validators=[Optional(), NumberRange(1, 5)]
    )
    nps_max = IntegerField(
        _l("…or when NPS is at most"), validators=[Optional(), NumberRange(0, 10)]
    )
    target = SelectField(_l("Training to assign"))
    due_in_days = IntegerField(
        _l("Due in days"), default=14, validators=[Optional(), NumberRange(1, 365)]
    )
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save rule"))

    def rule_fields(self) -> dict[str, Any]:
        """Return the rule's fields as ``save_remedial_rule`` takes them."""
        return {name: self[name].data for name in RULE_FIELDS}


class ApiTokenForm(FlaskForm):
    """A new API token for a help desk."""

    name = StringField(
        _l("Who uses it"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example the help desk's name; shown in the list."),
    )
