"""Alembic environment of lms_cx, run through ``lms_cx.schema`` (no alembic.ini needed).

The connection comes from ``config.attributes["connection"]``. Only ``lms_cx_*`` tables are
looked at, because the host application's tables share the database.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.dialects import postgresql

import lms_cx.models  # noqa: F401 - registers every table on Base.metadata
from lms_cx.db import Base, UTCDateTime
from lms_cx.schema import VERSION_TABLE, include_name, include_object

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render lms_cx's column types so that migrations import nothing from lms_cx.

    ``UTCDateTime`` stores what ``DateTime(timezone=True)`` stores, and JSONB's default
    ``astext_type`` would otherwise render as a bare, unimported ``Text()``.
    """
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, sa.JSON) and isinstance(
        obj._variant_mapping.get("postgresql"), postgresql.JSONB
    ):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def configure_options(dialect_name: str) -> dict[str, Any]:
    """Return the ``context.configure`` options shared by online and offline runs."""
    return {
        "target_metadata": target_metadata,
        "version_table": VERSION_TABLE,
        "include_name": include_name,
        "include_object": include_object,
        "compare_type": True,
        "render_item": render_item,
        # SQLite alters tables by copying them; batch mode does that for us.
        "render_as_batch": dialect_name == "sqlite",
    }


def run_migrations_offline() -> None:
    """Write the migration SQL for ``sqlalchemy.url`` instead of running it."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        literal_binds=True,
        **configure_options(sa.engine.make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection (or on ``sqlalchemy.url``)."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection: sa.Connection) -> None:
    context.configure(connection=connection, **configure_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
