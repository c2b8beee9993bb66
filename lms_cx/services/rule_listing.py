"""What the rules pages show: the list of rules, the choices of the rule form, fingerprints."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import pick_text
from lms_cx.models import Assignment, AssignmentRule, Course, Module
from lms_cx.models.people import Team
from lms_cx.services.rule_matching import RuleSpec


@dataclass(frozen=True)
class RuleSummary:
    """A rule as the rules page lists it."""

    id: int
    name: str
    trigger: str
    content_title: str
    content_kind: str
    criteria: dict[str, Any]
    #: Names of the teams the criteria name.
    team_names: list[str]
    offset_days: int | None
    due_in_days: int | None
    window_days: int | None
    is_active: bool
    #: The rules file that manages the rule, if any (``AssignmentRule.rules_file``).
    rules_file: str | None
    assigned: int
    open: int


@dataclass(frozen=True)
class RuleFormChoices:
    """What the rule form offers: courses and modules to assign, teams to match."""

    content: list[tuple[str, str]]
    teams: list[tuple[int, str]]


def list_rules(session: Session, locale: str, rule_id: int | None = None) -> list[RuleSummary]:
    """Return every rule (or just ``rule_id``), active first, with how many assignments it
    made and how many are open."""
    one_rule = rule_id is not None
    assigned_by = [Assignment.rule_id == rule_id] if one_rule else [Assignment.rule_id.is_not(None)]
    only = [AssignmentRule.id == rule_id] if one_rule else []
    counts: dict[int, tuple[int, int]] = {
        counted: (total, open_)
        for counted, total, open_ in session.execute(
            sa.select(
                Assignment.rule_id,
                sa.func.count(),
                sa.func.count().filter(Assignment.state == "open"),
            )
            .where(*assigned_by)
            .group_by(Assignment.rule_id)
        )
    }
    team_names: dict[int, str] = dict(session.execute(sa.select(Team.id, Team.name)).all())
    rows = session.execute(
        sa.select(AssignmentRule, Course, Module)
        .outerjoin(Course, AssignmentRule.course_id == Course.id)
        .outerjoin(Module, AssignmentRule.module_id == Module.id)
        .where(*only)
        .order_by(AssignmentRule.is_active.desc(), AssignmentRule.name)
    ).all()
    return [
        RuleSummary(
            id=rule.id,
            name=rule.name,
            trigger=rule.trigger,
            content_title=pick_text((course or module).title, locale) or (course or module).slug,
            content_kind="course" if course is not None else "module",
            criteria=dict(rule.criteria or {}),
            team_names=[
                team_names.get(team_id, str(team_id))
                for team_id in (rule.criteria or {}).get("team_ids", [])
            ],
            offset_days=rule.offset_days,
            due_in_days=rule.due_in_days,
            window_days=rule.window_days,
            is_active=rule.is_active,
            rules_file=rule.rules_file,
            assigned=counts.get(rule.id, (0, 0))[0],
            open=counts.get(rule.id, (0, 0))[1],
        )
        for rule, course, module in rows
    ]


def rule_form_choices(session: Session, locale: str) -> RuleFormChoices:
    """Return the courses and modules (not archived) and the teams the rule form offers."""
    content = [
        (f"course:{id_}", pick_text(title, locale) or slug)
        for id_, slug, title in session.execute(
            sa.select(Course.id, Course.slug, Course.title)
            .where(Course.archived_at.is_(None))
            .order_by(Course.slug)
        )
    ] + [
        (f"module:{id_}", pick_text(title, locale) or slug)
        for id_, slug, title in session.execute(
            sa.select(Module.id, Module.slug, Module.title)
            .where(Module.archived_at.is_(None))
            .order_by(Module.slug)
        )
    ]
    teams = [
        (id_, name)
        for id_, name in session.execute(sa.select(Team.id, Team.name).order_by(Team.name))
    ]
    return RuleFormChoices(content=content, teams=teams)


def spec_fingerprint(spec: RuleSpec) -> str:
    """Return a short digest of what ``spec`` says (the preview the person saw)."""
    data = json.dumps(asdict(spec), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:20]
