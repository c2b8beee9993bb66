"""``flask lms-cx content``: check, sync, publish and export the curriculum files."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lms_cx.content.problems import ContentProblems
from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext

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
        click.echo(
            ngettext(
                "%(num)d problem; nothing was loaded.",
                "%(num)d problems; nothing was loaded.",
                count,
            ),
            err=True,
        )
        raise click.exceptions.Exit(1) from None


def _summary(content) -> str:  # noqa: ANN001
    questions = sum(len(bank.questions) for bank in content.banks.values())
    parts = [
        ngettext("%(num)d course", "%(num)d courses", len(content.courses)),
        ngettext("%(num)d module", "%(num)d modules", len(content.modules)),
        ngettext("%(num)d question bank", "%(num)d question banks", len(content.banks))
        + " "
        + ngettext("(%(num)d question)", "(%(num)d questions)", questions),
        ngettext("%(num)d persona", "%(num)d personas", len(content.personas)),
    ]
    return _(", ").join(parts)


@content_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def content_check(paths: tuple[str, ...]) -> None:
    """Check content files; print every problem as file:line: message."""
    content = _read(paths)
    click.echo(_("OK: %(summary)s.", summary=_summary(content)))


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
    click.echo(_("Nothing changed.") if not report.changed else _("Drafts updated."))
    if publish:
        _publish(list(content.courses), list(content.modules))


def _publish(course_slugs: list[str], module_slugs: list[str]) -> None:
    from lms_cx.services.publishing import publish_slugs

    for kind, slug, published in publish_slugs(get_session(), course_slugs, module_slugs):
        click.echo(_published_line(kind, slug, published.created, published.version.version))


def _published_line(kind: str, slug: str, created: bool, version: int) -> str:
    """Return what publishing did to one course or module."""
    # The slug and the kind keyword stay as typed: scripts read them.
    if created:
        return _(
            "%(kind)s %(slug)s: published version %(version)d",
            kind=kind,
            slug=slug,
            version=version,
        )
    return _(
        "%(kind)s %(slug)s: unchanged at version %(version)d", kind=kind, slug=slug, version=version
    )


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
        raise click.BadParameter(
            _("no course or module %(slugs)s", slugs=", ".join(map(repr, unknown)))
        )
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
