"""The SQLite write gate: held from the store's write until the transaction ends, never
taken by a connection already writing, released on commit, rollback and close; and the
PostgreSQL query transaction's JIT setting."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.models.xapi import Statement
from lms_cx.xapi.errors import StatementConflict
from lms_cx.xapi.query import StatementQuery, find_statements
from lms_cx.xapi.store import store_statements
from tests.conftest import PG_URL
from tests.xapi.conftest import make_statement, new_id


@pytest.fixture
def engine(app: Flask) -> sa.Engine:
    with app.app_context():
        return app.extensions["sqlalchemy"].engine


#: The gate is SQLite's: these tests run on SQLite only.
ON_SQLITE = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def gate_file(engine: sa.Engine) -> Path:
    return Path(f"{engine.url.database}-writers")


def gate_is_free(path: Path) -> bool:
    """Return True when another process-level holder could take the gate right now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


@ON_SQLITE
def test_gate_is_held_until_commit(engine: sa.Engine, gate_file: Path) -> None:
    """Test that a store without commit holds the gate, and the commit releases it."""
    with Session(engine) as session:
        store_statements(session, [make_statement()], commit=False)
        assert not gate_is_free(gate_file)
        session.commit()
        assert gate_is_free(gate_file)


@ON_SQLITE
@pytest.mark.parametrize("end", ["rollback", "close"])
def test_gate_is_released_when_the_transaction_ends_otherwise(
    engine: sa.Engine, gate_file: Path, end: str
) -> None:
    """Test that a rollback or closing the session releases the gate (nothing stored)."""
    session = Session(engine)
    store_statements(session, [make_statement()], commit=False)
    assert not gate_is_free(gate_file)
    getattr(session, end)()
    assert gate_is_free(gate_file)
    with Session(engine) as check:
        assert check.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


@ON_SQLITE
def test_gate_is_released_when_the_connection_is_invalidated(
    engine: sa.Engine, gate_file: Path
) -> None:
    """Test that a connection dropped mid-transaction (as after a driver error) frees the gate."""
    with Session(engine) as session:
        store_statements(session, [make_statement()], commit=False)
        session.connection().invalidate()
        assert gate_is_free(gate_file)
        session.rollback()
        store_statements(session, [make_statement()])
    assert gate_is_free(gate_file)


@ON_SQLITE
def test_gate_is_released_after_a_refused_batch(engine: sa.Engine, gate_file: Path) -> None:
    """Test that a 409 inside the gate leaves it free once the caller rolls back."""
    statement_id = new_id()
    with Session(engine) as session:
        store_statements(session, [make_statement(statement_id=statement_id)])
        with pytest.raises(StatementConflict):
            store_statements(session, [make_statement("completed", statement_id=statement_id)])
        session.rollback()
    assert gate_is_free(gate_file)


@ON_SQLITE
def test_a_connection_already_writing_does_not_wait_for_the_gate(
    engine: sa.Engine, gate_file: Path
) -> None:
    """Test that a transaction which has written stores without taking the gate.

    It already holds SQLite's write lock, which a gate holder may be waiting for: waiting
    for the gate in turn would deadlock the two.
    """
    holder = os.open(gate_file, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    stored: list[int] = []

    def write() -> None:
        with Session(engine) as session:
            session.execute(sa.text("CREATE TABLE scratch (x INTEGER)"))
            session.execute(sa.text("INSERT INTO scratch VALUES (1)"))
            stored.extend(store_statements(session, [make_statement()]))

    writer = threading.Thread(target=write, daemon=True)
    try:
        writer.start()
        writer.join(timeout=20)
        assert len(stored) == 1, "the writing transaction waited for the gate"
    finally:
        os.close(holder)
        writer.join()


@ON_SQLITE
def test_concurrent_writers_each_store_everything(engine: sa.Engine, gate_file: Path) -> None:
    """Test that four threads storing batches through the gate lose nothing."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with Session(engine) as own:
                    store_statements(own, [make_statement() for _ in range(5)])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with Session(engine) as check:
        seqs = check.scalars(sa.select(Statement.seq).order_by(Statement.seq)).all()
    assert seqs == list(range(1, 201))
    assert gate_is_free(gate_file)


@pytest.mark.skipif(not PG_URL, reason="needs LMS_CX_TEST_DATABASE_URL")
@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_queries_run_without_jit_in_their_transaction_only(engine: sa.Engine) -> None:
    """Test that a statement query turns JIT off for its own transaction, not after it."""
    with Session(engine) as session:
        store_statements(session, [make_statement()])
        before = session.scalar(sa.text("SHOW jit"))
        rows, _, cap = find_statements(session, StatementQuery(verb=None), 10)
        assert (len(rows), cap) == (1, rows[0].seq)
        assert session.scalar(sa.text("SHOW jit")) == "off"
        session.commit()
        assert session.scalar(sa.text("SHOW jit")) == before
