"""The forms of each kind of content: courses, modules, lessons, personas, banks and pools.

Each form's ``fields()`` gives the dataclass its service takes, and ``initial()`` the form's
data for an existing item in the language being edited.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from lms_cx.forms.authoring import (
    FEEDBACK_CHOICES,
    MOVE_ON_CHOICES,
    STAGE_CHOICES,
    MultiCheckboxField,
    OptionalSlugShape,
    SelectField,
    SlugShape,
    options,
    strip_text,
)
from lms_cx.i18n import lazy_gettext as _l
from lms_cx.models import Course, Lesson, Persona, QuestionBank
from lms_cx.services.authoring_banks import BankFields
from lms_cx.services.authoring_courses import CourseFields
from lms_cx.services.authoring_lessons import LessonFields
from lms_cx.services.authoring_modules import ModuleDraft, ModuleFields
from lms_cx.services.authoring_personas import PERSONA_LISTS, PersonaFields


class CourseForm(FlaskForm):
    """A course's settings."""

    slug = StringField(_l("Slug"), validators=[SlugShape()], filters=[strip_text])
    title = StringField(_l("Title"), filters=[strip_text])
    description = TextAreaField(_l("Description (Markdown)"))
    lifecycle_stage = SelectField(_l("Lifecycle stage"), choices=options(STAGE_CHOICES))
    default_locale = SelectField(_l("Default language"))
    certificate_valid_days = IntegerField(
        _l("Certificate valid for (days)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter 1 or more days."))],
    )

    @staticmethod
    def initial(course: Course, locale: str) -> dict[str, Any]:
        """Return the form's data for ``course`` in ``locale``."""
        return {
            "slug": course.slug,
            "title": course.title.get(locale, ""),
            "description": course.description.get(locale, ""),
            "lifecycle_stage": course.lifecycle_stage,
            "default_locale": course.default_locale,
            "certificate_valid_days": course.certificate_valid_days,
        }

    def fields(self) -> CourseFields:
        """Return what the form holds, for the course services."""
        return CourseFields(
            title=self.title.data or "",
            description=self.description.data or "",
            lifecycle_stage=self.lifecycle_stage.data,
            default_locale=self.default_locale.data,
            certificate_valid_days=self.certificate_valid_days.data,
            slug=self.slug.data if "slug" in self else None,
        )


class ModuleForm(FlaskForm):
    """A module's settings: track, stage, time, quiz, personas."""

    slug = StringField(_l("Slug"), validators=[SlugShape()], filters=[strip_text])
    title = StringField(_l("Title"), filters=[strip_text])
    description = TextAreaField(_l("Description (Markdown)"))
    track = SelectField(_l("Competency track"))
    lifecycle_stage = SelectField(_l("Lifecycle stage"), choices=options(STAGE_CHOICES))
    estimated_minutes = IntegerField(
        _l("Estimated minutes"),
        validators=[
            InputRequired(_l("Enter the estimated minutes.")),
            NumberRange(min=1, message=_l("Enter 1 minute or more.")),
        ],
    )
    default_locale = SelectField(_l("Default language"))
    bank = SelectField(_l("Quiz question bank"))
    attempts_limit = IntegerField(
        _l("Attempts allowed"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter 1 or more."))],
    )
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter 1 or more."))],
    )
    feedback_mode = SelectField(_l("Learners see feedback"), choices=options(FEEDBACK_CHOICES))
    personas = MultiCheckboxField(_l("Featured personas"))

    @staticmethod
    def initial(draft: ModuleDraft, locale: str) -> dict[str, Any]:
        """Return the form's data for a module in ``locale``."""
        module = draft.module
        return {
            "slug": module.slug,
            "title": module.title.get(locale, ""),
            "description": module.description.get(locale, ""),
            "track": draft.track_code,
            "lifecycle_stage": module.lifecycle_stage,
            "estimated_minutes": module.estimated_minutes,
            "default_locale": module.default_locale,
            "bank": draft.bank_slug,
            "attempts_limit": module.attempts_limit,
            "time_limit_minutes": module.time_limit_minutes,
            "feedback_mode": module.feedback_mode,
            "personas": draft.persona_slugs,
        }

    def set_choices(
        self,
        tracks: list[tuple[str, str]],
        banks: list[tuple[str, str]],
        personas: list[tuple[str, str]],
        locales: list[tuple[str, str]],
    ) -> None:
        """Offer the tracks, banks, personas and languages that exist."""
        self.track.choices = tracks
        self.bank.choices = [("", _l("No quiz")), *banks]
        self.personas.choices = personas
        self.default_locale.choices = locales

    def fields(self) -> ModuleFields:
        """Return what the form holds, for the module services."""
        return ModuleFields(
            title=self.title.data or "",
            description=self.description.data or "",
            track_code=self.track.data,
            lifecycle_stage=self.lifecycle_stage.data,
            estimated_minutes=self.estimated_minutes.data,
            default_locale=self.default_locale.data,
            bank_slug=self.bank.data or None,
            attempts_limit=self.attempts_limit.data,
            time_limit_minutes=self.time_limit_minutes.data,
            feedback_mode=self.feedback_mode.data,
            persona_slugs=list(self.personas.data or []),
            slug=self.slug.data if "slug" in self else None,
        )


class LessonForm(FlaskForm):
    """A lesson: title and Markdown body, with a server-rendered preview."""

    slug = StringField(
        _l("Slug"),
        validators=[OptionalSlugShape()],
        filters=[strip_text],
        description=_l("Leave blank to make one from the title."),
    )
    title = StringField(_l("Title"), filters=[strip_text])
    body = TextAreaField(_l("Lesson text (Markdown)"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save lesson"))

    @staticmethod
    def initial(lesson: Lesson, locale: str) -> dict[str, Any]:
        """Return the form's data for ``lesson`` in ``locale``."""
        return {"title": lesson.title.get(locale, ""), "body": lesson.body.get(locale, "")}

    def fields(self) -> LessonFields:
        """Return what the form holds, for the lesson services."""
        return LessonFields(
            title=self.title.data or "",
            body=self.body.data or "",
            slug=self.slug.data if "slug" in self else None,
        )


class PersonaForm(FlaskForm):
    """A customer persona; each list is written one item a line."""

    slug = StringField(_l("Slug"), validators=[SlugShape()], filters=[strip_text])
    name = StringField(_l("Name"), filters=[strip_text])
    segment = StringField(_l("Segment"), filters=[strip_text])
    summary = TextAreaField(_l("Summary"))
    goals = TextAreaField(_l("Goals"), description=_l("One a line."))
    frustrations = TextAreaField(_l("Frustrations"), description=_l("One a line."))
    typical_phrases = TextAreaField(_l("Typical phrases"), description=_l("One a line."))
    good_looks_like = TextAreaField(
        _l("What good service looks like"), description=_l("One a line.")
    )
    default_locale = SelectField(_l("Default language"))

    @staticmethod
    def initial(persona: Persona, locale: str) -> dict[str, Any]:
        """Return the form's data for ``persona`` in ``locale`` (lists one item a line)."""
        data: dict[str, Any] = {
            name: getattr(persona, name).get(locale, "") for name in ("name", "segment", "summary")
        }
        for name in PERSONA_LISTS:
            data[name] = "\n".join(getattr(persona, name).get(locale, []))
        data.update(slug=persona.slug, default_locale=persona.default_locale)
        return data

    def fields(self) -> PersonaFields:
        """Return what the form holds, for the persona services."""
        return PersonaFields(
            name=self.name.data or "",
            segment=self.segment.data or "",
            summary=self.summary.data or "",
            goals=self.goals.data or "",
            frustrations=self.frustrations.data or "",
            typical_phrases=self.typical_phrases.data or "",
            good_looks_like=self.good_looks_like.data or "",
            default_locale=self.default_locale.data,
            slug=self.slug.data if "slug" in self else None,
        )


class BankForm(FlaskForm):
    """A question bank's title and shuffle settings."""

    slug = StringField(_l("Slug"), validators=[SlugShape()], filters=[strip_text])
    title = StringField(_l("Title"), filters=[strip_text])
    default_locale = SelectField(_l("Default language"))
    shuffle_questions = BooleanField(_l("Shuffle the order of questions"))
    shuffle_options = BooleanField(_l("Shuffle the order of options"))

    @staticmethod
    def initial(bank: QuestionBank, locale: str) -> dict[str, Any]:
        """Return the form's data for ``bank`` in ``locale``."""
        return {
            "slug": bank.slug,
            "title": bank.title.get(locale, ""),
            "default_locale": bank.default_locale,
            "shuffle_questions": bank.shuffle_questions,
            "shuffle_options": bank.shuffle_options,
        }

    def fields(self) -> BankFields:
        """Return what the form holds, for the bank services."""
        return BankFields(
            title=self.title.data or "",
            default_locale=self.default_locale.data,
            shuffle_questions=bool(self.shuffle_questions.data),
            shuffle_options=bool(self.shuffle_options.data),
            slug=self.slug.data if "slug" in self else None,
        )


class PoolForm(FlaskForm):
    """A new pool: each attempt draws ``draw_count`` of its questions."""

    slug = StringField(_l("Pool slug"), validators=[SlugShape()], filters=[strip_text])
    draw_count = IntegerField(
        _l("Questions drawn per attempt"),
        validators=[
            InputRequired(_l("Enter how many questions each attempt draws.")),
            NumberRange(min=1, message=_l("Enter 1 or more.")),
        ],
    )


class PoolDrawForm(FlaskForm):
    """Change how many questions a pool gives each attempt."""

    draw_count = IntegerField(
        _l("Questions drawn per attempt"),
        validators=[
            InputRequired(_l("Enter how many questions each attempt draws.")),
            NumberRange(min=1, message=_l("Enter 1 or more.")),
        ],
    )


class CloneForm(FlaskForm):
    """Copy something under a new slug (and optionally a new title)."""

    slug = StringField(_l("New slug"), validators=[SlugShape()], filters=[strip_text])
    title = StringField(
        _l("New title"), filters=[strip_text], description=_l("Leave blank to keep the title.")
    )


class ModuleCloneForm(CloneForm):
    """Copy a module; its quiz bank is copied too unless the trainer shares it."""

    copy_bank = BooleanField(_l("Copy the quiz bank too (otherwise the copy shares it)"))
    bank_slug = StringField(
        _l("Slug of the copied bank"),
        validators=[OptionalSlugShape()],
        filters=[strip_text],
        description=_l("Leave blank to use the module's new slug."),
    )


def _percent_to_score(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


class CourseModuleAddForm(FlaskForm):
    """Add a module to a course with its completion rule."""

    module = SelectField(_l("Module"))
    move_on = SelectField(_l("Counts as done when"), choices=options(MOVE_ON_CHOICES))
    mastery_score = IntegerField(
        _l("Mastery score (%)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Enter a score from 0 to 100.")),
        ],
        description=_l("Leave blank to use the quiz's own pass mark."),
    )

    def score(self) -> float | None:
        """Return the mastery score as cmi5's 0..1."""
        return _percent_to_score(self.mastery_score.data)


class CourseModuleForm(FlaskForm):
    """A module's completion rule and prerequisites within a course."""

    move_on = SelectField(_l("Counts as done when"), choices=options(MOVE_ON_CHOICES))
    mastery_score = IntegerField(
        _l("Mastery score (%)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Enter a score from 0 to 100.")),
        ],
        description=_l("Leave blank to use the quiz's own pass mark."),
    )
    requires = MultiCheckboxField(_l("Learners must first finish"))

    def score(self) -> float | None:
        """Return the mastery score as cmi5's 0..1."""
        return _percent_to_score(self.mastery_score.data)
