"""``flask lms-cx tick`` and ``flask lms-cx rules``: lifecycle automation from the command line."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup, with_appcontext

from lms_cx.content.problems import ContentProblems
from lms_cx.db import get_session, utcnow
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext

rules_cli = AppGroup("rules", help="Assignment rules kept in YAML files (docs/lifecycle.md).")


def _moment(value: str | None) -> datetime:
    """Return ``--now`` as an aware datetime (UTC when it names no zone), else the clock."""
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("%(value)r is not an ISO date-time such as 2026-03-02T09:00+01:00", value=value),
            param_hint="--now",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("tick")
@with_appcontext
@click.option(
    "--now",
    "now_text",
    metavar="ISO",
    help="Act as if it were this moment (ISO 8601; UTC unless a zone is given).",
)
def tick(now_text: str | None) -> None:
    """Apply assignment rules, recertify, remind, escalate and e-mail digests (idempotent)."""
    from lms_cx.services.tick import run_tick

    report = run_tick(get_session(), _moment(now_text))
    for line in report.lines():
        click.echo(line)
    if report.mail_failures:
        raise click.exceptions.Exit(1)


def _read(path: str):  # noqa: ANN202 - returns the rules read from the file
    from lms_cx.services.rule_files import read_rules_file

    try:
        return read_rules_file(get_session(), path)
    except ContentProblems as problems:
        get_session().rollback()
        for problem in problems.problems:
            click.echo(str(problem), err=True)
        count = len(problems.problems)
        click.echo(
            ngettext(
                "%(num)d problem; nothing was saved.", "%(num)d problems; nothing was saved.", count
            ),
            err=True,
        )
        raise click.exceptions.Exit(1) from None


@rules_cli.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def rules_check(path: str) -> None:
    """Check a rules file and print whom each rule would assign now; save nothing."""
    from lms_cx.services.assignment_rules import preview_rule

    rules = _read(path)
    session = get_session()
    now = utcnow()
    for rule in rules:
        preview = preview_rule(session, rule.spec, now)
        click.echo(
            _(
                "%(rule)r: matches %(matching)d, would assign %(assign)d now",
                rule=rule.spec.name,
                matching=preview.matching,
                assign=len(preview.assign_now),
            )
        )
    session.rollback()
    click.echo(ngettext("OK: %(num)d rule.", "OK: %(num)d rules.", len(rules)))


@rules_cli.command("sync")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--now", "now_text", metavar="ISO", help="Apply the rules as of this moment.")
def rules_sync(path: str, now_text: str | None) -> None:
    """Create or update the rules of a YAML file (by name) and apply them, and delete the
    rules the file synced before and no longer has; all or nothing."""
    from lms_cx.services.rule_files import rules_file_name, sync_rules

    rules = _read(path)
    report = sync_rules(get_session(), rules, _moment(now_text), rules_file=rules_file_name(path))
    for line in report.lines:
        click.echo(line)
    click.echo(
        ngettext("%(num)d rule synced", "%(num)d rules synced", len(rules))
        + _("; ")
        + ngettext("%(num)d assignment made.", "%(num)d assignments made.", report.assigned)
    )
