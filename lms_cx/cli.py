"""The ``flask lms-cx`` command group: thin commands over services."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from lms_cx.cli_content import content_cli
from lms_cx.cli_feedback import feedback_cli
from lms_cx.cli_i18n import i18n_cli
from lms_cx.cli_lifecycle import rules_cli, tick
from lms_cx.cli_lrs import lrs_cli, progress_cli, xapi_cli
from lms_cx.cli_reviews import reviews_cli
from lms_cx.db import get_engine, get_session
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _

#: Commands that work before the schema exists (they create it, or never touch the database).
_SCHEMA_FREE_COMMANDS = frozenset({"db", "i18n"})


@click.group("lms-cx", cls=AppGroup, help="Manage lms_cx: database, people, demo data.")
@with_appcontext
def lms_cx_cli() -> None:
    """Stop early, with the remedy, when the database has no lms_cx tables yet."""
    if click.get_current_context().invoked_subcommand in _SCHEMA_FREE_COMMANDS:
        return
    # Without this a fresh database fails deep inside a command with "no such table".
    if not sa.inspect(get_engine()).has_table("lms_cx_employee"):
        raise click.ClickException(
            _("The database has no lms_cx tables yet: run `flask lms-cx db upgrade` first.")
        )


db_cli = AppGroup(
    "db", help="lms_cx's own schema migrations (version table lms_cx_alembic_version)."
)
employee_cli = AppGroup("employee", help="People who can sign in to the standalone app.")
demo_cli = AppGroup("demo", help="The demo organisation.")
lms_cx_cli.add_command(db_cli)
lms_cx_cli.add_command(employee_cli)
lms_cx_cli.add_command(demo_cli)
lms_cx_cli.add_command(content_cli)
lms_cx_cli.add_command(feedback_cli)
lms_cx_cli.add_command(progress_cli)
lms_cx_cli.add_command(lrs_cli)
lms_cx_cli.add_command(xapi_cli)
lms_cx_cli.add_command(i18n_cli)
lms_cx_cli.add_command(rules_cli)
lms_cx_cli.add_command(tick)
lms_cx_cli.add_command(reviews_cli)


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Bring the database to the current schema and seed the built-in tracks."""
    from lms_cx import schema
    from lms_cx.services.tracks import ensure_default_tracks

    engine = get_engine()
    before = schema.current_revision(engine)
    schema.upgrade(engine, revision)
    after = schema.current_revision(engine)
    added = ensure_default_tracks(get_session())
    click.echo(f"lms_cx schema: {before or 'empty'} -> {after}; {added} built-in tracks added.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Step the schema back to REVISION ("base" removes every lms_cx table)."""
    from lms_cx import schema

    schema.downgrade(get_engine(), revision)
    click.echo(f"lms_cx schema: now at {schema.current_revision(get_engine()) or 'base'}.")


@db_cli.command("current")
def db_current() -> None:
    """Print the schema revision the database is at."""
    from lms_cx import schema

    click.echo(schema.current_revision(get_engine()) or "empty (run: flask lms-cx db upgrade)")


@db_cli.command("check")
def db_check() -> None:
    """Exit non-zero when the database schema differs from lms_cx's models."""
    from lms_cx import schema

    differences = schema.schema_differences(get_engine())
    for difference in differences:
        click.echo(f"differs: {difference}", err=True)
    if differences:
        raise click.exceptions.Exit(1)
    click.echo("lms_cx schema matches the models.")


@employee_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    default=("learner",),
    show_default=True,
    type=click.Choice(["learner", "trainer", "manager", "admin"]),
)
@click.password_option(help="Password for the standalone sign-in (asked when not given).")
def employee_create(email: str, display_name: str, roles: tuple[str, ...], password: str) -> None:
    """Create an employee who can sign in to the standalone app."""
    from lms_cx.services.people import create_employee

    session = get_session()
    try:
        employee = create_employee(
            session, email=email, display_name=display_name, roles=roles, password=password
        )
    except ValidationError as error:
        session.rollback()
        raise click.BadParameter(error.message, param_hint=f"--{error.field}") from None
    session.commit()
    click.echo(f"Created {employee.email} with roles {', '.join(sorted(employee.roles))}.")


@demo_cli.command("load")
def demo_load() -> None:
    """Create the demo organisation (idempotent) and print its sign-ins."""
    from lms_cx.services.demo import DEMO_PASSWORD, load_demo

    summary = load_demo(get_session())
    click.echo(summary.describe())
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for role, email in summary.logins:
        click.echo(f"  {role:<10} {email}")
