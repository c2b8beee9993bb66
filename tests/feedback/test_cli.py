"""The `flask lms-cx feedback` commands."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms_cx.models import ApiToken, Assignment, FeedbackItem
from tests import factories
from tests.feedback.conftest import HEADER, csv_bytes


def _file(tmp_path, rows, name="feedback.csv", **options):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **options))
    return str(path)


def _row(employee, when, **fields):
    values = {"employee": employee, "occurred_at": when, **fields}
    return [values.get(name, "") for name in HEADER]


def test_import_reports_counts_and_is_idempotent(runner, session, org, now, tmp_path) -> None:
    """Test that `feedback import` prints the counts and a second run changes nothing."""
    when = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    path = _file(tmp_path, [_row("A1", when, csat="5", external_id=str(n)) for n in range(5)])
    first = runner.invoke(args=["lms-cx", "feedback", "import", path, "--source", "zd"])
    assert first.exit_code == 0, first.output
    assert "Created 5, updated 0, unchanged 0, skipped 0 invalid." in first.output
    second = runner.invoke(args=["lms-cx", "feedback", "import", path, "--source", "zd"])
    assert "Created 0, updated 0, unchanged 5" in second.output
    assert "Nothing changed." in second.output
    assert set(session.scalars(sa.select(FeedbackItem.source))) == {"zd"}


def test_import_lists_every_bad_line_and_exits_1(runner, session, org, now, tmp_path) -> None:
    """Test that bad rows are printed as file:line: column: reason and nothing is imported."""
    when = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    path = _file(
        tmp_path,
        [_row("A1", when, csat="5"), _row("A1", when, csat="7"), _row("ZZ", when, csat="4")],
    )
    result = runner.invoke(args=["lms-cx", "feedback", "import", path])
    assert result.exit_code == 1
    assert "feedback.csv:line 3: csat: must be a whole number from 1 to 5" in result.output
    assert "feedback.csv:line 4: employee: no employee" in result.output
    assert "2 bad rows; nothing was imported" in result.output
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0
    skipped = runner.invoke(args=["lms-cx", "feedback", "import", path, "--skip-invalid"])
    assert skipped.exit_code == 0 and "Created 1," in skipped.output


def test_dry_run_and_encoding_options(runner, session, org, now, tmp_path) -> None:
    """Test --dry-run writes nothing and --encoding reads a cp1250 file."""
    when = (now - timedelta(days=1)).strftime("%d.%m.%Y")
    path = _file(tmp_path, [_row("A2", when, csat="1", comment="Zła obsługa")], encoding="cp1250")
    refused = runner.invoke(args=["lms-cx", "feedback", "import", path])
    assert refused.exit_code == 1 and "cp1250" in refused.output
    dry = runner.invoke(
        args=["lms-cx", "feedback", "import", path, "--encoding", "cp1250", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "Would create 1" in dry.output and "Dry run" in dry.output
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0
    real = runner.invoke(args=["lms-cx", "feedback", "import", path, "--encoding", "cp1250"])
    assert "Created 1" in real.output
    assert session.scalar(sa.select(FeedbackItem.comment)) == "Zła obsługa"


def test_apply_rules_remap_and_seed_rules(runner, session, org, now) -> None:
    """Test that apply-rules assigns once, and remap and seed-rules report what they did."""
    module = factories.track_module(session, "empathy", "communication")
    factories.remedial_rule(session, "communication", module=module, name="Tone")
    for day in range(3):
        factories.feedback_item(
            session, org.agents[0], occurred_at=now - timedelta(days=day + 1), csat=1, tags=["tone"]
        )
    session.commit()
    first = runner.invoke(args=["lms-cx", "feedback", "apply-rules"])
    assert first.exit_code == 0, first.output
    assert f"{org.agents[0].email}: Tone (communication, 3 negative items)" in first.output
    assert "1 remedial assignment created." in first.output
    assert (
        "0 remedial assignments created."
        in runner.invoke(args=["lms-cx", "feedback", "apply-rules"]).output
    )
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
    remap = runner.invoke(args=["lms-cx", "feedback", "remap"])
    assert "3 items checked, 0 changed" in remap.output
    assert (
        "0 default rules added." in runner.invoke(args=["lms-cx", "feedback", "seed-rules"]).output
    )


def test_tokens_create_list_revoke(runner, session) -> None:
    """Test that a token is printed once, listed without its secret, and can be revoked."""
    created = runner.invoke(args=["lms-cx", "feedback", "tokens", "create", "Zendesk"])
    assert created.exit_code == 0, created.output
    secret = next(line for line in created.output.splitlines() if line.startswith("lmscx_"))
    listed = runner.invoke(args=["lms-cx", "feedback", "tokens", "list"])
    assert "Zendesk" in listed.output and "active" in listed.output and secret not in listed.output
    token_id = session.scalar(sa.select(ApiToken.id))
    revoked = runner.invoke(args=["lms-cx", "feedback", "tokens", "revoke", str(token_id)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert "revoked" in runner.invoke(args=["lms-cx", "feedback", "tokens", "list"]).output
    missing = runner.invoke(args=["lms-cx", "feedback", "tokens", "revoke", "999"])
    assert missing.exit_code == 2
    bad_scope = runner.invoke(
        args=["lms-cx", "feedback", "tokens", "create", "X", "--scope", "everything"]
    )
    assert bad_scope.exit_code == 2 and "--scope" in bad_scope.output
