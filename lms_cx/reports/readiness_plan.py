"""The modules each assignment requires, as a small table SQL can join assignments to.

Which modules an assignment requires, and by which cmi5 moveOn rule, lives in the JSON
snapshots of the pinned versions (or, before the learner starts, of the newest ones). There
are few versions however many people are assigned them, so the snapshots are read here once
per report and turned into a ``VALUES`` table of *plan items*: one row per (assigned course or
module, version, module) with the module's activity IRI and track. The readiness queries then
join assignments to plan items and plan items to the progress projection, all in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment, Certificate, CourseVersion, ModuleVersion
from lms_cx.services.enrolment import PlannedModule, _module_plan, course_plan_modules
from lms_cx.services.learning_record import statement_settings
from lms_cx.services.module_status import move_on_satisfied
from lms_cx.xapi.statements import module_activity_id

#: ``version_id`` of the plan items an assignment uses before it is pinned (the newest version).
UNPINNED = 0


@dataclass(frozen=True)
class PlanItem:
    """One module an assigned course or module version requires."""

    kind: str  # "course" or "module": what the assignment names
    content_id: int
    version_id: int
    module_slug: str
    activity_id: str
    track: str
    #: The assigned course or module belongs to the onboarding stage.
    onboarding: bool
    #: Whether moveOn is satisfied for (completed, passed) = (F,F), (F,T), (T,F), (T,T).
    satisfied_when: tuple[bool, bool, bool, bool]


@lru_cache(maxsize=64)
def satisfaction_table(move_on: str) -> tuple[bool, bool, bool, bool]:
    """Return cmi5's ``move_on`` rule as a truth table over (completed, passed).

    Built from the learner engine's own rule, so reports and the learner's pages agree.
    """
    return tuple(  # type: ignore[return-value]
        move_on_satisfied(move_on, completed, passed)
        for completed, passed in ((False, False), (False, True), (True, False), (True, True))
    )


def _items(
    kind: str,
    content_id: int,
    version_id: int,
    planned: tuple[PlannedModule, ...],
    tracks: dict[int, str | None],
    onboarding: bool,
) -> list[PlanItem]:
    base = statement_settings().activity_base
    return [
        PlanItem(
            kind=kind,
            content_id=content_id,
            version_id=version_id,
            module_slug=module.slug,
            activity_id=module_activity_id(base, module.slug),
            track=tracks.get(module.module_version_id) or "",
            onboarding=onboarding,
            satisfied_when=satisfaction_table(module.move_on),
        )
        for module in planned
    ]


def _latest(session: Session, model: type, key: sa.ColumnElement, ids: set[int]) -> dict[int, int]:
    """Return ``{content id: id of its newest version}`` for courses or modules ``ids``."""
    if not ids:
        return {}
    newest = (
        sa.select(key.label("content_id"), sa.func.max(model.version).label("version"))
        .where(key.in_(ids))
        .group_by(key)
        .subquery()
    )
    rows = session.execute(
        sa.select(key, model.id).join(
            newest, sa.and_(newest.c.content_id == key, newest.c.version == model.version)
        )
    )
    return {content_id: version_id for content_id, version_id in rows}


def plan_items(session: Session, employee_ids: sa.Select[tuple[int]]) -> list[PlanItem]:
    """Return the plan items of every course and module assigned to ``employee_ids``.

    Covers pinned versions, the newest versions (for assignments not started yet) and the
    course versions of those employees' certificates (to tell which tracks an expired one
    touches).
    """
    refs = session.execute(
        sa.select(
            Assignment.course_id,
            Assignment.course_version_id,
            Assignment.module_id,
            Assignment.module_version_id,
        )
        .where(Assignment.employee_id.in_(employee_ids), Assignment.state != "cancelled")
        .distinct()
    ).all()
    course_versions = {row[1] for row in refs if row[1] is not None}
    course_versions |= set(
        session.scalars(
            sa.select(Certificate.course_version_id)
            .where(
                Certificate.employee_id.in_(employee_ids),
                Certificate.course_version_id.is_not(None),
            )
            .distinct()
        )
    )
    module_versions = {row[3] for row in refs if row[3] is not None}
    newest_courses = _latest(
        session,
        CourseVersion,
        CourseVersion.course_id,
        {row[0] for row in refs if row[0] is not None and row[1] is None},
    )
    newest_modules = _latest(
        session,
        ModuleVersion,
        ModuleVersion.module_id,
        {row[2] for row in refs if row[2] is not None and row[3] is None},
    )
    courses = {
        version.id: version
        for version in session.scalars(
            sa.select(CourseVersion).where(
                CourseVersion.id.in_(course_versions | set(newest_courses.values()))
            )
        )
    }
    modules = {
        version.id: version
        for version in session.scalars(
            sa.select(ModuleVersion).where(
                ModuleVersion.id.in_(module_versions | set(newest_modules.values()))
            )
        )
    }
    plans = {version_id: course_plan_modules(version) for version_id, version in courses.items()}
    in_courses = {module.module_version_id for planned in plans.values() for module in planned}
    tracks: dict[int, str | None] = {
        version_id: track
        for version_id, track in session.execute(
            sa.select(ModuleVersion.id, ModuleVersion.snapshot["track"].as_string()).where(
                ModuleVersion.id.in_(in_courses)
            )
        )
    }
    tracks.update({version.id: version.snapshot.get("track") for version in modules.values()})

    def course_items(version: CourseVersion, version_id: int) -> list[PlanItem]:
        stage = version.snapshot.get("lifecycle_stage") == "onboarding"
        return _items("course", version.course_id, version_id, plans[version.id], tracks, stage)

    def module_items(version: ModuleVersion, version_id: int) -> list[PlanItem]:
        stage = version.snapshot.get("lifecycle_stage") == "onboarding"
        return _items("module", version.module_id, version_id, _module_plan(version), tracks, stage)

    items: list[PlanItem] = []
    for version in courses.values():
        items += course_items(version, version.id)
    for version_id in newest_courses.values():
        items += course_items(courses[version_id], UNPINNED)
    for version in modules.values():
        items += module_items(version, version.id)
    for version_id in newest_modules.values():
        items += module_items(modules[version_id], UNPINNED)
    return items


#: The plan items table: its columns, in order, with their SQL types.
PLAN_ITEM_COLUMNS = (
    ("kind", sa.String()),
    ("content_id", sa.Integer()),
    ("version_id", sa.Integer()),
    ("activity_id", sa.String()),
    ("track", sa.String()),
    ("onboarding", sa.Integer()),
    #: moveOn as a bit mask: bit ``2 * completed + passed`` is set when that outcome satisfies.
    ("rule", sa.Integer()),
)


def literal_table(
    name: str,
    columns: tuple[tuple[str, sa.types.TypeEngine], ...],
    rows: list[tuple[str | int, ...]],
    dialect: sa.Dialect,
) -> sa.CTE:
    """Return ``rows`` as a common table expression, the values written into the SQL.

    Literals (escaped by the dialect) rather than bound parameters: a few hundred rows of
    parameters would cost more to compile than the whole query takes to run.
    """
    text = dialect.type_descriptor(sa.String()).literal_processor(dialect)
    assert text is not None

    def literal(value: str | int) -> str:
        return text(value) if isinstance(value, str) else str(int(value))

    first, *rest = rows
    names = [column for column, _type in columns]
    sql = "SELECT " + ", ".join(
        f"{literal(value)} AS {column}" for value, column in zip(first, names, strict=True)
    )
    if rest:
        sql += " UNION ALL VALUES " + ", ".join(
            "(" + ", ".join(literal(value) for value in row) + ")" for row in rest
        )
    return sa.text(sql).columns(*(sa.column(n, t) for n, t in columns)).cte(name)


def plan_items_table(items: list[PlanItem], dialect: sa.Dialect) -> sa.CTE:
    """Return ``items`` (not empty) as the common table expression ``plan_items``."""
    rows = [
        (
            item.kind,
            item.content_id,
            item.version_id,
            item.activity_id,
            item.track,
            int(item.onboarding),
            sum(1 << bit for bit, value in enumerate(item.satisfied_when) if value),
        )
        for item in items
    ]
    return literal_table("plan_items", PLAN_ITEM_COLUMNS, rows, dialect)
