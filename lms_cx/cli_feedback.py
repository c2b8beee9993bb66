"""``flask lms-cx feedback``: import feedback, map themes, apply remedial rules, API tokens."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from flask.cli import AppGroup

from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.i18n import ngettext

feedback_cli = AppGroup("feedback", help="Customer feedback: import, themes, remedial rules.")
tokens_cli = AppGroup("tokens", help="Bearer tokens for the REST API (POST /api/feedback).")
feedback_cli.add_command(tokens_cli)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            _("unknown time zone %(zone)r", zone=name), param_hint="--timezone"
        ) from None


@feedback_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--skip-invalid", is_flag=True, help="Import the good rows; report and skip bad ones."
)
@click.option("--source", default=None, help="Source of rows without a source column [csv].")
@click.option(
    "--encoding",
    default=None,
    help="The file's encoding when not UTF-8: cp1250 (Polish), windows-1256 (Persian)...",
)
@click.option(
    "--timezone",
    "zone_name",
    default=None,
    help="Zone of timestamps without an offset [LMS_CX_DEFAULT_TIMEZONE].",
)
@click.option("--no-rules", is_flag=True, help="Do not run the remedial rules afterwards.")
def feedback_import(
    file: Path,
    dry_run: bool,
    skip_invalid: bool,
    source: str | None,
    encoding: str | None,
    zone_name: str | None,
    no_rules: bool,
) -> None:
    """Import customer feedback from a CSV FILE (all or nothing; see docs/feedback.md)."""
    from lms_cx.services.feedback_csv import (
        UnreadableFile,
        import_feedback_file,
        read_feedback_file,
    )
    from lms_cx.services.feedback_import import rules_run_on_import

    config = current_app.config
    zone = _zone(zone_name or config["LMS_CX_DEFAULT_TIMEZONE"])
    data = file.read_bytes()
    try:
        parsed = read_feedback_file(data, encoding=encoding)
    except UnreadableFile as error:
        click.echo(f"{file.name}: {error.problem}", err=True)
        click.echo(_("Nothing was imported."), err=True)
        raise click.exceptions.Exit(1) from None
    apply_rules = not no_rules and rules_run_on_import(config)
    with click.progressbar(
        length=2 * len(parsed.rows),
        label=_("Importing %(file)s", file=file.name),
        file=sys.stderr,
    ) as bar:
        report = import_feedback_file(
            get_session(),
            data,
            filename=file.name,
            source=source or config["LMS_CX_FEEDBACK_DEFAULT_SOURCE"],
            encoding=encoding,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            default_zone=zone,
            apply_rules=apply_rules,
            progress=bar.update,
            parsed=parsed,
        )
    click.echo(
        ngettext(
            "%(file)s: %(num)d row (%(encoding)s, delimiter %(delimiter)s).",
            "%(file)s: %(num)d rows (%(encoding)s, delimiter %(delimiter)s).",
            report.rows_total,
            file=file.name,
            encoding=report.encoding,
            delimiter="TAB" if report.delimiter == chr(9) else repr(report.delimiter),
        )
    )
    for warning in report.warnings:
        click.echo(_("warning: %(warning)s", warning=warning), err=True)
    for problem in report.problems:
        click.echo(f"{file.name}:{problem}", err=True)
    if report.refused:
        bad = len(report.bad_lines)
        good = report.created + report.updated
        click.echo(
            ngettext(
                "%(num)d bad row; nothing was imported (fix it, or pass --skip-invalid to "
                "import the %(good)d new or changed good rows).",
                "%(num)d bad rows; nothing was imported (fix them, or pass --skip-invalid to "
                "import the %(good)d new or changed good rows).",
                bad,
                good=good,
            ),
            err=True,
        )
        raise click.exceptions.Exit(1)
    counts = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "invalid": report.invalid_rows,
    }
    if dry_run:
        click.echo(
            _(
                "Would create %(created)d, would update %(updated)d, unchanged %(unchanged)d, "
                "skipped %(invalid)d invalid.",
                **counts,
            )
        )
        click.echo(_("Dry run: nothing was written."))
    else:
        click.echo(
            _(
                "Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
                "skipped %(invalid)d invalid.",
                **counts,
            )
        )
        if not report.written:
            click.echo(_("Nothing changed."))
    for made in report.remedial:
        click.echo(
            _(
                "Remedial: %(rule)s -> employee %(employee)s (%(track)s).",
                rule=made.rule_name,
                employee=made.employee_id,
                track=made.track_code,
            )
        )


@feedback_cli.command("apply-rules")
def feedback_apply_rules() -> None:
    """Assign remedial training wherever a rule's threshold is crossed (idempotent)."""
    from lms_cx.models import Employee
    from lms_cx.services.feedback_remedial import apply_remedial_rules

    session = get_session()
    created = apply_remedial_rules(session)
    for made in created:
        employee = session.get(Employee, made.employee_id)
        who = employee.email if employee else made.employee_id
        click.echo(
            ngettext(
                "%(who)s: %(rule)s (%(track)s, %(num)d negative item)",
                "%(who)s: %(rule)s (%(track)s, %(num)d negative items)",
                len(made.feedback_item_ids),
                who=who,
                rule=made.rule_name,
                track=made.track_code,
            )
        )
    click.echo(
        ngettext(
            "%(num)d remedial assignment created.",
            "%(num)d remedial assignments created.",
            len(created),
        )
    )


@feedback_cli.command("remap")
def feedback_remap() -> None:
    """Re-map every feedback item to tracks with the current tag and keyword rules."""
    from lms_cx.services.feedback_themes import remap_feedback_themes

    result = remap_feedback_themes(get_session())
    click.echo(
        _(
            "%(checked)d items checked, %(changed)d changed (%(added)d themes added, "
            "%(removed)d removed).",
            checked=result.items_checked,
            changed=result.items_changed,
            added=result.themes_added,
            removed=result.themes_removed,
        )
    )


@feedback_cli.command("seed-rules")
def feedback_seed_rules() -> None:
    """Add whichever shipped tag mappings and keyword rules are missing."""
    from lms_cx.services.feedback_theme_rules import restore_default_feedback_rules

    added = restore_default_feedback_rules(get_session())
    click.echo(ngettext("%(num)d default rule added.", "%(num)d default rules added.", added))


@tokens_cli.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    default=("feedback:write",),
    show_default=True,
    help="What the token may do (repeatable).",
)
def tokens_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an API token for NAME (a help desk); print it once."""
    from lms_cx.services.feedback_tokens import create_api_token

    try:
        token = create_api_token(get_session(), name, scopes)
    except ValidationError as error:
        raise click.BadParameter(error.message, param_hint=f"--{error.field}") from None
    click.echo(
        _(
            "Token %(id)d for %(name)s (%(scopes)s):",
            id=token.id,
            name=token.name,
            scopes=", ".join(token.scopes),
        )
    )
    click.echo(token.secret)
    click.echo(
        _("Store it now: it is not shown again. Send it as 'Authorization: Bearer <token>'.")
    )


@tokens_cli.command("list")
def tokens_list() -> None:
    """List API tokens (never their secrets)."""
    from lms_cx.services.feedback_tokens import list_api_tokens

    tokens = list_api_tokens(get_session())
    if not tokens:
        click.echo(_("No API tokens."))
    for token in tokens:
        if token.revoked_at:
            state = _("revoked %(day)s", day=f"{token.revoked_at:%Y-%m-%d}")
        else:
            state = _("active")
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else _("never")
        click.echo(
            f"{token.id:>4}  {token.name:<30} {','.join(token.scopes):<16} {state:<19} "
            + _("last used %(when)s", when=used)
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (requests with it then get 401)."""
    from lms_cx.services.feedback_tokens import revoke_api_token

    if not revoke_api_token(get_session(), token_id):
        raise click.BadParameter(_("no API token %(id)d", id=token_id), param_hint="TOKEN_ID")
    click.echo(_("Token %(id)d revoked.", id=token_id))
