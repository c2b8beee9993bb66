"""Run lms_cx's own Alembic environment programmatically: upgrade, downgrade, inspect.

lms_cx keeps its migration history apart from the host application's: its version table is
``lms_cx_alembic_version`` and its environment only ever looks at ``lms_cx_*`` tables, so a
host's Flask-Migrate (table ``alembic_version``) keeps working in the same database.
No ``alembic.ini`` is needed; ``flask lms-cx db upgrade`` calls :func:`upgrade`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from lms_cx.db import TABLE_PREFIX, Base

#: The table where lms_cx records its schema revision (the host's stays ``alembic_version``).
VERSION_TABLE = "lms_cx_alembic_version"


def script_location() -> str:
    """Return the directory of lms_cx's migration scripts.

    Installed, it is the package ``lms_cx.migrations``; in a source checkout that is not
    installed, the top-level ``migrations`` folder next to the ``lms_cx`` package.
    """
    try:
        spec = importlib.util.find_spec("lms_cx.migrations")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return str(next(iter(spec.submodule_search_locations)))
    return str(Path(__file__).resolve().parent.parent / "migrations")


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Return True for names lms_cx owns: reflect only ``lms_cx_*`` tables, never the host's."""
    if type_ == "table":
        return is_lms_cx_table(name)
    return True


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Return True for schema objects lms_cx owns (its tables and everything on them)."""
    if type_ == "table":
        return is_lms_cx_table(name)
    return True


def is_lms_cx_table(name: str | None) -> bool:
    """Return True when ``name`` is one of lms_cx's tables (its version table excluded)."""
    return bool(name) and name.startswith(TABLE_PREFIX) and name != VERSION_TABLE


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Return an Alembic config for lms_cx's migrations, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", script_location())
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Upgrade lms_cx's tables in ``engine``'s database to ``revision`` (one transaction)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Downgrade lms_cx's tables to ``revision``.

    ``"base"`` drops them all, the version table included, so that removing lms_cx from a
    host's database leaves nothing behind.
    """
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        if context.get_current_revision() is None:
            sa.Table(VERSION_TABLE, sa.MetaData()).drop(connection, checkfirst=True)


def current_revision(engine: sa.Engine) -> str | None:
    """Return the revision lms_cx's tables are at, or None when they were never created."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def schema_differences(engine: sa.Engine) -> list[Any]:
    """Return how the database differs from lms_cx's models (empty when they agree).

    Each entry is an Alembic autogenerate diff, e.g. ``("add_column", None, "lms_cx_x", ...)``;
    only ``lms_cx_*`` tables are compared.
    """
    import lms_cx.models  # noqa: F401 - registers every table on Base.metadata

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": include_name,
                "include_object": include_object,
                "version_table": VERSION_TABLE,
                "target_metadata": Base.metadata,
            },
        )
        return compare_metadata(context, Base.metadata)
