"""The content file formats (documented in docs/authoring.md), as pydantic models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PositiveInt, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from lms_cx.content.question_types import LocaleCode, Slug, Strict, Text
from lms_cx.i18n import gettext as _

LifecycleStage = Literal["onboarding", "ongoing"]
MoveOn = Literal["Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"]
TextList = dict[LocaleCode, list[str]]


def _error_at(model: str, location: tuple[str | int, ...], message: str) -> ValidationError:
    """Return a validation error pinned to ``location``, so a check names the line at fault."""
    error = PydanticCustomError("value_error", message)  # type: ignore[arg-type]
    details = InitErrorDetails(type=error, loc=location, input=None)
    return ValidationError.from_exception_data(model, [details])


def _first_repeat(ids: list[str]) -> int | None:
    """Return the index of the first id that came before, or None."""
    return next((i for i, item in enumerate(ids) if item in ids[:i]), None)


class PersonaFile(Strict):
    """``courses/personas/<id>.yaml``: a customer persona."""

    id: Slug
    default_locale: LocaleCode = "en"
    name: Text
    segment: Text
    summary: Text | None = None
    goals: TextList = {}
    frustrations: TextList = {}
    typical_phrases: TextList = {}
    good_looks_like: TextList = {}


class LessonEntry(Strict):
    """A lesson of a module; ``body`` names a Markdown file per locale, beside module.yaml."""

    id: Slug
    title: Text
    body: dict[LocaleCode, str] = Field(min_length=1)


class QuizSettings(Strict):
    """How a module's quiz is taken."""

    attempts_limit: PositiveInt | None = None
    time_limit_minutes: PositiveInt | None = None
    feedback: Literal["immediate", "end"] = "immediate"


class ModuleFile(Strict):
    """``<course>/<module>/module.yaml``: a module of one track."""

    id: Slug
    track: Slug
    lifecycle_stage: LifecycleStage
    default_locale: LocaleCode = "en"
    estimated_minutes: PositiveInt
    title: Text
    description: Text | None = None
    personas: list[Slug] = []
    quiz: Slug | None = None
    quiz_settings: QuizSettings = QuizSettings()
    lessons: list[LessonEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_lessons(self) -> ModuleFile:
        twice = _first_repeat([lesson.id for lesson in self.lessons])
        if twice is not None:
            message = _("two lessons have the id %(id)r", id=self.lessons[twice].id)
            raise _error_at("ModuleFile", ("lessons", twice, "id"), message)
        twice = _first_repeat(self.personas)
        if twice is not None:
            message = _("persona %(persona)r is listed twice", persona=self.personas[twice])
            raise _error_at("ModuleFile", ("personas", twice), message)
        return self


class CourseModuleEntry(Strict):
    """A module's place in a course, with its cmi5 rule for counting as done."""

    module: Slug
    move_on: MoveOn = "CompletedAndPassed"
    mastery_score: float | None = Field(None, ge=0, le=1)
    requires: list[Slug] = []


class CertificateSettings(Strict):
    """The course's certificate."""

    valid_days: PositiveInt | None = None


class CourseFile(Strict):
    """``<course>/course.yaml``: an ordered set of modules."""

    id: Slug
    default_locale: LocaleCode = "en"
    lifecycle_stage: LifecycleStage
    title: Text
    description: Text | None = None
    certificate: CertificateSettings = CertificateSettings()
    modules: list[CourseModuleEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _modules_in_order(self) -> CourseFile:
        seen: list[str] = []
        for index, entry in enumerate(self.modules):
            if entry.module in seen:
                message = _("module %(module)r is listed twice", module=entry.module)
                raise _error_at("CourseFile", ("modules", index, "module"), message)
            for place, required in enumerate(entry.requires):
                where = ("modules", index, "requires", place)
                if required == entry.module:
                    message = _("module %(module)r cannot require itself", module=entry.module)
                    raise _error_at("CourseFile", where, message)
                if required not in seen:
                    message = _(
                        "module %(module)r requires %(required)r, which must come earlier in "
                        "this course",
                        module=entry.module,
                        required=required,
                    )
                    raise _error_at("CourseFile", where, message)
            seen.append(entry.module)
        return self


class PoolEntry(Strict):
    """A pool of interchangeable questions; each attempt draws ``draw`` of them (all if unset)."""

    id: Slug
    draw: PositiveInt | None = None


class BankFile(Strict):
    """``quizzes/<id>.yaml``: a question bank; questions are checked one by one by type."""

    id: Slug
    default_locale: LocaleCode = "en"
    title: Text
    shuffle_questions: bool = False
    shuffle_options: bool = True
    pools: list[PoolEntry] = []
    questions: list[dict[str, Any]] = Field(min_length=1)
    source: Literal["yaml", "gift", "web"] = "yaml"

    @model_validator(mode="after")
    def _unique_pools(self) -> BankFile:
        twice = _first_repeat([pool.id for pool in self.pools])
        if twice is not None:
            message = _("two pools have the id %(id)r", id=self.pools[twice].id)
            raise _error_at("BankFile", ("pools", twice, "id"), message)
        return self
