"""``flask lms-cx tick`` and ``flask lms-cx rules check|sync FILE``."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from lms_cx.models import Assignment, AssignmentRule, Module
from lms_cx.services.assignment_rules import create_rule
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.rule_matching import RuleSpec
from tests import factories
from tests.lifecycle.conftest import date_of

GOOD = """\
rules:
  - name: Agents on hire
    assign: {module: m1}
    when: on_hire
    due_in_days: 14
    who:
      job_role: [agent]
      teams: [care]
  - name: Day 30 check-in
    assign: {module: m1}
    when: day_n
    days: 30
    due_in_days: 7
    active: false
"""

ONLY_DAY_30 = """\
rules:
  - name: Day 30 check-in
    assign: {module: m1}
    when: day_n
    days: 30
    due_in_days: 7
"""

BAD = """\
rules:
  - name: Agents on hire
    assign: {module: nope}
    when: on_hire
  - name: Weekly
    assign: {module: m1}
    when: weekly
    who:
      teams: [nowhere]
      shoe: [42]
  - name: No days
    assign: {module: m1}
    when: day_n
"""


def _world(session) -> None:
    care = factories.team(session, "Care")
    care.external_id = "care"
    factories.learning_module(session, "m1")
    factories.hr_employee(
        session, display_name="Ann", hire_date=date_of(0), job_role="agent", team=care
    )
    session.commit()


def test_that_rules_sync_creates_then_updates_by_name(runner, session, tmp_path) -> None:
    """Test that syncing a rules file twice creates the rules once and assigns once."""
    _world(session)
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = runner.invoke(args=["lms-cx", "rules", "sync", str(path), "--now", "2026-03-02T09:00"])
    assert first.exit_code == 0, first.output
    assert "created 'Agents on hire': 1 assigned now" in first.output
    assert "created 'Day 30 check-in' (off): 0 assigned now" in first.output
    second = runner.invoke(args=["lms-cx", "rules", "sync", str(path), "--now", "2026-03-02T10:00"])
    assert "unchanged 'Agents on hire': 0 assigned now" in second.output
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 2
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
    assert (
        session.scalar(
            sa.select(AssignmentRule.is_active).where(AssignmentRule.name == "Day 30 check-in")
        )
        is False
    )


def test_that_rules_sync_deletes_the_rules_dropped_from_its_file(
    app, runner, session, tmp_path
) -> None:
    """Test that a rule the file no longer has is deleted on the next sync, its assignments
    kept, while rules from the web pages or from another file are left alone."""
    _world(session)
    module = session.scalar(sa.select(Module).where(Module.slug == "m1"))
    web_rule = RuleSpec("Made on the web", "day_n", {}, module_id=module.id, offset_days=90)
    settings = LifecycleSettings.from_config(app.config)
    create_rule(session, web_rule, datetime(2026, 3, 2, 9, tzinfo=UTC), settings=settings)
    path, other = tmp_path / "rules.yaml", tmp_path / "other.yaml"
    path.write_text(GOOD, encoding="utf-8")
    other.write_text(ONLY_DAY_30.replace("Day 30", "Day 60"), encoding="utf-8")
    for file in (path, other):
        synced = runner.invoke(args=["lms-cx", "rules", "sync", str(file), "--now", "2026-03-02"])
        assert synced.exit_code == 0, synced.output
    # The file drops "Agents on hire", which assigned Ann when it was first synced.
    path.write_text(ONLY_DAY_30, encoding="utf-8")

    result = runner.invoke(args=["lms-cx", "rules", "sync", str(path), "--now", "2026-03-03"])

    assert result.exit_code == 0, result.output
    assert (
        "deleted 'Agents on hire': no longer in the file (the 1 assignments it made stay)"
        in result.output.splitlines()
    )
    files = dict(session.execute(sa.select(AssignmentRule.name, AssignmentRule.rules_file)).all())
    assert files == {
        "Day 30 check-in": "rules.yaml",
        "Day 60 check-in": "other.yaml",
        "Made on the web": None,
    }
    kept = session.scalars(sa.select(Assignment)).one()
    assert (kept.source, kept.reason, kept.state, kept.rule_id) == (
        "rule",
        "Agents on hire",
        "open",
        None,
    )
    again = runner.invoke(args=["lms-cx", "rules", "sync", str(path), "--now", "2026-03-04"])
    assert again.exit_code == 0 and "deleted" not in again.output


def test_that_a_bad_rules_file_names_each_problem_by_line(runner, session, tmp_path) -> None:
    """Test that every problem of a rules file is printed as file:line and nothing is saved."""
    _world(session)
    path = tmp_path / "rules.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["lms-cx", "rules", "sync", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{path}:3: there is no module 'nope'" in lines
    assert any(line.startswith(f"{path}:7: 'when' must be one of") for line in lines)
    assert f"{path}:9: there is no team 'nowhere'" in lines
    assert any(line.startswith(f"{path}:10: unknown criterion 'shoe'") for line in lines)
    assert any(line.startswith(f"{path}:11: Say after how many days") for line in lines)
    assert "5 problems; nothing was saved." in lines
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 0


def test_that_rules_check_previews_without_saving(runner, session, tmp_path) -> None:
    """Test that checking a file tells whom each rule would assign and saves nothing."""
    _world(session)
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["lms-cx", "rules", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "'Agents on hire': matches 1" in result.output
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 0


def test_that_tick_runs_at_a_given_moment_and_twice_does_nothing_more(runner, session) -> None:
    """Test that `flask lms-cx tick --now` reports its work and a second run adds nothing."""
    learner = factories.hr_employee(session, display_name="Ann")
    module = factories.learning_module(session, "m1")
    factories.assignment(session, learner, module=module, due_at=datetime(2026, 3, 1, tzinfo=UTC))
    session.commit()
    first = runner.invoke(args=["lms-cx", "tick", "--now", "2026-03-02T09:00:00+00:00"])
    assert first.exit_code == 0, first.output
    assert "1 overdue, 1 reminders, 0 escalations" in first.output
    again = runner.invoke(args=["lms-cx", "tick", "--now", "2026-03-02T09:00:30"])
    assert "1 overdue, 0 reminders" in again.output
    bad = runner.invoke(args=["lms-cx", "tick", "--now", "yesterday"])
    assert bad.exit_code == 2 and "--now" in bad.output
