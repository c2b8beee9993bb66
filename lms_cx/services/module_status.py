"""Where a learner stands in each module of an assignment, read from the progress projection.

Nothing here counts lessons or attempts in tables of its own: ``lms_cx_progress`` (one row per
registration, learner and activity, kept by the LRS for every statement, ours or an external
tool's) says what was read, completed and passed. A module is *satisfied* by cmi5's moveOn
rule of its course; a module is *locked* until the modules it requires are satisfied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import ModuleVersion, Progress, QuizAttempt
from lms_cx.services.enrolment import Plan, PlannedModule
from lms_cx.services.learning_record import statement_settings
from lms_cx.xapi.statements import lesson_activity_id, module_activity_id

#: cmi5 moveOn values and what each needs: completion, success, either or nothing.
MOVE_ON_RULES = {
    "Completed": lambda completed, passed: completed,
    "Passed": lambda completed, passed: passed,
    "CompletedAndPassed": lambda completed, passed: completed and passed,
    "CompletedOrPassed": lambda completed, passed: completed or passed,
    "NotApplicable": lambda completed, passed: True,
}


def move_on_satisfied(move_on: str, completed: bool, passed: bool) -> bool:
    """Return True when ``completed``/``passed`` satisfy cmi5's ``move_on`` rule."""
    return MOVE_ON_RULES.get(move_on, MOVE_ON_RULES["CompletedAndPassed"])(completed, passed)


@dataclass(frozen=True)
class LessonStatus:
    """A lesson of a module and whether the learner has read it."""

    slug: str
    title: dict[str, str]
    read: bool


@dataclass(frozen=True)
class ModuleStatus:
    """One module of an assignment as the learner stands in it."""

    planned: PlannedModule
    title: dict[str, str]
    description: dict[str, str]
    track: str | None
    estimated_minutes: int | None
    lessons: tuple[LessonStatus, ...]
    has_quiz: bool
    completed: bool
    passed: bool
    failed: bool
    best_score: float | None
    satisfied: bool
    #: Titles of the required modules not yet satisfied (empty: the module is open).
    missing: tuple[dict[str, str], ...]
    last_activity_at: datetime | None

    @property
    def slug(self) -> str:
        """Return the module's slug."""
        return self.planned.slug

    @property
    def locked(self) -> bool:
        """Return True while a required module is not satisfied."""
        return bool(self.missing) and not self.satisfied

    @property
    def lessons_read(self) -> int:
        """Return how many lessons the learner has read."""
        return sum(lesson.read for lesson in self.lessons)

    @property
    def started(self) -> bool:
        """Return True once anything of the module was recorded."""
        return self.last_activity_at is not None

    @property
    def percent(self) -> int:
        """Return how far through the module the learner is, 0..100."""
        if self.satisfied:
            return 100
        steps = len(self.lessons) + (1 if self.has_quiz else 0)
        done = self.lessons_read + (1 if self.has_quiz and self.passed else 0)
        return round(100 * done / steps) if steps else 0

    @property
    def state(self) -> str:
        """Return ``done``, ``locked``, ``in_progress`` or ``not_started``."""
        if self.satisfied:
            return "done"
        if self.locked:
            return "locked"
        return "in_progress" if self.started else "not_started"

    def next_unread(self, after: str | None = None) -> str | None:
        """Return the first unread lesson (after ``after`` when given, else from the start)."""
        slugs = [lesson.slug for lesson in self.lessons]
        start = slugs.index(after) + 1 if after in slugs else 0
        for lesson in (*self.lessons[start:], *self.lessons[:start]):
            if not lesson.read:
                return lesson.slug
        return None


@dataclass(frozen=True)
class AssignmentStatus:
    """Every module of an assignment with its status, in course order."""

    plan: Plan
    modules: tuple[ModuleStatus, ...]

    @property
    def satisfied_count(self) -> int:
        """Return how many modules are satisfied."""
        return sum(module.satisfied for module in self.modules)

    @property
    def satisfied(self) -> bool:
        """Return True when every module is satisfied (the assignment is done)."""
        return bool(self.modules) and all(module.satisfied for module in self.modules)

    @property
    def percent(self) -> int:
        """Return the share of satisfied modules, 0..100."""
        return round(100 * self.satisfied_count / len(self.modules)) if self.modules else 0

    @property
    def score(self) -> float | None:
        """Return the mean best score of the modules that have one."""
        scores = [m.best_score for m in self.modules if m.best_score is not None]
        return sum(scores) / len(scores) if scores else None

    def module(self, slug: str) -> ModuleStatus:
        """Return the status of module ``slug`` (it must be in the plan)."""
        return next(module for module in self.modules if module.slug == slug)


ProgressKey = tuple[str, str]


def progress_rows(
    session: Session, employee_id: int, registrations: Iterable[str]
) -> dict[ProgressKey, Progress]:
    """Return the learner's progress rows of ``registrations`` by (registration, activity id)."""
    registrations = list(registrations)
    if not registrations:
        return {}
    rows = session.scalars(
        sa.select(Progress).where(
            Progress.employee_id == employee_id, Progress.registration.in_(registrations)
        )
    )
    return {(row.registration, row.activity_id): row for row in rows}


@dataclass(frozen=True)
class VersionOutline:
    """What a module's status reads of a published version: no lesson bodies, no questions."""

    id: int
    snapshot: dict[str, Any]


#: Outlines by (version id, content hash). A version never changes, so its outline is read
#: once per process rather than decoding the whole snapshot on every status; the hash keeps
#: apart databases that reuse an id.
_OUTLINES: dict[tuple[int, str], VersionOutline] = {}
_OUTLINES_KEPT = 4096


def _outline(version: ModuleVersion) -> VersionOutline:
    snapshot = version.snapshot
    return VersionOutline(
        version.id,
        {
            "title": snapshot.get("title"),
            "description": snapshot.get("description"),
            "track": snapshot.get("track"),
            "estimated_minutes": snapshot.get("estimated_minutes"),
            "lessons": [
                {"slug": lesson["slug"], "title": lesson["title"]}
                for lesson in snapshot.get("lessons", [])
            ],
            "quiz": bool(snapshot.get("quiz")),
        },
    )


def module_versions(session: Session, plans: Iterable[Plan]) -> dict[int, VersionOutline]:
    """Return the outlines of the module versions of ``plans`` by id."""
    ids = {planned.module_version_id for plan in plans for planned in plan.modules}
    if not ids:
        return {}
    hashes = session.execute(
        sa.select(ModuleVersion.id, ModuleVersion.content_hash).where(ModuleVersion.id.in_(ids))
    ).all()
    found: dict[int, VersionOutline] = {}
    for version_id, digest in hashes:
        outline = _OUTLINES.get((version_id, digest))
        if outline is not None:
            found[version_id] = outline
    missing = [version_id for version_id, _digest in hashes if version_id not in found]
    if missing:
        if len(_OUTLINES) > _OUTLINES_KEPT:
            _OUTLINES.clear()
        for version in session.scalars(
            sa.select(ModuleVersion).where(ModuleVersion.id.in_(missing))
        ):
            found[version.id] = _OUTLINES[(version.id, version.content_hash)] = _outline(version)
    return found


def assignment_status(
    session: Session,
    plan: Plan,
    rows: dict[ProgressKey, Progress] | None = None,
    versions: dict[int, VersionOutline] | None = None,
) -> AssignmentStatus:
    """Return where the learner stands in every module of ``plan``.

    ``rows`` and ``versions`` may be loaded once for many plans (the learner's home).
    """
    registration = str(plan.assignment.id)
    if rows is None:
        rows = progress_rows(session, plan.assignment.employee_id, [registration])
    if versions is None:
        versions = module_versions(session, [plan])
    base = statement_settings().activity_base
    partial: dict[str, dict[str, Any]] = {}
    for planned in plan.modules:
        snapshot = versions[planned.module_version_id].snapshot
        module_row = rows.get((registration, module_activity_id(base, planned.slug)))
        lessons = tuple(
            LessonStatus(
                lesson["slug"],
                lesson["title"],
                (registration, lesson_activity_id(base, planned.slug, lesson["slug"])) in rows,
            )
            for lesson in snapshot.get("lessons", [])
        )
        completed = bool(module_row and module_row.completion)
        passed = bool(module_row and module_row.success)
        times = [
            row.last_activity_at
            for (reg, activity), row in rows.items()
            if reg == registration
            and row.last_activity_at is not None
            and (
                activity == module_activity_id(base, planned.slug)
                or activity.startswith(module_activity_id(base, planned.slug) + "/")
            )
        ]
        partial[planned.slug] = {
            "planned": planned,
            "title": snapshot.get("title") or {},
            "description": snapshot.get("description") or {},
            "track": snapshot.get("track"),
            "estimated_minutes": snapshot.get("estimated_minutes"),
            "lessons": lessons,
            "has_quiz": bool(snapshot.get("quiz")),
            "completed": completed,
            "passed": passed,
            "failed": bool(module_row and module_row.success is False),
            "best_score": module_row.best_score_scaled if module_row else None,
            "satisfied": move_on_satisfied(planned.move_on, completed, passed),
            "last_activity_at": max(times) if times else None,
        }
    modules = tuple(
        ModuleStatus(
            **values,
            missing=tuple(
                partial[slug]["title"]
                for slug in values["planned"].requires
                if slug in partial and not partial[slug]["satisfied"]
            ),
        )
        for values in partial.values()
    )
    return AssignmentStatus(plan=plan, modules=modules)


@dataclass(frozen=True)
class Resume:
    """Where "continue where I left off" leads: a lesson, a module's quiz or an open attempt."""

    kind: str  # "lesson", "quiz" or "attempt"
    module_slug: str
    lesson_slug: str | None = None
    attempt_id: Any = None


def open_attempt(session: Session, plan: Plan) -> QuizAttempt | None:
    """Return the assignment's quiz attempt in progress, if any."""
    return session.scalar(
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.assignment_id == plan.assignment.id,
            QuizAttempt.status == "in_progress",
        )
        .order_by(QuizAttempt.started_at.desc())
        .limit(1)
    )


def resume_point(status: AssignmentStatus, attempt: QuizAttempt | None = None) -> Resume | None:
    """Return where the learner left off: an open attempt, else the next step of the module
    they worked on last, else the first open module not yet satisfied; None when all is done.
    """
    if attempt is not None:
        module = next(
            (m for m in status.modules if m.planned.module_version_id == attempt.module_version_id),
            None,
        )
        if module is not None:
            return Resume("attempt", module.slug, attempt_id=attempt.id)
    candidates = [m for m in status.modules if not m.satisfied and not m.locked]
    if not candidates:
        return None
    recent = [m for m in candidates if m.last_activity_at is not None]
    module = max(recent, key=lambda m: m.last_activity_at) if recent else candidates[0]
    unread = module.next_unread()
    if unread is not None:
        return Resume("lesson", module.slug, unread)
    if module.has_quiz:
        return Resume("quiz", module.slug)
    return Resume("lesson", module.slug, module.lessons[0].slug if module.lessons else None)
