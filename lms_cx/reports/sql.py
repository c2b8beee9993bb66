"""SQL expressions the reports need that each database spells its own way."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class registration_of(FunctionElement[str]):  # noqa: N801 - reads as a SQL function
    """An assignment id as the text the progress projection stores as its registration.

    The projection keys rows by ``str(uuid)`` (hyphenated); SQLite keeps a ``Uuid`` column as
    32 hex digits and PostgreSQL as a native ``uuid``, so each needs its own spelling.
    """

    type = sa.String()
    inherit_cache = True


@compiles(registration_of)
def _registration_default(element: registration_of, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"


@compiles(registration_of, "sqlite")
def _registration_sqlite(element: registration_of, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    parts = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
    return " || '-' || ".join(f"substr({value}, {start}, {length})" for start, length in parts)


class month_of(FunctionElement[str]):  # noqa: N801 - reads as a SQL function
    """The UTC calendar month of a timestamp as ``YYYY-MM`` text."""

    type = sa.String()
    inherit_cache = True


@compiles(month_of)
def _month_default(element: month_of, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"to_char(timezone('UTC', {value}), 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    # SQLite holds lms_cx's datetimes as naive UTC text (see lms_cx.db.UTCDateTime).
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


def later_of(first: Any, second: Any) -> sa.ColumnElement[Any]:
    """Return the later of two nullable timestamps (the other one when either is NULL)."""
    return sa.case(
        (first.is_(None), second),
        (second.is_(None), first),
        (first > second, first),
        else_=second,
    )


def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """Return 1 where ``condition`` holds, else 0 (NULL counts as not holding)."""
    return sa.case((condition, 1), else_=0)
