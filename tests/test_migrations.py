"""lms_cx's own Alembic history: it builds exactly the models' schema and minds its own tables.

Runs on every backend ``database_url`` yields (SQLite always, PostgreSQL when
``LMS_CX_TEST_DATABASE_URL`` is set).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from lms_cx import schema


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url)
    yield engine
    engine.dispose()


def head_revision() -> str:
    return ScriptDirectory.from_config(schema.alembic_config()).get_current_head()


def lms_cx_tables(engine: sa.Engine) -> set[str]:
    return {name for name in sa.inspect(engine).get_table_names() if name.startswith("lms_cx_")}


def create_host_tables(engine: sa.Engine) -> None:
    """Create what a host app with Flask-Migrate would have: its own table and version table."""
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE host_user (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(sa.text("INSERT INTO host_user (id, name) VALUES (1, 'Ada')"))
        connection.execute(
            sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        )
        connection.execute(sa.text("INSERT INTO alembic_version VALUES ('host0042')"))


def host_rows(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as connection:
        users = connection.execute(sa.text("SELECT id, name FROM host_user")).all()
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return [tuple(row) for row in users], [tuple(row) for row in versions]


def test_script_location_holds_the_alembic_environment():
    """Test that the migrations folder resolves (installed or from a checkout) with its env.py."""
    location = Path(schema.alembic_config().get_main_option("script_location"))
    assert (location / "env.py").is_file()
    assert (location / "script.py.mako").is_file()


def test_migration_history_has_a_single_head():
    """Test that the revisions form one line, so ``upgrade head`` is unambiguous."""
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()
    assert len(heads) == 1


def test_upgrade_from_empty_builds_exactly_the_models_schema(engine):
    """Test that upgrading an empty database to head leaves no difference from the models.

    This fails whenever a model changes without a migration (or a migration without a model).
    """
    assert schema.current_revision(engine) is None

    schema.upgrade(engine)

    assert schema.current_revision(engine) == head_revision()
    assert schema.schema_differences(engine) == []


def test_upgrade_twice_is_a_no_op(engine):
    """Test that upgrading a database already at head changes nothing."""
    schema.upgrade(engine)
    tables = lms_cx_tables(engine)

    schema.upgrade(engine)

    assert lms_cx_tables(engine) == tables
    assert schema.current_revision(engine) == head_revision()


def test_downgrade_to_base_leaves_no_lms_cx_table(engine):
    """Test that downgrading to base drops every lms_cx table, its version table included."""
    schema.upgrade(engine)
    assert len(lms_cx_tables(engine)) > 40

    schema.downgrade(engine, "base")

    assert lms_cx_tables(engine) == set()
    assert schema.current_revision(engine) is None


def test_host_tables_and_version_survive_upgrade_and_downgrade(engine):
    """Test that the host's tables and Alembic version are untouched by lms_cx's migrations."""
    create_host_tables(engine)
    before = host_rows(engine)

    schema.upgrade(engine)

    assert host_rows(engine) == before
    with engine.connect() as connection:
        ours = connection.execute(sa.text("SELECT version_num FROM lms_cx_alembic_version")).all()
    assert [row[0] for row in ours] == [head_revision()]
    # The host's tables are not lms_cx's business: they are no "difference".
    assert schema.schema_differences(engine) == []

    schema.downgrade(engine, "base")

    assert host_rows(engine) == before
    assert {"host_user", "alembic_version"} <= set(sa.inspect(engine).get_table_names())
    assert lms_cx_tables(engine) == set()
