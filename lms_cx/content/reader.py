"""Read a curriculum from files: find them, check every rule, report every problem by file:line.

``read_content`` either returns a complete, consistent ``ContentSet`` or raises
``ContentProblems`` listing everything wrong; nothing half-read ever reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lms_cx.content.formats import BankFile, CourseFile, ModuleFile, PersonaFile
from lms_cx.content.problems import ContentProblems, Problem
from lms_cx.content.question_types import QUESTION_TYPES, QuestionBase
from lms_cx.content.yaml_lines import LineDict, LineList, ProblemError, line_of, load_yaml
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Source:
    """Where something was read: a file and the parsed tree (for line numbers)."""

    path: str
    tree: Any

    def line(self, *location: Any) -> int:
        """Return the line of ``location`` (keys and indexes) in this file."""
        return line_of(self.tree, location)

    def problem(self, message: str, *location: Any) -> Problem:
        """Return a Problem at ``location`` of this file."""
        return Problem(self.path, self.line(*location), message)


@dataclass(frozen=True)
class PersonaSpec:
    """A persona read from a file."""

    file: PersonaFile
    source: Source


@dataclass(frozen=True)
class BankSpec:
    """A question bank read from YAML or GIFT, its questions checked by type."""

    file: BankFile
    questions: list[QuestionBase]
    source: Source


@dataclass(frozen=True)
class ModuleSpec:
    """A module read from its module.yaml, with its lessons' Markdown read in."""

    file: ModuleFile
    bodies: dict[str, dict[str, str]]  # lesson id -> locale -> Markdown
    source: Source


@dataclass(frozen=True)
class CourseSpec:
    """A course read from its course.yaml."""

    file: CourseFile
    source: Source


@dataclass
class ContentSet:
    """Everything read from a set of paths, by id."""

    personas: dict[str, PersonaSpec] = field(default_factory=dict)
    banks: dict[str, BankSpec] = field(default_factory=dict)
    modules: dict[str, ModuleSpec] = field(default_factory=dict)
    courses: dict[str, CourseSpec] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.personas) + len(self.banks) + len(self.modules) + len(self.courses)


@dataclass(frozen=True)
class KnownIds:
    """Ids already in the database that files may refer to without defining them."""

    tracks: frozenset[str] = frozenset()
    personas: frozenset[str] = frozenset()
    banks: frozenset[str] = frozenset()
    modules: frozenset[str] = frozenset()


def content_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the content files at ``paths`` (files as given, folders searched), in order."""
    for path in map(Path, paths):
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in {".yaml", ".yml", ".gift"}
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from candidates
        elif path.exists():
            yield path


def kind_of(path: Path) -> str | None:
    """Return what a file holds, judged by its name and folder, or None when unrecognised."""
    if path.suffix == ".gift":
        return "bank"
    if path.name in {"course.yaml", "course.yml"}:
        return "course"
    if path.name in {"module.yaml", "module.yml"}:
        return "module"
    if path.parent.name == "personas":
        return "persona"
    if "quizzes" in path.parts:
        return "bank"
    return None


def read_content(paths: Iterable[str | Path], known: KnownIds = KnownIds()) -> ContentSet:
    """Read and check every content file at ``paths``; raise ContentProblems on any problem."""
    problems: list[Problem] = []
    content = ContentSet()
    paths = list(paths)
    unreadable: set[str] = set()  # kinds of which some file had a problem
    for path in paths:
        if not Path(path).exists():
            problems.append(Problem(str(path), 0, _("no such file or folder")))
            unreadable.update({"persona", "bank", "module"})  # it may have held any of them
    for path in content_files(paths):
        before = len(problems)
        try:
            _read_file(path, content, problems)
        except ProblemError as error:
            problems.append(error.problem)
        if len(problems) > before:
            unreadable.add(kind_of(path) or "")
    problems.extend(cross_reference(content, known, frozenset(unreadable)))
    if problems:
        raise ContentProblems(problems)
    return content


def _read_file(path: Path, content: ContentSet, problems: list[Problem]) -> None:
    kind = kind_of(path)
    if kind is None:
        problems.append(
            Problem(
                str(path),
                1,
                _(
                    "not a content file: expected course.yaml, module.yaml, personas/*.yaml, "
                    "quizzes/*.yaml or a .gift file"
                ),
            )
        )
        return
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(
            Problem(str(path), 1, _("not UTF-8 text (%(reason)s)", reason=error.reason))
        )
        return
    if kind == "bank" and path.suffix == ".gift":
        _read_gift(path, text, content, problems)
        return
    tree = load_yaml(text, str(path))
    source = Source(str(path), tree)
    if not isinstance(tree, dict):
        problems.append(Problem(str(path), 1, _("expected a mapping of keys (such as id: ...)")))
        return
    if kind == "persona":
        persona = _validate(PersonaFile, tree, source, problems)
        if persona:
            _add(content.personas, persona.id, PersonaSpec(persona, source), "persona", problems)
    elif kind == "module":
        module = _validate(ModuleFile, tree, source, problems)
        if module:
            bodies = _read_lessons(path.parent, module, source, problems)
            _add(content.modules, module.id, ModuleSpec(module, bodies, source), "module", problems)
    elif kind == "course":
        course = _validate(CourseFile, tree, source, problems)
        if course:
            _add(content.courses, course.id, CourseSpec(course, source), "course", problems)
    else:
        # Banks written in lms_cx's own format promise an explanation for every question.
        explain = tree.get("source", "yaml") == "yaml"
        _read_bank(tree, source, content, problems, require_explanations=explain)


def _read_gift(path: Path, text: str, content: ContentSet, problems: list[Problem]) -> None:
    from lms_cx.content.gift import GiftError, bank_id_and_locale, parse_gift

    bank_id, locale = bank_id_and_locale(path)
    try:
        tree = parse_gift(text, filename=str(path), bank_id=bank_id, locale=locale)
    except GiftError as error:
        problems.extend(Problem(str(path), line, message) for line, message in error.errors)
        return
    # GIFT gives each question its starting line; errors in a question point there.
    questions = LineList(tree["questions"])
    questions.item_lines = [question.pop("line", 1) for question in questions]
    root = LineDict(tree)
    root["questions"] = questions
    root.key_lines = dict.fromkeys(tree, 1)
    _read_bank(root, Source(str(path), root), content, problems, require_explanations=False)


def _read_bank(
    tree: dict[str, Any],
    source: Source,
    content: ContentSet,
    problems: list[Problem],
    require_explanations: bool,
) -> None:
    bank = _validate(BankFile, tree, source, problems)
    if bank is None:
        return
    questions: list[QuestionBase] = []
    seen: dict[str, int] = {}
    problems_before = len(problems)
    pools = {pool.id for pool in bank.pools}
    for index, raw in enumerate(bank.questions):
        where = ("questions", index)
        kind = raw.get("type")
        model = QUESTION_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            known = ", ".join(sorted(QUESTION_TYPES))
            problems.append(
                source.problem(
                    _(
                        "unknown question type %(kind)r (use one of: %(known)s)",
                        kind=kind,
                        known=known,
                    ),
                    *where,
                )
            )
            continue
        question = _validate(model, raw, source, problems, prefix=where)
        if question is None:
            continue
        if question.id in seen:
            problems.append(
                source.problem(
                    _(
                        "duplicate question id %(id)r (first at line %(line)d)",
                        id=question.id,
                        line=seen[question.id],
                    ),
                    *where,
                )
            )
        seen.setdefault(question.id, source.line(*where))
        if require_explanations and not question.explanation:
            problems.append(
                source.problem(
                    _("explanation is required: learners see it after answering"), *where
                )
            )
        if question.pool is not None and question.pool not in pools:
            problems.append(
                source.problem(_("unknown pool %(pool)r", pool=question.pool), *where, "pool")
            )
        questions.append(question)
    if len(problems) > problems_before:
        return  # pool sizes would mislead while some questions are unreadable
    for index, pool in enumerate(bank.pools):
        size = sum(question.pool == pool.id for question in questions)
        if pool.draw is not None and pool.draw > size:
            problems.append(
                source.problem(
                    _(
                        "pool %(pool)r draws %(draw)d questions but has only %(size)d",
                        pool=pool.id,
                        draw=pool.draw,
                        size=size,
                    ),
                    "pools",
                    index,
                    "draw",
                )
            )
    _add(content.banks, bank.id, BankSpec(bank, questions, source), "question bank", problems)


def _read_lessons(
    folder: Path, module: ModuleFile, source: Source, problems: list[Problem]
) -> dict[str, dict[str, str]]:
    bodies: dict[str, dict[str, str]] = {}
    for index, lesson in enumerate(module.lessons):
        bodies[lesson.id] = {}
        for locale, name in lesson.body.items():
            where = ("lessons", index, "body", locale)
            file = (folder / name).resolve()
            if folder.resolve() not in file.parents:
                problems.append(
                    source.problem(
                        _(
                            "lesson file %(name)r must be inside %(folder)s",
                            name=name,
                            folder=str(folder),
                        ),
                        *where,
                    )
                )
            elif not file.is_file():
                problems.append(
                    source.problem(_("lesson file %(name)r does not exist", name=name), *where)
                )
            else:
                try:
                    text = file.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    problems.append(
                        source.problem(_("lesson file %(name)r is not UTF-8", name=name), *where)
                    )
                    continue
                if not text.strip():
                    problems.append(
                        source.problem(_("lesson file %(name)r is empty", name=name), *where)
                    )
                bodies[lesson.id][locale] = text
    return bodies


def _validate(
    model: type[M],
    tree: Any,
    source: Source,
    problems: list[Problem],
    prefix: tuple[Any, ...] = (),
) -> M | None:
    try:
        return model.model_validate(tree)
    except ValidationError as error:
        for detail in error.errors():
            location = (*prefix, *detail["loc"])
            problems.append(source.problem(_describe(location, detail), *location))
        return None


def _describe(location: tuple[Any, ...], detail: dict[str, Any]) -> str:
    """Return pydantic's complaint in words, led by the dotted path of the offending key."""
    path = ""
    for step in location:
        if isinstance(step, int):
            path += f"[{step}]"
        elif step not in QUESTION_TYPES:  # pydantic puts a union's chosen type in the path
            path += f".{step}" if path else str(step)
    message = detail["msg"]
    if detail["type"] == "missing":
        message = _("is required")
    elif detail["type"] == "extra_forbidden":
        message = _("is not a known key (check the spelling)")
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    else:
        message = _pydantic_message(detail["type"], detail.get("ctx") or {}) or message
    return f"{path}: {message}" if path else message


def _pydantic_message(kind: str, ctx: dict[str, Any]) -> str | None:
    """Return pydantic's message for the common kinds of mistake in the reader's language
    (the English text is pydantic's own); None for the rest, which stay as pydantic says."""
    plain = {
        "bool_parsing": _("Input should be a valid boolean, unable to interpret input"),
        "bool_type": _("Input should be a valid boolean"),
        "dict_type": _("Input should be a valid dictionary"),
        "float_parsing": _("Input should be a valid number, unable to parse string as a number"),
        "float_type": _("Input should be a valid number"),
        "int_from_float": _("Input should be a valid integer, got a number with a fractional part"),
        "int_parsing": _("Input should be a valid integer, unable to parse string as an integer"),
        "int_type": _("Input should be a valid integer"),
        "list_type": _("Input should be a valid list"),
        "string_type": _("Input should be a valid string"),
    }
    if kind in plain:
        return plain[kind]
    if kind == "less_than_equal":
        return _("Input should be less than or equal to %(limit)s", limit=_limit(ctx["le"]))
    if kind == "greater_than_equal":
        return _("Input should be greater than or equal to %(limit)s", limit=_limit(ctx["ge"]))
    if kind == "less_than":
        return _("Input should be less than %(limit)s", limit=_limit(ctx["lt"]))
    if kind == "greater_than":
        return _("Input should be greater than %(limit)s", limit=_limit(ctx["gt"]))
    if kind == "string_pattern_mismatch":
        return _("String should match pattern '%(pattern)s'", pattern=ctx["pattern"])
    if kind == "string_too_short":
        return ngettext(
            "String should have at least %(num)d character",
            "String should have at least %(num)d characters",
            ctx["min_length"],
        )
    if kind == "too_short" and ctx.get("field_type") == "List":
        return ngettext(
            "List should have at least %(num)d item after validation, not %(actual)d",
            "List should have at least %(num)d items after validation, not %(actual)d",
            ctx["min_length"],
            actual=ctx["actual_length"],
        )
    if kind == "literal_error":
        expected = ctx["expected"]
        if " or " in expected:
            first, last = expected.rsplit(" or ", 1)
            expected = _("%(first)s or %(last)s", first=first, last=last)
        return _("Input should be %(expected)s", expected=expected)
    return None


def _limit(value: Any) -> Any:
    """Return a bound as pydantic writes it: 1.0 as 1."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _add(registry: dict[str, Any], key: str, spec: Any, what: str, problems: list[Problem]) -> None:
    if key in registry:
        first = registry[key].source
        problems.append(
            spec.source.problem(
                _duplicate(what, key, f"{first.path}:{first.line('id')}"),
                "id",
            )
        )
        return
    registry[key] = spec


def _duplicate(what: str, key: str, where: str) -> str:
    """Return the problem of an id that ``where`` already used for another ``what``."""
    # Whole sentences per kind, so that each language can decline the noun as it needs.
    if what == "course":
        return _("duplicate course id %(key)r (also in %(where)s)", key=key, where=where)
    if what == "module":
        return _("duplicate module id %(key)r (also in %(where)s)", key=key, where=where)
    if what == "persona":
        return _("duplicate persona id %(key)r (also in %(where)s)", key=key, where=where)
    return _("duplicate question bank id %(key)r (also in %(where)s)", key=key, where=where)


def cross_reference(
    content: ContentSet, known: KnownIds, unreadable: frozenset[str] = frozenset()
) -> list[Problem]:
    """Return the problems of references between files (and to what the database holds).

    References to a kind in ``unreadable`` ("persona", "bank", "module") are not checked: the
    file with a problem may define the id referred to, and a false alarm would hide the real one.
    """
    problems: list[Problem] = []
    personas = known.personas | content.personas.keys()
    banks = known.banks | content.banks.keys()
    modules = known.modules | content.modules.keys()
    for spec in content.modules.values():
        module, source = spec.file, spec.source
        if module.track not in known.tracks:
            tracks = ", ".join(sorted(known.tracks)) or _("none")
            problems.append(
                source.problem(
                    _(
                        "unknown track %(track)r (known: %(tracks)s)",
                        track=module.track,
                        tracks=tracks,
                    ),
                    "track",
                )
            )
        for index, persona in enumerate(module.personas):
            if persona not in personas and "persona" not in unreadable:
                problems.append(
                    source.problem(
                        _("unknown persona %(persona)r", persona=persona), "personas", index
                    )
                )
        if module.quiz is not None and module.quiz not in banks and "bank" not in unreadable:
            problems.append(
                source.problem(_("unknown question bank %(bank)r", bank=module.quiz), "quiz")
            )
    for spec in content.banks.values():
        for index, question in enumerate(spec.questions):
            for persona in question.personas():
                if persona not in personas and "persona" not in unreadable:
                    problems.append(
                        spec.source.problem(
                            _("unknown persona %(persona)r", persona=persona),
                            "questions",
                            index,
                            "persona",
                        )
                    )
    for spec in content.courses.values():
        for index, entry in enumerate(spec.file.modules):
            if entry.module not in modules and "module" not in unreadable:
                problems.append(
                    spec.source.problem(
                        _("unknown module %(module)r", module=entry.module),
                        "modules",
                        index,
                        "module",
                    )
                )
    return problems
