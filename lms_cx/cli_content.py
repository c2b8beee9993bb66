"""``flask lms-cx content``: check, sync, publish and export the curriculum files."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lms_cx.content.problems import ContentProblems
from lms_cx.db import get_session
from lms_cx.errors import ValidationError

content_cli = AppGroup("content", help="Curriculum files: courses/, quizzes/, GIFT banks.")


def _read(paths: tuple[str, ...]):  # noqa: ANN202 - returns a ContentSet
    from lms_cx.content.reader import read_content
    from lms_cx.services.content_sync import known_ids

    try:
        return read_content(paths, known_ids(get_session()))
    except ContentProblems as problems:
        for problem in problems.problems:
            click.echo(str(problem), err=True)
        count = len(problems.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''}; nothing was loaded.", err=True)
        raise click.exceptions.Exit(1) from None


def _summary(content) -> str:  # noqa: ANN001
    return (
        f"{len(content.courses)} courses, {len(content.modules)} modules, "
        f"{len(content.banks)} question banks "
        f"({sum(len(bank.questions) for bank in content.banks.values())} questions), "
        f"{len(content.personas)} personas"
    )


@content_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def content_check(paths: tuple[str, ...]) -> None:
    """Check content files; print every problem as file:line: message."""
    content = _read(paths)
    click.echo(f"OK: {_summary(content)}.")


@content_cli.command("sync")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--publish", is_flag=True, help="Also publish every course and module that changed.")
def content_sync(paths: tuple[str, ...], publish: bool) -> None:
    """Load content files into the drafts (idempotent; all or nothing)."""
    from lms_cx.services.content_sync import sync_content

    content = _read(paths)
    session = get_session()
    report = sync_content(session, content)
    for line in report.lines():
        click.echo(line)
    click.echo("Nothing changed." if not report.changed else "Drafts updated.")
    if publish:
        _publish(list(content.courses), list(content.modules))


def _publish(course_slugs: list[str], module_slugs: list[str]) -> None:
    from lms_cx.services.publishing import publish_slugs

    for kind, slug, published in publish_slugs(get_session(), course_slugs, module_slugs):
        state = "published" if published.created else "unchanged at"
        click.echo(f"{kind} {slug}: {state} version {published.version.version}")


@content_cli.command("publish")
@click.argument("slugs", nargs=-1, required=True)
def content_publish(slugs: tuple[str, ...]) -> None:
    """Publish the courses or modules named by SLUGS (a course publishes its modules too)."""
    from lms_cx.models import Course, Module

    session = get_session()
    courses = set(session.scalars(sa.select(Course.slug).where(Course.slug.in_(slugs))))
    modules = set(session.scalars(sa.select(Module.slug).where(Module.slug.in_(slugs))))
    unknown = [slug for slug in slugs if slug not in courses | modules]
    if unknown:
        raise click.BadParameter(f"no course or module {', '.join(map(repr, unknown))}")
    _publish(sorted(courses), sorted(modules))


@content_cli.command("export")
@click.argument("module")
@click.option(
    "--to",
    "destination",
    default="export",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write into.",
)
def content_export(module: str, destination: str) -> None:
    """Write MODULE's drafts (lessons, question bank, personas) back to files."""
    from lms_cx.content.export import export_module

    try:
        written = export_module(get_session(), module, Path(destination))
    except ValidationError as error:
        raise click.BadParameter(error.message, param_hint=error.field) from None
    for path in written:
        click.echo(str(path))
