"""The progress projection: ``lms_cx_progress`` folded from the statements ledger.

One row per (registration or ``''``, actor IFI, activity) for every statement whose object
is an Activity, ours or an external tool's. ``apply_statement`` is called for each stored
statement in the storing transaction; ``rebuild_progress`` recomputes every row from the
ledger and gives the same rows. The fold, statement by statement in storage order:

- ``attempts`` counts statements whose verb starts an attempt (``attempted``,
  ``initialized``; not ``launched``, which cmi5 pairs with ``initialized``);
- ``completion`` is True once any statement completed the activity (verb ``completed`` or
  ``result.completion: true``), else False once one said ``completion: false``;
- ``success`` is True once any statement succeeded (verb ``passed`` or
  ``result.success: true``), else False once one failed; a pass is never undone by a fail;
- ``status`` is ``passed``, ``failed``, ``completed`` or ``attempted``, in that precedence;
- scores are scaled (``score.scaled``, or ``(raw - min) / (max - min)`` with ``min``
  defaulting to 0 when ``raw`` and ``max`` are given); ``best`` is the highest, ``last``
  the most recently stored;
- first/last activity, ``completed_at`` and ``passed_at`` come from statement timestamps
  (the earliest completing and passing statements).

A voiding statement makes the voided statement's key be recomputed from what remains.

Statements an LRS client stored (external content: they carry a credential) are then handed,
in the same transaction, to the functions registered with ``on_reported_progress``: that is
how the services notice that external content finished a module (and so maybe a course).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms_cx.models.progress import Progress
from lms_cx.models.xapi import Statement
from lms_cx.xapi import vocab
from lms_cx.xapi.employees import EmployeeResolver

Key = tuple[str, str, str]
#: Called with the session and the statements an LRS client stored, once they are projected.
ReportedProgress = Callable[[Session, list[Statement]], None]

#: What reacts to progress reported through the LRS (xapi/ cannot import the services).
REPORTED_PROGRESS: list[ReportedProgress] = []


def on_reported_progress(listener: ReportedProgress) -> ReportedProgress:
    """Register ``listener`` for statements an LRS client stores (once, however often called)::

    @on_reported_progress
    def complete_reported_assignments(session, statements): ...
    """
    if listener not in REPORTED_PROGRESS:
        REPORTED_PROGRESS.append(listener)
    return listener


def progress_key(statement: Statement) -> Key | None:
    """Return ``(registration, actor IFI, activity id)``, or None when the object is no Activity."""
    if statement.object_type != "Activity":
        return None
    registration = str(statement.registration) if statement.registration else ""
    return registration, statement.actor_ifi, statement.object_id


def apply_statement(session: Session, statement: Statement) -> None:
    """Update ``lms_cx_progress`` for one newly stored statement (in the caller's transaction)."""
    apply_statements(session, [statement])


def apply_statements(session: Session, statements: list[Statement]) -> None:
    """Update ``lms_cx_progress`` for newly stored statements, in storage order.

    Each key's statements are folded into a blank row and merged into the stored row by
    one upsert for the whole batch (``_merge_statement``), which gives what folding them one
    by one into the stored row gives. ``statements`` are the store's new rows (or
    ``Statement`` objects). Voided targets are recomputed last, from the ledger as it now
    stands.
    """
    live = [s for s in statements if s.voids_statement_id is None and not s.voided]
    keyed: dict[Key, list[Statement]] = {}
    for statement in sorted(live, key=lambda s: s.seq):
        key = progress_key(statement)
        if key is not None:
            keyed.setdefault(key, []).append(statement)
    if keyed:
        resolver = EmployeeResolver(session)
        resolver.prefetch([group[0].raw["actor"] for group in keyed.values()])
        folded = []
        for key in sorted(keyed):
            row = _blank_row(key)
            for statement in keyed[key]:
                fold(row, statement, resolver)
            folded.append(row)
        _merge_rows(session, folded)
    targets = [s.voids_statement_id for s in statements if s.voids_statement_id is not None]
    if targets:
        voided = session.scalars(sa.select(Statement).where(Statement.statement_id.in_(targets)))
        for key in sorted({k for k in map(progress_key, voided) if k is not None}):
            recompute_key(session, key)
    # Our own services finish what they started themselves; only the LRS's clients report.
    reported = [s for s in live if s.credential_id is not None and s.registration is not None]
    if reported:
        for listener in REPORTED_PROGRESS:
            listener(session, reported)


def recompute_key(session: Session, key: Key) -> None:
    """Recompute one progress row from the key's non-voided statements (or delete it)."""
    registration, actor_ifi, activity_id = key
    row = _locked_rows(session, [key])[key]
    statements = session.scalars(
        sa.select(Statement)
        .where(
            Statement.actor_ifi == actor_ifi,
            Statement.object_type == "Activity",
            Statement.object_id == activity_id,
            Statement.voided.is_(False),
            Statement.registration.is_(None)
            if not registration
            else Statement.registration == uuid.UUID(registration),
        )
        .order_by(Statement.seq)
    ).all()
    if not statements:
        session.execute(sa.delete(Progress.__table__).where(Progress.__table__.c.id == row.id))
        _expire_loaded(session, [row.id])
        return
    reset(row)
    row.employee_id = None
    resolver = EmployeeResolver(session)
    for statement in statements:
        fold(row, statement, resolver)
    _write_rows(session, [row])


def rebuild_progress(session: Session, *, commit: bool = True, chunk: int = 2000) -> int:
    """Recompute every progress row from the ledger; return the number of rows.

    Reads the statements in storage order (the order ``apply_statement`` saw them), so the
    rows are exactly those the incremental projection keeps.
    """
    session.execute(sa.delete(Progress))
    rows: dict[Key, Progress] = {}
    resolver = EmployeeResolver(session)
    query = (
        sa.select(Statement)
        .where(Statement.object_type == "Activity", Statement.voided.is_(False))
        .order_by(Statement.seq)
        .execution_options(yield_per=chunk)
    )
    for statement in session.scalars(query):
        key = progress_key(statement)
        assert key is not None
        row = rows.get(key)
        if row is None:
            row = rows[key] = _new_row(key)
        fold(row, statement, resolver)
    session.add_all(rows.values())
    session.flush()
    if commit:
        session.commit()
    return len(rows)


def _blank_row(key: Key) -> SimpleNamespace:
    row = SimpleNamespace(
        registration=key[0], actor_ifi=key[1], activity_id=key[2], employee_id=None
    )
    reset(row)
    return row


def _new_row(key: Key) -> Progress:
    row = Progress(registration=key[0], actor_ifi=key[1], activity_id=key[2])
    reset(row)
    return row


def reset(row: Any) -> None:
    """Clear everything the fold computes."""
    row.status = "attempted"
    row.attempts = 0
    for name in (
        "completion",
        "success",
        "best_score_scaled",
        "last_score_scaled",
        "first_activity_at",
        "last_activity_at",
        "completed_at",
        "passed_at",
        "last_statement_id",
    ):
        setattr(row, name, None)


_UPSERTS: dict[str, Any] = {}


def _locked_rows(session: Session, keys: list[Key]) -> dict[Key, SimpleNamespace]:
    """Return the progress rows of ``keys`` (sorted), created when missing, locked.

    One upsert with RETURNING: ``DO UPDATE`` (a no-op assignment) rather than ``DO NOTHING``
    so existing rows are returned too, and locked on PostgreSQL until the transaction ends.
    The rows are plain namespaces: the fold writes them back with ``_write_rows``.
    """
    dialect = session.get_bind().dialect.name
    statement = _UPSERTS.get(dialect)
    if statement is None:
        # Built once per dialect, and given its parameters as a list (executemany with
        # RETURNING, sent as one multi-row INSERT) so that it also compiles only once.
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = Progress.__table__
        statement = _UPSERTS[dialect] = (
            insert(table)
            .on_conflict_do_update(
                index_elements=["registration", "actor_ifi", "activity_id"],
                set_={"status": table.c.status},
            )
            .returning(*table.c)
        )
    values = [
        {"registration": r, "actor_ifi": a, "activity_id": i, "status": "attempted", "attempts": 0}
        for r, a, i in keys
    ]
    rows = [SimpleNamespace(**row._mapping) for row in session.execute(statement, values)]
    return {(row.registration, row.actor_ifi, row.activity_id): row for row in rows}


#: The columns the fold computes, written back in one executemany UPDATE per batch.
FOLDED = (
    "employee_id", "status", "completion", "success", "best_score_scaled", "last_score_scaled",
    "attempts", "first_activity_at", "last_activity_at", "completed_at", "passed_at",
    "last_statement_id",
)  # fmt: skip


def _merge_statement(dialect: str) -> Any:
    """Return the upsert that folds rows computed from new statements alone into the table.

    The fold is associative: folding a batch into an empty row and merging that with the
    stored row gives what folding the batch statement by statement into the stored row
    gives. The merge happens in SQL, so the rows need not be read back first. In ``SET``,
    columns name the stored values and ``excluded`` the new ones (on both databases).
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Progress.__table__
    statement = insert(table)
    old, new = table.c, statement.excluded

    def earliest(name: str) -> Any:
        return sa.case(
            (sa.or_(old[name].is_(None), new[name] < old[name]), new[name]), else_=old[name]
        )

    def latest(name: str) -> Any:
        return sa.case(
            (sa.or_(old[name].is_(None), new[name] > old[name]), new[name]), else_=old[name]
        )

    completion = sa.case(
        (sa.or_(new.completion.is_(True), old.completion.is_(True)), sa.true()),
        (old.completion.is_(None), new.completion),
        else_=old.completion,
    )
    success = sa.case(
        (sa.or_(new.success.is_(True), old.success.is_(True)), sa.true()),
        (sa.or_(new.success.is_(False), old.success.is_(False)), sa.false()),
        else_=sa.null(),
    )
    status = sa.case(
        (success.is_(True), "passed"),
        (success.is_(False), "failed"),
        (completion.is_(True), "completed"),
        else_="attempted",
    )
    return statement.on_conflict_do_update(
        index_elements=["registration", "actor_ifi", "activity_id"],
        set_={
            "employee_id": sa.func.coalesce(old.employee_id, new.employee_id),
            "status": status,
            "completion": completion,
            "success": success,
            "best_score_scaled": latest("best_score_scaled"),
            "last_score_scaled": sa.func.coalesce(new.last_score_scaled, old.last_score_scaled),
            "attempts": old.attempts + new.attempts,
            "first_activity_at": earliest("first_activity_at"),
            "last_activity_at": latest("last_activity_at"),
            "completed_at": earliest("completed_at"),
            "passed_at": earliest("passed_at"),
            "last_statement_id": new.last_statement_id,
        },
    )


_MERGES: dict[str, Any] = {}


def _merge_rows(session: Session, rows: list[SimpleNamespace]) -> None:
    """Fold ``rows`` (each the fold of new statements into a blank row) into the table.

    One executemany upsert, compiled once per dialect; rows in key order, so concurrent
    transactions on PostgreSQL lock them in the same order.
    """
    dialect = session.get_bind().dialect.name
    statement = _MERGES.get(dialect)
    if statement is None:
        statement = _MERGES[dialect] = _merge_statement(dialect)
    columns = ("registration", "actor_ifi", "activity_id", *FOLDED)
    session.execute(statement, [{name: getattr(row, name) for name in columns} for row in rows])
    keys = {(row.registration, row.actor_ifi, row.activity_id) for row in rows}
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Progress) and (obj.registration, obj.actor_ifi, obj.activity_id) in keys:
            session.expire(obj)


_WRITE_FOLDED = sa.update(Progress.__table__).where(
    Progress.__table__.c.id == sa.bindparam("row_id")
)


def _write_rows(session: Session, rows: list[Any]) -> None:
    """Write folded rows with one executemany UPDATE (the ORM would send one per row)."""
    values = [{"row_id": row.id} | {name: getattr(row, name) for name in FOLDED} for row in rows]
    session.execute(_WRITE_FOLDED, values)
    _expire_loaded(session, [row.id for row in rows])


def _expire_loaded(session: Session, ids: list[int]) -> None:
    """Expire Progress objects the session holds for ``ids``, so readers see the new values."""
    wanted = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Progress) and obj.id in wanted:
            session.expire(obj)


def scaled_score(result: dict[str, Any]) -> float | None:
    """Return the scaled score of a result, computed from raw/min/max when not given."""
    score = result.get("score") or {}
    if "scaled" in score:
        return float(score["scaled"])
    raw, high, low = score.get("raw"), score.get("max"), score.get("min", 0)
    if raw is None or high is None or high == low:
        return None
    return max(-1.0, min(1.0, (raw - low) / (high - low)))


def fold(row: Any, statement: Statement, resolver: EmployeeResolver) -> None:
    """Fold one statement into a progress row (resolving the employee while unknown)."""
    if row.employee_id is None:
        row.employee_id = resolver.resolve(statement.raw["actor"])
    verb = statement.verb_id
    result = statement.raw.get("result") or {}
    at = statement.timestamp
    row.first_activity_at = _earliest(row.first_activity_at, at)
    row.last_activity_at = _latest(row.last_activity_at, at)
    row.last_statement_id = statement.statement_id
    if verb in vocab.ATTEMPT_VERBS:
        row.attempts = (row.attempts or 0) + 1
    if verb in vocab.COMPLETION_VERBS or result.get("completion") is True:
        row.completion = True
        row.completed_at = _earliest(row.completed_at, at)
    elif result.get("completion") is False and row.completion is None:
        row.completion = False
    success = vocab.SUCCESS_VERBS.get(verb, result.get("success"))
    if success is True:
        row.success = True
        row.passed_at = _earliest(row.passed_at, at)
    elif success is False and row.success is not True:
        row.success = False
    scaled = scaled_score(result)
    if scaled is not None:
        row.last_score_scaled = scaled
        if row.best_score_scaled is None or scaled > row.best_score_scaled:
            row.best_score_scaled = scaled
    row.status = _status(row)


def _status(row: Progress) -> str:
    if row.success is True:
        return "passed"
    if row.success is False:
        return "failed"
    if row.completion is True:
        return "completed"
    return "attempted"


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def _latest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate > current else current
