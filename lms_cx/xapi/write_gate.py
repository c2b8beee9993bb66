"""Make the LRS's writers of one SQLite file wait their turn in the kernel.

SQLite lets one writer in at a time; a connection that finds the write lock taken sleeps in
SQLite's busy handler in growing steps (1, 2, 5, 10 ... 100 ms) and tries again, so under
load the lock sits idle between writers while they sleep. Before taking SQLite's lock the
store takes an exclusive ``flock`` on a file beside the database (``<database>-writers``):
the kernel hands it to the next waiting process the moment the holder's transaction ends.
SQLite's own lock still guards the data; the gate only orders the LRS's writers.

A connection that has already written in its transaction (it holds SQLite's lock, or is
waiting for it) does not take the gate: a writer that holds the gate may wait for it, and
it must never wait for the gate in turn. The gate is released as the transaction ends, just
before the driver's COMMIT or ROLLBACK: SQLite runs its WAL checkpoint (and, with
``synchronous=NORMAL``, the checkpoint's fsync) inside the committing call, and the next
writer need not wait for that. The kernel releases the gate if the process dies.
"""

from __future__ import annotations

import os
from typing import Any

try:
    import fcntl
except ImportError:  # not a POSIX system: writers fall back to SQLite's busy handler
    fcntl = None  # type: ignore[assignment]

import sqlalchemy as sa
from sqlalchemy.orm import Session

#: Keys in the pooled connection's ``info``: the gate file's descriptor, and whether held.
_FD = "lms_cx_write_gate_fd"
_HELD = "lms_cx_write_gate_held"


def enter_write_gate(session: Session) -> None:
    """Wait for the LRS's write turn on a SQLite file database (no-op elsewhere).

    Held until the session's transaction ends.
    """
    connection = session.connection()
    if fcntl is None or connection.dialect.name != "sqlite" or connection.info.get(_HELD):
        return
    database = connection.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None or dbapi_connection.in_transaction:
        return
    fd = connection.info.get(_FD)
    if fd is None:
        # One descriptor per connection: flock locks belong to an open file, so two
        # connections of one process sharing a descriptor would both "hold" the gate.
        fd = connection.info[_FD] = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    connection.info[_HELD] = True


def _leave(info: dict[str, Any]) -> None:
    if info.pop(_HELD, False):
        fcntl.flock(info[_FD], fcntl.LOCK_UN)


@sa.event.listens_for(sa.Engine, "commit")
@sa.event.listens_for(sa.Engine, "rollback")
def _leave_at_transaction_end(connection: sa.Connection) -> None:
    # An invalidated connection has no info to read (the pool's events below release it).
    if connection.dialect.name == "sqlite" and not connection.invalidated:
        _leave(connection.info)


@sa.event.listens_for(sa.pool.Pool, "invalidate")
def _leave_at_invalidation(_dbapi_connection: Any, record: Any, _exception: Any) -> None:
    _leave(record.info)


@sa.event.listens_for(sa.pool.Pool, "reset")
def _leave_at_reset(_dbapi_connection: Any, record: Any, _state: Any) -> None:
    _leave(record.info)  # a connection returned to the pool without a commit or rollback


@sa.event.listens_for(sa.pool.Pool, "close")
def _close_gate_file(_dbapi_connection: Any, record: Any) -> None:
    _leave(record.info)
    fd = record.info.pop(_FD, None)
    if fd is not None:
        os.close(fd)
