"""Statement queries: the filters of GET /statements and stable ``more`` paging.

Pages follow ``seq`` (storage order), not ``stored``, and the first page pins the highest
``seq`` it could see: later pages continue strictly after the last statement returned and
never beyond that cap, so statements arriving meanwhile neither shift nor repeat a page.

Statements that target a matching statement through a StatementRef match too, recursively
(xAPI 1.0.3, part three, 2.1.3, "Filter Conditions for StatementRefs"); time and paging
conditions apply to the targeting statement. Voided statements are never returned.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased

from lms_cx.models.xapi import Statement, StatementActivity, StatementAgent
from lms_cx.xapi.agents import agent_ifi
from lms_cx.xapi.errors import XapiRequestError
from lms_cx.xapi.index import column_key

#: Relations the plain ``agent`` filter matches besides the actor (part three, 2.1.3);
#: ``related_agents`` matches every relation.
OTHER_AGENT_RELATIONS = ("object", "member")


@dataclass
class StatementQuery:
    """The filters and paging of one GET /statements."""

    agent: dict[str, Any] | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    #: Paging state from a ``more`` link: the last seq returned and the seq cap.
    after_seq: int | None = None
    cap_seq: int | None = None
    #: ``statements/read/mine``: only statements with this authority IFI.
    authority_ifi: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def has_filters(self) -> bool:
        """Return True when a filter the StatementRef rule applies to is given."""
        return any(v is not None for v in (self.agent, self.verb, self.activity, self.registration))


def encode_cursor(after_seq: int, cap_seq: int) -> str:
    """Return the opaque ``cursor`` parameter of a ``more`` link."""
    text = json.dumps({"after": after_seq, "cap": cap_seq}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[int, int]:
    """Return ``(after_seq, cap_seq)`` of a cursor, or raise a 400."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(data["after"]), int(data["cap"])
    except (ValueError, KeyError, TypeError):
        raise XapiRequestError("is not a cursor this LRS issued", "cursor") from None


def _filter_conditions(query: StatementQuery, table: Any, agent_as: str = "any") -> list[Any]:
    """Return the conditions of the non-time filters on ``table`` (Statement or an alias).

    Values are bind parameters (``query_params`` fills them), so one built statement
    serves every query of the same shape. The plain ``agent`` filter matches the actor or
    the object (or a member of their group); ``agent_as`` picks one side, ``"actor"`` (the
    statement's own actor_ifi/verb index) or ``"others"`` (the agent index rows), because
    databases plan an OR of the two badly; ``"any"`` means both.
    """
    conditions: list[Any] = []
    if query.agent is not None:
        agents = sa.select(StatementAgent.statement_seq).where(
            StatementAgent.agent_ifi == sa.bindparam("agent_ifi")
        )
        if query.related_agents:
            conditions.append(table.seq.in_(agents))
        elif agent_as == "actor":
            conditions.append(table.actor_ifi == sa.bindparam("agent_ifi"))
        elif agent_as == "others":
            others = agents.where(StatementAgent.relation.in_(OTHER_AGENT_RELATIONS))
            conditions.append(table.seq.in_(others))
        else:
            plain = agents.where(StatementAgent.relation.in_(("actor", *OTHER_AGENT_RELATIONS)))
            conditions.append(table.seq.in_(plain))
    if query.verb is not None:
        verb = table.verb_id
        if query.agent is not None and agent_as != "actor" and not query.related_agents:
            # The agent's few index rows lead. Written as an expression, the verb cannot pick
            # the verb index instead, which would walk every statement with that verb (SQLite
            # does without ANALYZE statistics: a third of the ledger for ``answered``).
            verb = verb + ""
        conditions.append(verb == sa.bindparam("verb_id"))
    if query.activity is not None:
        if query.related_activities:
            related = sa.select(StatementActivity.statement_seq).where(
                StatementActivity.activity_id == sa.bindparam("activity_id")
            )
            conditions.append(table.seq.in_(related))
        else:
            conditions.append(table.object_type == "Activity")
            conditions.append(table.object_id == sa.bindparam("activity_id"))
    if query.registration is not None:
        conditions.append(table.registration == sa.bindparam("registration", type_=sa.Uuid()))
    return conditions


def _window_conditions(query: StatementQuery, table: Any) -> list[Any]:
    """Return the time, paging and permission conditions on the returned statements."""
    stored_type = Statement.__table__.c.stored.type
    conditions = [table.voided.is_(False), table.seq <= sa.bindparam("cap_seq")]
    if query.since is not None:
        conditions.append(table.stored > sa.bindparam("since", type_=stored_type))
    if query.until is not None:
        conditions.append(table.stored <= sa.bindparam("until", type_=stored_type))
    if query.after_seq is not None:
        after = sa.bindparam("after_seq")
        conditions.append(table.seq > after if query.ascending else table.seq < after)
    if query.authority_ifi is not None:
        conditions.append(table.authority_ifi == sa.bindparam("authority_ifi"))
    return conditions


def query_params(query: StatementQuery) -> dict[str, Any]:
    """Return the values of the bind parameters of ``query``'s statements."""
    params: dict[str, Any] = {"cap_seq": query.cap_seq}
    if query.agent is not None:
        params["agent_ifi"] = column_key(agent_ifi(query.agent) or "")
    if query.verb is not None:
        params["verb_id"] = column_key(query.verb)
    if query.activity is not None:
        params["activity_id"] = column_key(query.activity)
    if query.registration is not None:
        params["registration"] = uuid.UUID(query.registration)
    for name in ("since", "until", "after_seq", "authority_ifi"):
        if getattr(query, name) is not None:
            params[name] = getattr(query, name)
    return params


class UuidText(sa.sql.expression.ColumnElement[str]):
    """A Uuid column as hyphenated lower-case text (how StatementRef ids are kept)."""

    type = sa.String()
    inherit_cache = True
    _traverse_internals = [("column", sa.sql.visitors.InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any) -> None:
        self.column = column


@compiles(UuidText, "postgresql")
def _uuid_text_postgresql(element: UuidText, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.column, **kw)} AS TEXT)"


@compiles(UuidText)
def _uuid_text_sqlite(element: UuidText, compiler: Any, **kw: Any) -> str:
    # SQLite keeps sa.Uuid as 32 hex digits.
    column = compiler.process(element.column, **kw)
    parts = [f"substr({column}, {start}, {length})" for start, length in
             ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]  # fmt: skip
    return "lower(" + " || '-' || ".join(parts) + ")"


def uuid_text(session: Session, column: Any) -> Any:
    """Return SQL for a Uuid column as hyphenated lower-case text."""
    return UuidText(column)


def _sides(query: StatementQuery) -> tuple[str, ...]:
    """Return how the agent filter is split: the actor's own index, then the others'."""
    if query.agent is not None and not query.related_agents:
        return ("actor", "others")
    return ("any",)


def _targeting(session: Session, query: StatementQuery) -> Any:
    """Return a select of the seqs of statements that (transitively) target a match."""
    target = aliased(Statement)
    ref = aliased(Statement)
    sides = _sides(query)
    if len(sides) == 1:
        matches = _filter_conditions(query, target)
    else:
        # The matches side by side, like the page itself: the actor's statements straight
        # from the actor/verb index, not by visiting every statement the agent appears in.
        side_seqs = []
        for side in sides:
            match = aliased(Statement)
            side_seqs.append(sa.select(match.seq).where(*_filter_conditions(query, match, side)))
        matches = [target.seq.in_(sa.union_all(*side_seqs))]
    chain = (
        sa.select(ref.seq, uuid_text(session, ref.statement_id).label("ref_id"))
        .join(target, ref.object_id == uuid_text(session, target.statement_id))
        .where(ref.object_type == "StatementRef", *matches)
        .cte("targeting", recursive=True)
    )
    further = aliased(Statement)
    chain = chain.union(
        sa.select(further.seq, uuid_text(session, further.statement_id))
        .join(chain, further.object_id == chain.c.ref_id)
        # An expression on object_type keeps SQLite from building a throw-away index on
        # (object_type, object_id) over the whole table: the object_id index is the one to use.
        .where(sa.func.coalesce(further.object_type, "") + "" == "StatementRef")
    )
    return sa.select(chain.c.seq)


def _shape(query: StatementQuery, dialect: str, page_size: int) -> tuple:
    return (
        dialect, page_size, query.ascending, query.related_agents, query.related_activities,
        *(getattr(query, name) is None for name in (
            "agent", "verb", "activity", "registration", "since", "until", "after_seq",
            "authority_ifi",
        )),
    )  # fmt: skip


#: Built selects by query shape: building the StatementRef CTE costs more than running it.
_SELECTS: dict[tuple, Any] = {}


def _page_select(session: Session, query: StatementQuery, page_size: int) -> Any:
    """Return the select of one page's candidates: one round trip, whatever the shape.

    Each side (the actor's statements, the others the agent appears in, the statements
    targeting a match) is its own ordered, limited subquery, so each keeps its own index
    plan; ``UNION ALL`` sends them together and the caller merges them by seq.
    """
    key = _shape(query, session.get_bind().dialect.name, page_size)
    if key not in _SELECTS:
        order = Statement.seq.asc() if query.ascending else Statement.seq.desc()
        window = _window_conditions(query, Statement)
        built = [
            sa.select(Statement).where(*window, *_filter_conditions(query, Statement, side))
            for side in _sides(query)
        ]
        if query.has_filters:
            targeting = Statement.seq.in_(_targeting(session, query))
            built.append(sa.select(Statement).where(*window, targeting))
        limited = [select.order_by(order).limit(page_size + 1) for select in built]
        if len(limited) > 1:
            union = sa.union_all(*(sa.select(select.subquery()) for select in limited))
            limited = [sa.select(Statement).from_statement(union)]
        if len(_SELECTS) > 1000:
            _SELECTS.clear()
        _SELECTS[key] = limited[0]
    return _SELECTS[key]


_MAX_SEQ = sa.select(sa.func.max(Statement.seq))
#: PostgreSQL: ``SET LOCAL jit = off`` as a function, so it rides along with the seq cap.
_NO_JIT = sa.func.set_config("jit", "off", True)
_NO_JIT_MAX_SEQ = sa.select(_NO_JIT, sa.func.max(Statement.seq))
_NO_JIT_ONLY = sa.select(_NO_JIT)


def find_statements(
    session: Session, query: StatementQuery, page_size: int
) -> tuple[list[Statement], int | None, int]:
    """Return one page of statements, the seq to continue after (or None), and the seq cap."""
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL over-estimates the recursive StatementRef step on a large ledger and
        # JIT-compiles the query: 0.3 s of compiling (1,000,000 statements) for a few ms of
        # work. Turned off for this transaction, in the same round trip as the seq cap.
        if query.cap_seq is None:
            query.cap_seq = session.execute(_NO_JIT_MAX_SEQ).one()[1] or 0
        else:
            session.execute(_NO_JIT_ONLY)
    elif query.cap_seq is None:
        query.cap_seq = session.scalar(_MAX_SEQ) or 0
    params = query_params(query)
    found: dict[int, Statement] = {}
    for row in session.scalars(_page_select(session, query, page_size), params):
        found[row.seq] = row
    rows = sorted(found.values(), key=lambda r: r.seq, reverse=not query.ascending)
    if len(rows) > page_size:
        rows = rows[:page_size]
        return rows, rows[-1].seq, query.cap_seq
    return rows, None, query.cap_seq
