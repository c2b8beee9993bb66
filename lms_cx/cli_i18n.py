"""``flask lms-cx i18n``: keep the Persian and Polish catalogues complete."""

from __future__ import annotations

import click
from flask.cli import AppGroup

i18n_cli = AppGroup("i18n", help="Message catalogues (fa, pl): update, compile, check.")


@i18n_cli.command("update")
def i18n_update() -> None:
    """Add the package's new strings to every .po file (translations are kept)."""
    from lms_cx.catalogues import update_catalogues

    for path in update_catalogues():
        click.echo(f"updated {path}")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile every .po file into the .mo file the app reads."""
    from lms_cx.catalogues import compile_catalogues

    for path in compile_catalogues():
        click.echo(f"compiled {path}")


@i18n_cli.command("check")
def i18n_check() -> None:
    """Fail on a missing, fuzzy or uncompiled translation, or an untranslated template text."""
    from lms_cx.catalogues import check_catalogues

    problems = check_catalogues()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problems.", err=True)
        raise click.exceptions.Exit(1)
    click.echo("Catalogues complete.")
