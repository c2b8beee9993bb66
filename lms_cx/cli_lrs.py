"""The ``flask lms-cx progress``, ``lrs`` and ``xapi`` commands: ledger, credentials, outbox."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms_cx.db import get_session
from lms_cx.errors import ValidationError
from lms_cx.xapi.credentials import SCOPES

progress_cli = AppGroup("progress", help="The progress projection of the xAPI statements.")


@progress_cli.command("rebuild")
def progress_rebuild() -> None:
    """Recompute every progress row from the statements ledger."""
    from lms_cx.xapi.projection import rebuild_progress

    count = rebuild_progress(get_session())
    click.echo(f"Progress rebuilt from the ledger: {count} rows.")


lrs_cli = AppGroup("lrs", help="The embedded LRS: credentials of xAPI clients.")
credentials_cli = AppGroup("credentials", help="HTTP Basic credentials with xAPI scopes.")
lrs_cli.add_command(credentials_cli)


@credentials_cli.command("create")
@click.option("--name", required=True, help="Who uses the credential (shown as authority).")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(SCOPES),
    help="An xAPI scope; repeat for several.",
)
@click.option("--key", default=None, help="The HTTP Basic user name (generated when not given).")
@click.option("--secret", default=None, help="The HTTP Basic password (generated when not given).")
def credentials_create(
    name: str, scopes: tuple[str, ...], key: str | None, secret: str | None
) -> None:
    """Create a credential and print its key and secret (the secret is stored hashed)."""
    from flask import current_app

    from lms_cx.xapi.credentials import create_credential

    session = get_session()
    try:
        credential, secret = create_credential(
            session,
            name=name,
            scopes=scopes,
            homepage=current_app.config["LMS_CX_XAPI_ACCOUNT_HOMEPAGE"],
            key=key,
            secret=secret,
        )
    except ValidationError as error:
        session.rollback()
        raise click.BadParameter(error.message, param_hint=f"--{error.field}") from None
    session.commit()
    click.echo(
        f"Created credential {credential.name!r} with scopes {', '.join(credential.scopes)}."
    )
    click.echo(f"key:    {credential.key}")
    click.echo(f"secret: {secret}")
    click.echo("The secret is not shown again.")


@credentials_cli.command("list")
def credentials_list() -> None:
    """List the credentials: key, name, scopes, created and revoked times."""
    from lms_cx.xapi.credentials import list_credentials

    rows = list_credentials(get_session())
    if not rows:
        click.echo("No credentials. Create one: flask lms-cx lrs credentials create --help")
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        click.echo(
            f"{row.key}  {row.name}  [{', '.join(row.scopes)}]  "
            f"created {row.created_at:%Y-%m-%d %H:%M}  {state}"
        )


@credentials_cli.command("revoke")
@click.argument("key")
def credentials_revoke(key: str) -> None:
    """Revoke the credential with KEY (it stops working at once)."""
    from lms_cx.xapi.credentials import revoke_credential

    session = get_session()
    try:
        credential = revoke_credential(session, key)
    except ValidationError as error:
        raise click.BadParameter(error.message, param_hint="KEY") from None
    session.commit()
    click.echo(f"Revoked {credential.key} ({credential.name}).")


xapi_cli = AppGroup("xapi", help="Forwarding statements to external LRSs.")


@xapi_cli.command("forward")
@click.option("--follow", is_flag=True, help="Keep running, polling the outbox.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def xapi_forward(follow: bool, interval: float) -> None:
    """Send the due outbox items to the external LRSs of LMS_CX_XAPI_FORWARD."""
    import time

    from flask import current_app

    from lms_cx.xapi.forwarding import drain_outbox

    session = get_session()
    while True:
        report = drain_outbox(session, current_app.config)
        if report.delivered or report.failed or report.dead or not follow:
            click.echo(
                f"delivered {report.delivered}, failed {report.failed} (will retry), "
                f"dead {report.dead}"
            )
            for error in report.errors[-5:]:
                click.echo(f"  error: {error}", err=True)
        if not follow:
            return
        time.sleep(interval)


@xapi_cli.command("status")
def xapi_status() -> None:
    """Show the outbox: queue depth, oldest pending item and recent errors."""
    from lms_cx.xapi.outbox import outbox_status

    status = outbox_status(get_session())
    oldest = status.oldest_pending_at
    click.echo(
        f"pending {status.pending}, dead {status.dead}, oldest pending "
        f"{oldest.isoformat(timespec='seconds') if oldest else '-'}"
    )
    for figures in status.destinations:
        click.echo(
            f"  {figures.destination}: pending {figures.pending}, delivered {figures.delivered}, "
            f"dead {figures.dead}"
        )
    if status.recent_errors:
        click.echo("recent errors:")
    for error in status.recent_errors:
        click.echo(
            f"  {error.destination} {error.statement_id} ({error.status}, "
            f"{error.attempts} attempts): {error.last_error}"
        )
