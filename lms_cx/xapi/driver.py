"""Write rows through SQLite's driver on the store's hot path, converted as SQLAlchemy would.

Inside SQLite's write lock every millisecond holds up every other writer, and SQLAlchemy's
per-row parameter handling for an ``executemany`` cost more than SQLite's own work. A
``DriverStatement`` is compiled once per engine; its rows are converted with the columns'
own bind processors (the engine's JSON serialiser, the UUID and datetime formats), so the
stored values are exactly those the ORM would store, and can be converted before the lock.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa


class DriverStatement:
    """An INSERT (or upsert) of ``table`` compiled for ``dialect``, with positional rows.

    Every bind parameter of ``statement`` must be a column of ``table`` (constants written
    as SQL literals), so that a row is fully described by its column values. ``late`` names
    the leading parameters known only inside the lock (plain integers such as ``seq``):
    ``row`` leaves them out, and the caller puts them in front of each row it executes.
    """

    def __init__(
        self, statement: Any, table: sa.Table, dialect: sa.Dialect, late: tuple[str, ...] = ()
    ) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        names = tuple(compiled.positiontup or ())
        if names[: len(late)] != late:
            raise ValueError(f"{late} must lead the parameters of {self.sql}")
        self.names = names[len(late) :]
        self.converters = [
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self.names
        ]

    def row(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Return the driver's parameters for one row given by column name (``late`` left out)."""
        return tuple(
            value if convert is None else convert(value)
            for value, convert in zip(
                (values[name] for name in self.names), self.converters, strict=True
            )
        )

    def execute(self, connection: sa.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        """Send converted rows with one ``executemany``."""
        connection.exec_driver_sql(self.sql, list(rows))


_COMPILED: weakref.WeakKeyDictionary[sa.Dialect, dict[str, DriverStatement]] = (
    weakref.WeakKeyDictionary()
)


def driver_statement(
    name: str, dialect: sa.Dialect, build: Any, table: sa.Table, late: tuple[str, ...] = ()
) -> DriverStatement:
    """Return the statement ``name`` compiled for this engine's dialect (``build()`` once)."""
    per_dialect = _COMPILED.setdefault(dialect, {})
    found = per_dialect.get(name)
    if found is None:
        found = per_dialect[name] = DriverStatement(build(), table, dialect, late)
    return found
