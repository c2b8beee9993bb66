"""Storing validated feedback: planning what changes, writing all or nothing, the REST intake.

CSV files (:mod:`lms_cx.services.feedback_csv`) and the REST API both validate with
:class:`~lms_cx.services.feedback_validation.FeedbackValidator`, then go through
:func:`plan_ingest` (what would be created, updated or left alone, keyed by
``(source, external_id)``) and :func:`write_ingest` (one transaction, themes included).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.i18n import gettext as _
from lms_cx.models import FeedbackImport, FeedbackItem, FeedbackTheme
from lms_cx.services.feedback_themes import ThemeMapper, ThemeMatch
from lms_cx.services.feedback_validation import (
    FEEDBACK_FIELDS,
    FeedbackProblem,
    FeedbackRecord,
    FeedbackValidator,
)

if TYPE_CHECKING:
    from lms_cx.services.feedback_remedial import RemedialAssignment

#: Called with how many more rows are done, e.g. a click progress bar's ``update``.
Progress = Callable[[int], None]

#: The stored columns an import compares to decide whether an item changed.
COMPARED = ("employee_id", "occurred_at", "channel", "csat", "nps", "ces", "comment", "language")
_CHUNK = 500


@dataclass
class IngestPlan:
    """What storing a batch of records would do."""

    creates: list[FeedbackRecord] = field(default_factory=list)
    updates: list[tuple[FeedbackRecord, int]] = field(default_factory=list)
    unchanged: list[tuple[FeedbackRecord, int]] = field(default_factory=list)

    @property
    def employee_ids(self) -> set[int]:
        """Return the employees whose feedback is created or changed."""
        return {r.employee_id for r in self.creates} | {r.employee_id for r, _i in self.updates}


@dataclass
class ImportReport:
    """What an import found and did; ``problems`` lists every bad row with its line."""

    source: str
    filename: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid_rows: int = 0
    problems: list[FeedbackProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The file as a whole cannot be read (encoding, header): nothing can be imported.
    unreadable: bool = False
    dry_run: bool = False
    skip_invalid: bool = False
    written: bool = False
    import_id: int | None = None
    remedial: list[RemedialAssignment] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Return True when problems stop the import (unreadable, or bad rows not skipped)."""
        return self.unreadable or (bool(self.problems) and not self.skip_invalid)

    @property
    def bad_lines(self) -> list[int]:
        """Return the line numbers of the bad rows, in order."""
        return sorted({p.line for p in self.problems if p.line is not None})


def plan_ingest(session: Session, records: Sequence[FeedbackRecord]) -> IngestPlan:
    """Return which records are new, which change a stored item and which change nothing."""
    plan = IngestPlan()
    existing: dict[tuple[str, str], Any] = {}
    by_source: dict[str, list[str]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record.external_id)
    columns = [getattr(FeedbackItem, name) for name in COMPARED]
    for source, external_ids in by_source.items():
        for start in range(0, len(external_ids), _CHUNK):
            rows = session.execute(
                sa.select(FeedbackItem.id, FeedbackItem.external_id, FeedbackItem.tags, *columns)
                .where(FeedbackItem.source == source)
                .where(FeedbackItem.external_id.in_(external_ids[start : start + _CHUNK]))
            ).all()
            for row in rows:
                existing[(source, row.external_id)] = row
    for record in records:
        row = existing.get(record.key)
        if row is None:
            plan.creates.append(record)
        elif _differs(record, row):
            plan.updates.append((record, row.id))
        else:
            plan.unchanged.append((record, row.id))
    return plan


def _differs(record: FeedbackRecord, row: Any) -> bool:
    if list(row.tags or []) != list(record.tags):
        return True
    for name in COMPARED:
        stored, given = getattr(row, name), getattr(record, name)
        if isinstance(stored, datetime):
            stored, given = stored.astimezone(UTC), given.astimezone(UTC)
        if stored != given:
            return True
    return False


def _item_values(record: FeedbackRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in COMPARED}
    values["tags"] = list(record.tags)
    return values


def write_ingest(
    session: Session,
    plan: IngestPlan,
    *,
    import_row: FeedbackImport | None = None,
    progress: Progress | None = None,
) -> dict[tuple[str, str], tuple[int, str]]:
    """Create and update the planned items with their themes (flushed, not committed).

    Returns, per ``(source, external_id)``, the item id and ``created``, ``updated`` or
    ``unchanged``.
    """
    from lms_cx.services.feedback_theme_rules import ensure_default_feedback_rules

    ensure_default_feedback_rules(session)
    mapper = ThemeMapper.load(session)
    import_id = import_row.id if import_row is not None else None
    outcome: dict[tuple[str, str], tuple[int, str]] = {
        record.key: (item_id, "unchanged") for record, item_id in plan.unchanged
    }
    now = utcnow()
    for start in range(0, len(plan.creates), _CHUNK):
        chunk = plan.creates[start : start + _CHUNK]
        # Core bulk INSERT ... RETURNING: a few statements per chunk, not one per row (the
        # unit of work inserts row by row on SQLite to keep RETURNING in order).
        returned = session.execute(
            sa.insert(FeedbackItem).returning(
                FeedbackItem.id, FeedbackItem.source, FeedbackItem.external_id
            ),
            [
                {
                    **_item_values(record),
                    "source": record.source,
                    "external_id": record.external_id,
                    "import_id": import_id,
                    "created_at": now,
                }
                for record in chunk
            ],
            # Keep NULLs in the statement, so rows share one column list and batch together.
            execution_options={"render_nulls": True},
        ).all()
        ids = {(source, external_id): item_id for item_id, source, external_id in returned}
        themes = []
        for record in chunk:
            outcome[record.key] = (ids[record.key], "created")
            themes += [
                {"feedback_item_id": ids[record.key], "track_id": m.track_id, "reason": m.reason}
                for m in mapper.match(record.tags, record.comment, record.language)
            ]
        if themes:
            session.execute(sa.insert(FeedbackTheme), themes)
        if progress:
            progress(len(chunk))
    for start in range(0, len(plan.updates), _CHUNK):
        chunk = plan.updates[start : start + _CHUNK]
        ids = [item_id for _record, item_id in chunk]
        session.execute(sa.delete(FeedbackTheme).where(FeedbackTheme.feedback_item_id.in_(ids)))
        stamp = {"import_id": import_id} if import_id is not None else {}
        session.execute(
            sa.update(FeedbackItem),
            [{"id": item_id, **_item_values(record), **stamp} for record, item_id in chunk],
        )
        themes = []
        for record, item_id in chunk:
            matches: list[ThemeMatch] = mapper.match(record.tags, record.comment, record.language)
            themes += [
                {"feedback_item_id": item_id, "track_id": m.track_id, "reason": m.reason}
                for m in matches
            ]
            outcome[record.key] = (item_id, "updated")
        if themes:
            session.execute(sa.insert(FeedbackTheme), themes)
        if progress:
            progress(len(chunk))
    return outcome


def rules_run_on_import(config: Mapping[str, Any]) -> bool:
    """Return ``LMS_CX_FEEDBACK_APPLY_RULES_ON_IMPORT`` as a boolean ("false" counts as False)."""
    value = config.get("LMS_CX_FEEDBACK_APPLY_RULES_ON_IMPORT", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


def apply_rules_after_ingest(
    session: Session, employee_ids: set[int], now: datetime | None
) -> list[RemedialAssignment]:
    """Run the remedial rules for the employees whose feedback changed (commits)."""
    if not employee_ids:
        return []
    from lms_cx.services.feedback_remedial import apply_remedial_rules

    return apply_remedial_rules(session, now=now, employee_ids=employee_ids)


@dataclass
class ApiIngestResult:
    """What a REST request stored; ``problems`` (nothing stored) name each field."""

    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[FeedbackProblem] = field(default_factory=list)
    batch: bool = False
    import_id: int | None = None
    remedial: list[RemedialAssignment] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return how many items were created, updated and left unchanged."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for item in self.items:
            counts[item["status"]] += 1
        return counts


def ingest_feedback_json(
    session: Session,
    payload: Any,
    *,
    default_source: str = "api",
    max_items: int = 500,
    now: datetime | None = None,
    apply_rules: bool = True,
) -> ApiIngestResult:
    """Validate and store feedback sent as JSON (one object, a list, or ``{"items": [...]}``).

    All or nothing: any problem stores nothing. Naive timestamps are read as UTC.
    """
    now = now or utcnow()
    result = ApiIngestResult()
    if isinstance(payload, Mapping) and "items" in payload:
        extra = sorted(set(payload) - {"items"})
        if extra:
            result.problems.append(FeedbackProblem(extra[0], _("unknown field")))
            return result
        payload = payload["items"]
        if not isinstance(payload, list):
            result.problems.append(FeedbackProblem("items", _("must be a list of feedback items")))
            return result
    if isinstance(payload, list):
        result.batch = True
        raw_items = payload
    elif isinstance(payload, Mapping):
        raw_items = [payload]
    else:
        result.problems.append(FeedbackProblem(None, _("send a JSON object or a list of them")))
        return result
    if not raw_items or len(raw_items) > max_items:
        result.problems.append(
            FeedbackProblem("items", _("send from 1 to %(max)d items", max=max_items))
        )
        return result
    validator = FeedbackValidator(session, default_source=default_source, default_zone=UTC, now=now)
    validator.prime(item for item in raw_items if isinstance(item, Mapping))
    records = []
    for position, raw in enumerate(raw_items):
        index = position if result.batch else None
        prefix = f"items[{position}]." if result.batch else ""
        if not isinstance(raw, Mapping):
            result.problems.append(
                FeedbackProblem(prefix.rstrip(".") or None, _("must be a JSON object"), index=index)
            )
            continue
        unknown = sorted(set(raw) - set(FEEDBACK_FIELDS))
        for name in unknown:
            result.problems.append(FeedbackProblem(prefix + name, _("unknown field"), index=index))
        record, problems = validator.validate(raw, index=index)
        for problem in problems:
            name = prefix + problem.field if problem.field else prefix.rstrip(".") or None
            result.problems.append(FeedbackProblem(name, problem.message, index=index))
        if record is not None:
            records.append(record)
    if result.problems:
        session.rollback()
        return result
    plan = plan_ingest(session, records)
    import_row = None
    if result.batch:
        import_row = FeedbackImport(
            filename=None,
            source=records[0].source if len({r.source for r in records}) == 1 else default_source,
            rows_total=len(records),
            created_count=len(plan.creates),
            updated_count=len(plan.updates),
            skipped_count=0,
            imported_at=now,
        )
        session.add(import_row)
        session.flush()
        result.import_id = import_row.id
    outcome = write_ingest(session, plan, import_row=import_row)
    session.commit()
    themes = _themes_of(session, [item_id for item_id, _status in outcome.values()])
    for record in records:
        item_id, status = outcome[record.key]
        result.items.append(
            {
                "id": item_id,
                "status": status,
                "source": record.source,
                "external_id": record.external_id,
                "themes": themes.get(item_id, []),
            }
        )
    if apply_rules:
        result.remedial = apply_rules_after_ingest(session, plan.employee_ids, now)
    return result


def _themes_of(session: Session, item_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    from lms_cx.models import Track

    themes: dict[int, list[dict[str, str]]] = {}
    for start in range(0, len(item_ids), _CHUNK):
        for item_id, code, reason in session.execute(
            sa.select(FeedbackTheme.feedback_item_id, Track.code, FeedbackTheme.reason)
            .join(Track, FeedbackTheme.track_id == Track.id)
            .where(FeedbackTheme.feedback_item_id.in_(item_ids[start : start + _CHUNK]))
            .order_by(Track.position)
        ):
            themes.setdefault(item_id, []).append({"track": code, "reason": reason})
    return themes
