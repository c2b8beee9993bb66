"""Learning events become xAPI 1.0.3 statements here, and nowhere else.

An *event* is a plain JSON-able dict that a service describes (who, what, when, in which
registration, with which result); a *transformer* registered under the event's name turns it
into a statement. As in openedx/event-routing-backends::

    statement = build_statement(
        {"event": "lesson.experienced", "key": "...", "timestamp": "...", "learner": {...}, ...},
        StatementSettings(activity_base="https://lms.example.com/xapi/activities"),
    )

The statement id is a UUID 5 of the event's name and key, so building the same event again
gives the same statement (re-emitting is idempotent). Activity ids live under
``LMS_CX_XAPI_ACTIVITY_BASE``; ``docs/xapi.md`` is the profile, generated from these
transformers by ``tests/learner/test_xapi_profile_doc.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from lms_cx.xapi import vocab

Event = dict[str, Any]
Statement = dict[str, Any]

#: Namespace of statement ids: ``uuid5(STATEMENT_NAMESPACE, "<event>|<key>")``.
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, vocab.LMS_CX_PROFILE)


@dataclass(frozen=True)
class StatementSettings:
    """The configuration statement building reads (``LMS_CX_XAPI_*``)."""

    activity_base: str
    #: ``"mbox"`` (``mailto:`` the learner's email) or ``"account"`` (their employee id).
    actor_ifi: str = "mbox"
    account_homepage: str = "https://lms-cx.example.com"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> StatementSettings:
        """Return the settings of an app's config."""
        return cls(
            activity_base=str(config["LMS_CX_XAPI_ACTIVITY_BASE"]).rstrip("/"),
            actor_ifi=str(config["LMS_CX_XAPI_ACTOR_IFI"]),
            account_homepage=str(config["LMS_CX_XAPI_ACCOUNT_HOMEPAGE"]),
        )


# --- Activity ids: every service that looks up progress computes them here too. -------------


def course_activity_id(base: str, course_slug: str) -> str:
    """Return the activity id of a course."""
    return f"{base.rstrip('/')}/courses/{course_slug}"


def module_activity_id(base: str, module_slug: str) -> str:
    """Return the activity id of a module (the id external content reports on, too)."""
    return f"{base.rstrip('/')}/modules/{module_slug}"


def lesson_activity_id(base: str, module_slug: str, lesson_slug: str) -> str:
    """Return the activity id of a lesson of a module."""
    return f"{module_activity_id(base, module_slug)}/lessons/{lesson_slug}"


def quiz_activity_id(base: str, module_slug: str) -> str:
    """Return the activity id of a module's quiz."""
    return f"{module_activity_id(base, module_slug)}/quiz"


def question_activity_id(base: str, question_key: str) -> str:
    """Return the activity id of a question (``bank-slug/question-slug``)."""
    return f"{base.rstrip('/')}/questions/{question_key}"


def track_activity_id(base: str, track_code: str) -> str:
    """Return the activity id of a competency track."""
    return f"{base.rstrip('/')}/tracks/{track_code}"


def statement_id(event: Event) -> uuid.UUID:
    """Return the deterministic id of the statement ``event`` becomes."""
    return uuid.uuid5(STATEMENT_NAMESPACE, f"{event['event']}|{event['key']}")


def iso_timestamp(moment: datetime) -> str:
    """Return an aware datetime as an ISO 8601 UTC timestamp with milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds: float) -> str:
    """Return a duration in ISO 8601 (``PT1H2M3.5S``), as ``result.duration`` wants it."""
    centis = max(0, round(seconds * 100))
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6_000)
    whole, fraction = divmod(centis, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or fraction or text == "PT":
        text += f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S"
    return text


# --- The registry. --------------------------------------------------------------------------


class Transformer:
    """Turn one kind of learning event into a statement; subclasses set the parts that differ.

    ``verb`` is the verb IRI; ``object_kind`` names what the statement is about (``course``,
    ``module``, ``lesson``, ``quiz``, ``question``), which also decides its context activities.
    """

    verb: ClassVar[str]
    object_kind: ClassVar[str]
    #: One line for the profile (docs/xapi.md): when the event happens.
    when: ClassVar[str] = ""
    #: What ``result`` carries, for the profile.
    result_doc: ClassVar[str] = "—"

    def __init__(self, event: Event, settings: StatementSettings) -> None:
        self.event = event
        self.settings = settings
        self.base = settings.activity_base

    def statement(self) -> Statement:
        """Return the whole statement."""
        statement: Statement = {
            "id": str(statement_id(self.event)),
            "actor": self.actor(),
            "verb": {"id": self.verb, "display": {"en-US": self.verb.rsplit("/", 1)[-1]}},
            "object": self.object(),
        }
        result = self.result()
        if result:
            statement["result"] = result
        context = self.context()
        if context:
            statement["context"] = context
        statement["timestamp"] = self.event["timestamp"]
        statement["version"] = vocab.XAPI_VERSION
        return statement

    # Actor.

    def actor(self) -> dict[str, Any]:
        """Return the learner as an Agent, identified as ``LMS_CX_XAPI_ACTOR_IFI`` says."""
        learner = self.event["learner"]
        agent: dict[str, Any] = {"objectType": "Agent", "name": learner["name"]}
        if self.settings.actor_ifi == "account":
            agent["account"] = {
                "homePage": self.settings.account_homepage,
                "name": str(learner["account"]),
            }
        else:
            agent["mbox"] = f"mailto:{learner['email']}"
        return agent

    def team(self) -> dict[str, Any] | None:
        """Return the learner's team as an identified Group, or None."""
        team = self.event["learner"].get("team")
        if not team:
            return None
        return {
            "objectType": "Group",
            "name": team["name"],
            "account": {"homePage": self.settings.account_homepage, "name": f"team:{team['key']}"},
        }

    # Activities.

    def activity(self, kind: str) -> dict[str, Any]:
        """Return the ``course``, ``module``, ``lesson``, ``quiz`` or ``question`` activity."""
        event, base = self.event, self.base
        if kind == "course":
            course = event["course"]
            return _activity(
                course_activity_id(base, course["slug"]),
                vocab.ACTIVITY_TYPE_COURSE,
                course.get("title"),
                course.get("description"),
            )
        module = event["module"]
        if kind == "module":
            return _activity(
                module_activity_id(base, module["slug"]),
                vocab.ACTIVITY_TYPE_MODULE,
                module.get("title"),
                module.get("description"),
            )
        if kind == "lesson":
            lesson = event["lesson"]
            return _activity(
                lesson_activity_id(base, module["slug"], lesson["slug"]),
                vocab.ACTIVITY_TYPE_LESSON,
                lesson.get("title"),
            )
        if kind == "quiz":
            return _activity(
                quiz_activity_id(base, module["slug"]),
                vocab.ACTIVITY_TYPE_ASSESSMENT,
                module.get("title"),
            )
        if kind == "question":
            question = event["question"]
            activity = _activity(
                question_activity_id(base, question["key"]),
                vocab.ACTIVITY_TYPE_INTERACTION,
                question.get("prompt"),
                question["data"].get("situation"),
            )
            activity["definition"].update(interaction_definition(question))
            return activity
        raise ValueError(f"unknown activity kind {kind!r}")

    def object(self) -> dict[str, Any]:
        """Return the statement's object: the activity of ``object_kind``."""
        return self.activity(self.object_kind)

    # Result and context.

    def result(self) -> dict[str, Any] | None:
        """Return ``result`` from the event's result part, or None."""
        return build_result(self.event.get("result"))

    def context_activities(self) -> dict[str, list[dict[str, Any]]]:
        """Return parent (the enclosing module or course), grouping (the course), category."""
        event = self.event
        has_course = bool(event.get("course"))
        relations: dict[str, list[dict[str, Any]]] = {}
        if self.object_kind == "module" and has_course:
            relations["parent"] = [_reference(self.activity("course"))]
        elif self.object_kind in ("lesson", "quiz", "question"):
            relations["parent"] = [_reference(self.activity("module"))]
            if has_course:
                relations["grouping"] = [_reference(self.activity("course"))]
            if self.object_kind == "question":
                relations["other"] = [_reference(self.activity("quiz"))]
        category = []
        track = (event.get("module") or {}).get("track")
        if track and self.object_kind != "course":
            category.append(
                {
                    "objectType": "Activity",
                    "id": track_activity_id(self.base, track),
                    "definition": {"type": vocab.ACTIVITY_TYPE_TRACK},
                }
            )
        category.append(
            {
                "objectType": "Activity",
                "id": vocab.LMS_CX_PROFILE,
                "definition": {"type": vocab.ACTIVITY_TYPE_PROFILE},
            }
        )
        relations["category"] = category
        return relations

    def context_extensions(self) -> dict[str, Any]:
        """Return the pinned versions and, within an attempt, its number and pass mark."""
        event = self.event
        extensions: dict[str, Any] = {}
        if event.get("course") and event["course"].get("version") is not None:
            extensions[vocab.EXT_COURSE_VERSION] = event["course"]["version"]
        if event.get("module") and event["module"].get("version") is not None:
            extensions[vocab.EXT_MODULE_VERSION] = event["module"]["version"]
        attempt = event.get("attempt")
        if attempt:
            extensions[vocab.EXT_ATTEMPT] = attempt["number"]
            if attempt.get("mastery_score") is not None:
                extensions[vocab.EXT_MASTERY_SCORE] = attempt["mastery_score"]
        return extensions

    def context(self) -> dict[str, Any]:
        """Return registration, team, language, platform, revision, activities, extensions."""
        event = self.event
        context: dict[str, Any] = {}
        if event.get("registration"):
            context["registration"] = str(event["registration"])
        team = self.team()
        if team:
            context["team"] = team
        owner = event.get("course") if self.object_kind == "course" else event.get("module")
        if owner and owner.get("version") is not None:
            context["revision"] = str(owner["version"])
        context["platform"] = vocab.PLATFORM
        if event["learner"].get("locale"):
            context["language"] = event["learner"]["locale"]
        context["contextActivities"] = self.context_activities()
        extensions = self.context_extensions()
        if extensions:
            context["extensions"] = extensions
        return context


#: Every transformer by the name of the event it turns into a statement.
TRANSFORMERS: dict[str, type[Transformer]] = {}

T = type[Transformer]


def register(event_name: str) -> Callable[[T], T]:
    """Register a transformer for ``event_name``::

    @register("lesson.experienced")
    class LessonExperienced(Transformer): ...
    """

    def decorator(cls: T) -> T:
        if event_name in TRANSFORMERS:
            raise ValueError(f"a transformer for {event_name!r} is already registered")
        TRANSFORMERS[event_name] = cls
        return cls

    return decorator


def build_statement(event: Event, settings: StatementSettings) -> Statement:
    """Return the statement ``event`` becomes; ``KeyError`` names an unknown event."""
    try:
        transformer = TRANSFORMERS[event["event"]]
    except KeyError:
        raise KeyError(f"no statement transformer is registered for {event['event']!r}") from None
    return transformer(event, settings).statement()


# --- The events lms_cx records. -------------------------------------------------------------


@register("course.attempted")
class CourseAttempted(Transformer):
    """The learner starts a course (their versions are pinned from now on)."""

    verb = vocab.VERB_ATTEMPTED
    object_kind = "course"
    when = "The learner first opens a module of a course assignment; its versions are pinned."


@register("module.launched")
class ModuleLaunched(Transformer):
    """The learner opens a module for the first time in this registration."""

    verb = vocab.VERB_LAUNCHED
    object_kind = "module"
    when = "The learner opens a module for the first time in the registration."


@register("lesson.experienced")
class LessonExperienced(Transformer):
    """The learner reads a lesson (once per registration; rereading adds nothing)."""

    verb = vocab.VERB_EXPERIENCED
    object_kind = "lesson"
    when = "The learner opens a lesson for the first time in the registration."


@register("module.progressed")
class ModuleProgressed(Transformer):
    """The learner's share of the module's lessons read went up."""

    verb = vocab.VERB_PROGRESSED
    object_kind = "module"
    when = "After each newly read lesson: the share of the module's lessons read."
    result_doc = "`extensions` cmi5 progress (0–100)"

    def result(self) -> dict[str, Any] | None:
        """Return cmi5's progress extension."""
        return {"extensions": {vocab.EXT_PROGRESS: int(self.event["progress"])}}


@register("module.completed")
class ModuleCompleted(Transformer):
    """The learner has read every lesson and, if there is a quiz, submitted an attempt."""

    verb = vocab.VERB_COMPLETED
    object_kind = "module"
    when = "Every lesson read and, when the module has a quiz, an attempt ended."
    result_doc = "`completion` true, `duration` since launch"


@register("attempt.initialized")
class AttemptInitialized(Transformer):
    """The learner starts a quiz attempt."""

    verb = vocab.VERB_INITIALIZED
    object_kind = "quiz"
    when = "A quiz attempt starts (the attempt number is a context extension)."


@register("question.answered")
class QuestionAnswered(Transformer):
    """The learner's final answer to one question of a submitted attempt."""

    verb = vocab.VERB_ANSWERED
    object_kind = "question"
    when = "For each question when its attempt is submitted (timestamp: when it was answered)."
    result_doc = "`score` (raw/min/max/scaled), `success`, `response`"

    def result(self) -> dict[str, Any] | None:
        """Return the score, whether it was fully right, and the response in xAPI's format."""
        result = build_result(self.event.get("result")) or {}
        response = interaction_response(self.event["question"], self.event.get("response") or {})
        if response:
            result["response"] = response
        return result or None


@register("attempt.passed")
class AttemptPassed(Transformer):
    """A submitted attempt reached the pass mark: the module is passed (cmi5 style)."""

    verb = vocab.VERB_PASSED
    object_kind = "module"
    when = "A submitted or timed-out attempt reaches the pass mark (mastery score)."
    result_doc = "`score`, `success` true, `duration` of the attempt"


@register("attempt.failed")
class AttemptFailed(Transformer):
    """A submitted attempt fell short of the pass mark."""

    verb = vocab.VERB_FAILED
    object_kind = "module"
    when = "A submitted or timed-out attempt stays under the pass mark."
    result_doc = "`score`, `success` false, `duration` of the attempt"


@register("attempt.terminated")
class AttemptTerminated(Transformer):
    """A quiz attempt ended, by submission or by its time limit."""

    verb = vocab.VERB_TERMINATED
    object_kind = "quiz"
    when = "A quiz attempt ends: submitted, or expired when its time limit ran out."
    result_doc = "`duration`, `extensions` how it ended"

    def result(self) -> dict[str, Any] | None:
        """Return the duration and how the attempt ended."""
        result = build_result(self.event.get("result")) or {}
        result["extensions"] = {vocab.EXT_ATTEMPT_ENDING: self.event["attempt"]["ending"]}
        return result


@register("course.completed")
class CourseCompleted(Transformer):
    """Every module of the course is satisfied; a certificate was issued."""

    verb = vocab.VERB_COMPLETED
    object_kind = "course"
    when = "Every module of the course satisfies its moveOn rule; a certificate is issued."
    result_doc = "`score` (mean of module scores), `success` true, `completion` true, `duration`"

    def result(self) -> dict[str, Any] | None:
        """Return the score, completion and the certificate's code."""
        result = build_result(self.event.get("result")) or {}
        if self.event.get("certificate"):
            result["extensions"] = {vocab.EXT_CERTIFICATE: self.event["certificate"]}
        return result


@register("statement.voided")
class StatementVoided(Transformer):
    """A statement is withdrawn (xAPI 1.0.3, part two, 2.3.2): its object is a StatementRef."""

    verb = vocab.VERB_VOIDED
    object_kind = "statement"
    when = "A statement recorded in error is withdrawn (part two, 2.3.2)."

    def object(self) -> dict[str, Any]:
        """Return a reference to the voided statement."""
        return {"objectType": "StatementRef", "id": str(self.event["voided_statement"])}

    def context(self) -> dict[str, Any]:
        """Return only the registration: a voiding statement is about a statement."""
        registration = self.event.get("registration")
        return {"registration": str(registration)} if registration else {}


# --- Parts. ---------------------------------------------------------------------------------


def _activity(
    activity_id: str,
    activity_type: str,
    name: dict[str, str] | None,
    description: dict[str, str] | None = None,
) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": activity_type}
    if name:
        definition["name"] = _language_map(name)
    if description:
        definition["description"] = _language_map(description)
    return {"objectType": "Activity", "id": activity_id, "definition": definition}


def _reference(activity: dict[str, Any]) -> dict[str, Any]:
    """Return an activity as context names it: id and type only (the object carries the rest)."""
    return {
        "objectType": "Activity",
        "id": activity["id"],
        "definition": {"type": activity["definition"]["type"]},
    }


def _language_map(texts: dict[str, str]) -> dict[str, str]:
    """Return a per-locale text as an xAPI language map (``pl_PL`` becomes ``pl-PL``)."""
    return {locale.replace("_", "-"): text for locale, text in texts.items() if text}


def build_result(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return ``result`` of a statement from an event's result part.

    The event gives ``score_raw``/``score_min``/``score_max`` (``scaled`` is computed),
    ``success``, ``completion``, ``duration_seconds`` and ``response`` as it has them.
    """
    if not result:
        return None
    built: dict[str, Any] = {}
    if result.get("score_max") is not None and result.get("score_raw") is not None:
        low, high, raw = result.get("score_min", 0), result["score_max"], result["score_raw"]
        scaled = (raw / high) if high > 0 else 0.0
        built["score"] = {
            "scaled": round(max(-1.0, min(1.0, scaled)), 4),
            "raw": _number(raw),
            "min": _number(low),
            "max": _number(high),
        }
    elif result.get("score_scaled") is not None:
        built["score"] = {"scaled": round(float(result["score_scaled"]), 4)}
    for key in ("success", "completion"):
        if result.get(key) is not None:
            built[key] = bool(result[key])
    if result.get("response") is not None:
        built["response"] = str(result["response"])
    if result.get("duration_seconds") is not None:
        built["duration"] = iso_duration(float(result["duration_seconds"]))
    return built or None


def _number(value: float) -> int | float:
    """Return whole numbers as ints, so statements read ``"raw": 7`` rather than ``7.0``."""
    value = round(float(value), 4)
    return int(value) if value.is_integer() else value


# --- Questions as cmi.interaction activities (xAPI 1.0.3, part two, 2.4.4.1). ---------------


def interaction_definition(question: dict[str, Any]) -> dict[str, Any]:
    """Return ``interactionType``, its components and ``correctResponsesPattern``."""
    data, kind = question["data"], question["type"]
    if kind in ("single_choice", "multiple_choice"):
        right = [option["id"] for option in data["options"] if option.get("correct")]
        return {
            "interactionType": "choice",
            "correctResponsesPattern": ["[,]".join(right)],
            "choices": _components(data["options"], "text"),
        }
    if kind == "true_false":
        return {
            "interactionType": "true-false",
            "correctResponsesPattern": ["true" if data["answer"] else "false"],
        }
    if kind == "ordering":
        return {
            "interactionType": "sequencing",
            "correctResponsesPattern": ["[,]".join(item["id"] for item in data["items"])],
            "choices": _components(data["items"], "text"),
        }
    if kind == "scenario":
        # A path of choices through the steps; each option scores, none is simply "correct".
        choices = _components(data["options"], "text")
        for step in data.get("steps", []):
            for option in step["options"]:
                choices.append(
                    {
                        "id": f"{step['id']}.{option['id']}",
                        "description": _language_map(option["text"]),
                    }
                )
        return {"interactionType": "choice", "choices": choices}
    if kind == "short_answer":
        right = [a["text"] for a in data["answers"] if a.get("weight", 1.0) >= 1.0]
        return {
            "interactionType": "fill-in",
            "correctResponsesPattern": [f"{{case_matters=false}}{text}" for text in right],
        }
    if kind == "matching":
        pairs = data["pairs"]
        return {
            "interactionType": "matching",
            "correctResponsesPattern": ["[,]".join(f"{p['id']}[.]{p['id']}" for p in pairs)],
            "source": _components(pairs, "prompt"),
            "target": _components(pairs, "match"),
        }
    if kind == "numerical":
        patterns = []
        for answer in data["answers"]:
            if answer.get("weight", 1.0) < 1.0:
                continue
            if answer.get("value") is not None:
                tolerance = answer.get("tolerance") or 0
                low, high = answer["value"] - tolerance, answer["value"] + tolerance
            else:
                low, high = answer["min"], answer["max"]
            patterns.append(f"{_number(low)}[:]{_number(high)}")
        return {"interactionType": "numeric", "correctResponsesPattern": patterns}
    return {"interactionType": "other"}


def _components(items: list[dict[str, Any]], text_key: str) -> list[dict[str, Any]]:
    return [{"id": item["id"], "description": _language_map(item[text_key])} for item in items]


def interaction_response(question: dict[str, Any], response: dict[str, Any]) -> str:
    """Return a learner's response in the format of the question's ``interactionType``."""
    kind = question["type"]
    if kind == "single_choice":
        return str(response.get("choice", ""))
    if kind == "multiple_choice":
        return "[,]".join(response.get("choices", []))
    if kind == "true_false":
        return "true" if response.get("answer") else "false"
    if kind == "ordering":
        return "[,]".join(response.get("order", []))
    if kind == "scenario":
        return "[,]".join(
            f"{step['step']}.{step['option']}" if step.get("step") else step["option"]
            for step in response.get("path", [])
        )
    if kind == "short_answer":
        return str(response.get("text", ""))
    if kind == "matching":
        return "[,]".join(f"{k}[.]{v}" for k, v in sorted(response.get("matches", {}).items()))
    if kind == "numerical":
        return str(_number(response["value"])) if response.get("value") is not None else ""
    return str(response)
