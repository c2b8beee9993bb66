"""``flask lms-cx reviews``: compute a cycle's packets, close it, deliver the HR webhooks."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from lms_cx.db import get_session

reviews_cli = AppGroup("reviews", help="Review cycles: packets and HR webhooks.")


def _cycle(cycle_id: int):  # noqa: ANN202 - a model row
    from lms_cx.models import ReviewCycle

    cycle = get_session().get(ReviewCycle, cycle_id)
    if cycle is None:
        raise click.BadParameter(f"no review cycle {cycle_id}", param_hint="CYCLE_ID")
    return cycle


@reviews_cli.command("generate")
@click.argument("cycle_id", type=int)
def generate(cycle_id: int) -> None:
    """Compute (or recompute) every unfinalized packet of CYCLE_ID."""
    from lms_cx.services.review_cycles import CycleStateError, ReviewSettings, generate_packets

    try:
        result = generate_packets(
            get_session(), _cycle(cycle_id), ReviewSettings.from_config(current_app.config)
        )
    except CycleStateError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{result.created} created, {result.updated} recomputed, "
        f"{result.kept_final} finalized kept, {result.removed} removed."
    )


@reviews_cli.command("close")
@click.argument("cycle_id", type=int)
def close(cycle_id: int) -> None:
    """Finalize every packet of CYCLE_ID, close it and queue the packets for the webhooks."""
    from lms_cx.services.review_cycles import CycleStateError, close_cycle

    try:
        queued = close_cycle(get_session(), _cycle(cycle_id))
    except CycleStateError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Cycle closed; {len(queued)} webhook deliveries queued.")


@reviews_cli.command("deliver")
def deliver() -> None:
    """Post the webhook deliveries that are due (run it from cron or a scheduler)."""
    from lms_cx.services.review_webhooks import DeliverySettings, deliver_webhooks

    run = deliver_webhooks(get_session(), DeliverySettings.from_config(current_app.config))
    click.echo(f"{run.delivered} delivered, {run.failed} to retry, {run.dead} dead.")
