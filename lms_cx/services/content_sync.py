"""Load a checked ``ContentSet`` into the draft tables, idempotently, in one transaction.

Running it twice changes nothing the second time; what changed is counted per kind. Drafts
only: learners see content once it is published (``lms_cx.services.publishing``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.content.reader import BankSpec, ContentSet, CourseSpec, KnownIds, ModuleSpec
from lms_cx.i18n import gettext as _
from lms_cx.models import (
    Course,
    CourseModule,
    Lesson,
    Module,
    ModulePersona,
    ModulePrerequisite,
    Persona,
    Question,
    QuestionBank,
    QuestionPool,
    Track,
)

T = TypeVar("T")


@dataclass
class SyncReport:
    """What a sync created, updated and removed, by kind ("module", "lesson", ...)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        """Return True when anything was created, updated or removed."""
        return bool(self.created or self.updated or self.removed)

    def lines(self) -> list[str]:
        """Return one line per kind, for the command line."""
        kinds = sorted(
            set(self.created) | set(self.updated) | set(self.removed) | set(self.unchanged)
        )
        return [self._line(kind) for kind in kinds]

    def _line(self, kind: str) -> str:
        counts = {
            "created": self.created[kind],
            "updated": self.updated[kind],
            "removed": self.removed[kind],
            "unchanged": self.unchanged[kind],
        }
        # One whole sentence per kind, so that each language can inflect the noun as it needs.
        if kind == "course":
            return _(
                "course: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "course module":
            return _(
                "course module: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "lesson":
            return _(
                "lesson: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "module":
            return _(
                "module: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "module personas":
            return _(
                "module personas: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "persona":
            return _(
                "persona: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "pool":
            return _(
                "pool: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "prerequisite":
            return _(
                "prerequisite: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "question":
            return _(
                "question: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        if kind == "question bank":
            return _(
                "question bank: %(created)d created, %(updated)d updated, %(removed)d removed, "
                "%(unchanged)d unchanged",
                **counts,
            )
        return _(
            "%(kind)s: %(created)d created, %(updated)d updated, %(removed)d removed, "
            "%(unchanged)d unchanged",
            kind=kind,
            **counts,
        )


def known_ids(session: Session) -> KnownIds:
    """Return the ids in the database that content files may refer to."""
    return KnownIds(
        tracks=frozenset(session.scalars(sa.select(Track.code))),
        personas=frozenset(session.scalars(sa.select(Persona.slug))),
        banks=frozenset(session.scalars(sa.select(QuestionBank.slug))),
        modules=frozenset(session.scalars(sa.select(Module.slug))),
    )


def sync_content(session: Session, content: ContentSet) -> SyncReport:
    """Write ``content`` into the drafts; all or nothing."""
    report = SyncReport()
    try:
        with session.no_autoflush:
            _Sync(session, report).run(content)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``row``; return True when any differed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


class _Sync:
    def __init__(self, session: Session, report: SyncReport) -> None:
        self.session = session
        self.report = report
        self.tracks = dict(session.execute(sa.select(Track.code, Track.id)).all())

    def run(self, content: ContentSet) -> None:
        for spec in content.personas.values():
            persona = spec.file
            self._upsert(
                Persona,
                "persona",
                persona.id,
                {
                    "name": persona.name,
                    "segment": persona.segment,
                    "summary": persona.summary or {},
                    "goals": persona.goals,
                    "frustrations": persona.frustrations,
                    "typical_phrases": persona.typical_phrases,
                    "good_looks_like": persona.good_looks_like,
                    "default_locale": persona.default_locale,
                },
            )
        self.session.flush()
        self.personas = dict(self.session.execute(sa.select(Persona.slug, Persona.id)).all())
        for bank in content.banks.values():
            self._bank(bank)
        self.session.flush()
        self.banks = dict(self.session.execute(sa.select(QuestionBank.slug, QuestionBank.id)).all())
        for module in content.modules.values():
            self._module(module)
        self.session.flush()
        self.modules = dict(self.session.execute(sa.select(Module.slug, Module.id)).all())
        for course in content.courses.values():
            self._course(course)
        self.session.flush()

    def _upsert(
        self, model: type[T], kind: str, slug: str, values: dict[str, Any]
    ) -> tuple[T, bool]:
        row = self.session.scalar(sa.select(model).where(model.slug == slug))  # type: ignore[attr-defined]
        if row is None:
            row = model(slug=slug, **values)
            self.session.add(row)
            self.report.created[kind] += 1
            return row, True
        if _assign(row, values):
            self.report.updated[kind] += 1
            return row, True
        self.report.unchanged[kind] += 1
        return row, False

    def _children(
        self,
        kind: str,
        existing: list[Any],
        wanted: dict[str, dict[str, Any]],
        make: Callable[[str, dict[str, Any]], Any],
        removals: list[Any] | None = None,
    ) -> bool:
        """Make the rows in ``existing`` (keyed by slug) exactly ``wanted``; return if changed.

        Rows to remove go to ``removals`` when given (for the caller to delete once nothing
        refers to them), else are deleted at once.
        """
        changed = False
        by_slug = {row.slug: row for row in existing}
        for slug, row in by_slug.items():
            if slug not in wanted:
                if removals is None:
                    self.session.delete(row)
                else:
                    removals.append(row)
                self.report.removed[kind] += 1
                changed = True
        for slug, values in wanted.items():
            row = by_slug.get(slug)
            if row is None:
                self.session.add(make(slug, values))
                self.report.created[kind] += 1
                changed = True
            elif _assign(row, values):
                self.report.updated[kind] += 1
                changed = True
            else:
                self.report.unchanged[kind] += 1
        return changed

    def _bank(self, spec: BankSpec) -> None:
        bank_file = spec.file
        bank, _ = self._upsert(
            QuestionBank,
            "question bank",
            bank_file.id,
            {
                "title": bank_file.title,
                "shuffle_questions": bank_file.shuffle_questions,
                "shuffle_options": bank_file.shuffle_options,
                "source": bank_file.source,
                "default_locale": bank_file.default_locale,
            },
        )
        self.session.flush()
        pool_sizes = Counter(question.pool for question in spec.questions)
        old_pools: list[QuestionPool] = []
        self._children(
            "pool",
            list(
                self.session.scalars(sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id))
            ),
            {pool.id: {"draw_count": pool.draw or pool_sizes[pool.id]} for pool in bank_file.pools},
            lambda slug, values: QuestionPool(bank_id=bank.id, slug=slug, **values),
            removals=old_pools,
        )
        self.session.flush()
        pools = dict(
            self.session.execute(
                sa.select(QuestionPool.slug, QuestionPool.id).where(QuestionPool.bank_id == bank.id)
            ).all()
        )
        wanted = {
            question.id: {
                "position": position,
                "type": question.type,
                "pool_id": pools.get(question.pool) if question.pool else None,
                "prompt": question.prompt,
                "explanation": question.explanation or {},
                "data": question.data(),
                "persona_id": self.personas.get(question.persona) if question.persona else None,
                "weight": question.weight,
            }
            for position, question in enumerate(spec.questions)
        }
        self._children(
            "question",
            list(self.session.scalars(sa.select(Question).where(Question.bank_id == bank.id))),
            wanted,
            lambda slug, values: Question(bank_id=bank.id, slug=slug, **values),
        )
        self.session.flush()
        for pool in old_pools:  # only now does no question point at them
            self.session.delete(pool)

    def _module(self, spec: ModuleSpec) -> None:
        module_file = spec.file
        settings = module_file.quiz_settings
        module, _ = self._upsert(
            Module,
            "module",
            module_file.id,
            {
                "track_id": self.tracks[module_file.track],
                "lifecycle_stage": module_file.lifecycle_stage,
                "title": module_file.title,
                "description": module_file.description or {},
                "estimated_minutes": module_file.estimated_minutes,
                "question_bank_id": self.banks[module_file.quiz] if module_file.quiz else None,
                "attempts_limit": settings.attempts_limit,
                "time_limit_minutes": settings.time_limit_minutes,
                "feedback_mode": settings.feedback,
                "default_locale": module_file.default_locale,
                "archived_at": None,
            },
        )
        self.session.flush()
        lessons = {
            lesson.id: {"position": position, "title": lesson.title, "body": spec.bodies[lesson.id]}
            for position, lesson in enumerate(module_file.lessons)
        }
        self._children(
            "lesson",
            list(self.session.scalars(sa.select(Lesson).where(Lesson.module_id == module.id))),
            lessons,
            lambda slug, values: Lesson(module_id=module.id, slug=slug, **values),
        )
        wanted_personas = [self.personas[slug] for slug in module_file.personas]
        links = list(
            self.session.scalars(
                sa.select(ModulePersona)
                .where(ModulePersona.module_id == module.id)
                .order_by(ModulePersona.position)
            )
        )
        if [link.persona_id for link in links] != wanted_personas:
            for link in links:
                self.session.delete(link)
            self.session.flush()
            self.session.add_all(
                ModulePersona(module_id=module.id, persona_id=persona_id, position=position)
                for position, persona_id in enumerate(wanted_personas)
            )
            counts = self.report.updated if links else self.report.created
            counts["module personas"] += 1
        else:
            self.report.unchanged["module personas"] += 1

    def _course(self, spec: CourseSpec) -> None:
        course_file = spec.file
        course, _ = self._upsert(
            Course,
            "course",
            course_file.id,
            {
                "title": course_file.title,
                "description": course_file.description or {},
                "default_locale": course_file.default_locale,
                "lifecycle_stage": course_file.lifecycle_stage,
                "certificate_valid_days": course_file.certificate.valid_days,
                "archived_at": None,
            },
        )
        self.session.flush()
        entries = {
            self.modules[entry.module]: {
                "position": position,
                "move_on": entry.move_on,
                "mastery_score": entry.mastery_score,
            }
            for position, entry in enumerate(course_file.modules)
        }
        existing = {
            row.module_id: row
            for row in self.session.scalars(
                sa.select(CourseModule).where(CourseModule.course_id == course.id)
            )
        }
        for module_id, row in existing.items():
            if module_id not in entries:
                self.session.delete(row)
                self.report.removed["course module"] += 1
        for module_id, values in entries.items():
            row = existing.get(module_id)
            if row is None:
                self.session.add(CourseModule(course_id=course.id, module_id=module_id, **values))
                self.report.created["course module"] += 1
            elif _assign(row, values):
                self.report.updated["course module"] += 1
            else:
                self.report.unchanged["course module"] += 1
        wanted = {
            (self.modules[entry.module], self.modules[required])
            for entry in course_file.modules
            for required in entry.requires
        }
        current = {
            (row.module_id, row.requires_module_id): row
            for row in self.session.scalars(
                sa.select(ModulePrerequisite).where(ModulePrerequisite.course_id == course.id)
            )
        }
        for pair, row in current.items():
            if pair not in wanted:
                self.session.delete(row)
                self.report.removed["prerequisite"] += 1
        for module_id, requires_id in wanted - current.keys():
            self.session.add(
                ModulePrerequisite(
                    course_id=course.id, module_id=module_id, requires_module_id=requires_id
                )
            )
            self.report.created["prerequisite"] += 1
        self.report.unchanged["prerequisite"] += len(wanted & current.keys())
