"""Assignment rules kept in a YAML file, loaded by ``flask lms-cx rules sync FILE``.

::

    rules:
      - name: Onboarding for agents
        assign: {course: cx-onboarding}     # or {module: <slug>}
        when: on_hire                       # on_hire, day_n, on_change, every_n_days,
        days: 30                            #   certificate_expiry; days = N of day_n etc.
        due_in_days: 30
        window_days: 60                     # optional: reach back at most this far
        active: true                        # optional, default true
        who:                                # optional, default everyone
          job_role: [agent]
          teams: [demo-phone]               # external id or name; sub-teams included
          location: [Warsaw]
          app_roles: [learner]
          attributes: {shift: [night]}

Rules are matched to saved ones by name: a new name creates a rule, a known one updates it
(and from then on belongs to the file). A rule the file synced before and no longer has is
deleted; the assignments it made stay, with their history. Rules made in the web pages, or
synced from a file of another name, are left alone. Every problem is reported as
``file:line`` and nothing is saved unless the whole file is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.content.problems import ContentProblems, Problem
from lms_cx.content.yaml_lines import ProblemError, line_of, load_yaml
from lms_cx.errors import ValidationError
from lms_cx.models import AssignmentRule, Course, Module
from lms_cx.models.enrolment import RULE_TRIGGERS
from lms_cx.models.people import Team
from lms_cx.services.assignment_rules import check_rule, create_rule, delete_rule, update_rule
from lms_cx.services.lifecycle_lock import take_lifecycle_lock
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.rule_matching import RuleSpec

RULE_KEYS = ("name", "assign", "when", "days", "due_in_days", "window_days", "active", "who")
WHO_KEYS = ("job_role", "teams", "location", "app_roles", "attributes")
#: Where a service's ValidationError.field points in a rule of the file.
FILE_KEYS = {
    "name": "name",
    "trigger": "when",
    "content": "assign",
    "offset_days": "days",
    "due_in_days": "due_in_days",
    "window_days": "window_days",
    "app_roles": "who",
    "team_ids": "who",
    "criteria": "who",
}


@dataclass(frozen=True)
class FileRule:
    """A rule read from a file: what it says and whether it should be on."""

    spec: RuleSpec
    active: bool
    line: int


@dataclass
class SyncReport:
    """What ``sync_rules`` did to each rule of the file."""

    lines: list[str] = field(default_factory=list)
    assigned: int = 0


def read_rules_file(session: Session, path: str | Path) -> list[FileRule]:
    """Read and check a rules file; raise ContentProblems listing every ``file:line`` problem."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentProblems([Problem(name, 1, f"cannot read the file: {error}")]) from None
    try:
        tree = load_yaml(text, name)
    except ProblemError as error:
        raise ContentProblems([error.problem]) from None
    problems: list[Problem] = []
    if not isinstance(tree, dict) or not isinstance(tree.get("rules"), list):
        raise ContentProblems([Problem(name, 1, "expected a top-level 'rules:' list")])
    rules: list[FileRule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(tree["rules"]):
        here = ("rules", index)

        def report(message: str, *keys: Any, _here: tuple[Any, ...] = here) -> None:
            problems.append(Problem(name, line_of(tree, (*_here, *keys)), message))

        rule = _read_rule(session, item, report)
        if rule is None:
            continue
        line = line_of(tree, here)
        if rule.spec.name in seen:
            report(f"a second rule named {rule.spec.name!r} (first at line {seen[rule.spec.name]})")
            continue
        seen[rule.spec.name] = line
        saved_id = session.scalar(
            sa.select(AssignmentRule.id).where(AssignmentRule.name == rule.spec.name)
        )
        try:
            spec = check_rule(session, replace(rule.spec, rule_id=saved_id))
            rules.append(FileRule(spec, rule.active, line))
        except ValidationError as error:
            report(error.message, FILE_KEYS.get(error.field or "", "name"))
    if problems:
        raise ContentProblems(problems)
    return rules


def _read_rule(session: Session, item: Any, report: Any) -> FileRule | None:
    if not isinstance(item, dict):
        report("each rule is a mapping with name, assign, when...")
        return None
    count = 0
    for key in item:
        if key not in RULE_KEYS:
            report(f"unknown key {key!r}; use {', '.join(RULE_KEYS)}", key)
            count += 1
    if not isinstance(item.get("name"), str) or not item["name"].strip():
        report("give the rule a name", "name")
        count += 1
    if item.get("when") not in RULE_TRIGGERS:
        report(f"'when' must be one of {', '.join(RULE_TRIGGERS)}", "when")
        count += 1
    numbers = {}
    for key in ("days", "due_in_days", "window_days"):
        value = item.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            report(f"{key} must be a whole number of days", key)
            count += 1
        numbers[key] = value if isinstance(value, int) else None
    if not isinstance(item.get("active", True), bool):
        report("active must be true or false", "active")
        count += 1
    content = _content(session, item.get("assign"), report)
    criteria = _criteria(session, item.get("who"), report)
    if count or content is None or criteria is None:
        return None
    spec = RuleSpec(
        name=item["name"].strip(),
        trigger=item["when"],
        criteria=criteria,
        offset_days=numbers["days"],
        due_in_days=numbers["due_in_days"],
        window_days=numbers["window_days"],
    )
    return FileRule(replace(spec, **content), item.get("active", True), getattr(item, "line", 1))


def _content(session: Session, assign: Any, report: Any) -> dict[str, int] | None:
    if not isinstance(assign, dict) or len(assign) != 1 or not set(assign) <= {"course", "module"}:
        report("assign is {course: <slug>} or {module: <slug>}", "assign")
        return None
    kind, slug = next(iter(assign.items()))
    model = Course if kind == "course" else Module
    found = session.scalar(sa.select(model.id).where(model.slug == str(slug)))
    if found is None:
        report(f"there is no {kind} {slug!r}", "assign", kind)
        return None
    return {f"{kind}_id": found}


def _criteria(session: Session, who: Any, report: Any) -> dict[str, Any] | None:
    if who is None:
        return {}
    if not isinstance(who, dict):
        report("who is a mapping of job_role, teams, location, app_roles, attributes", "who")
        return None
    ok = True
    criteria: dict[str, Any] = {}
    for key, value in who.items():
        if key not in WHO_KEYS:
            report(f"unknown criterion {key!r}; use {', '.join(WHO_KEYS)}", "who", key)
            ok = False
        elif key == "attributes":
            if not isinstance(value, dict):
                report("attributes is a mapping of name: [values]", "who", key)
                ok = False
            else:
                criteria[key] = {str(n): _as_list(v) for n, v in value.items()}
        elif key == "teams":
            ids = []
            for index, team in enumerate(_as_list(value)):
                team_id = session.scalar(
                    sa.select(Team.id)
                    .where(sa.or_(Team.external_id == team, Team.name == team))
                    .order_by(Team.external_id != team)
                )
                if team_id is None:
                    report(f"there is no team {team!r}", "who", key, index)
                    ok = False
                ids.append(team_id)
            criteria["team_ids"] = ids
        else:
            criteria[key] = _as_list(value)
    return criteria if ok else None


def _as_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values if item is not None]


def rules_file_name(path: str | Path) -> str:
    """Return the name a rules file's rules are known by: the file's name, without folders."""
    return Path(path).name


def sync_rules(
    session: Session,
    rules: list[FileRule],
    now: datetime,
    settings: LifecycleSettings | None = None,
    *,
    rules_file: str,
) -> SyncReport:
    """Create or update each rule by name and apply it, and delete the rules ``rules_file``
    synced before that it no longer has; commit once, all or nothing."""
    settings = settings or LifecycleSettings.current()
    report = SyncReport()
    take_lifecycle_lock(session)
    existing = {
        rule.name: rule
        for rule in session.scalars(
            sa.select(AssignmentRule).where(AssignmentRule.name.in_([r.spec.name for r in rules]))
        )
    }
    for item in rules:
        saved_rule = existing.get(item.spec.name)
        if saved_rule is None:
            saved = create_rule(
                session, item.spec, now, active=item.active, settings=settings, commit=False
            )
            verb = "created"
        else:
            same = RuleSpec.of(saved_rule) == replace(item.spec, rule_id=saved_rule.id)
            verb = "unchanged" if same and saved_rule.is_active == item.active else "updated"
            saved = update_rule(
                session,
                saved_rule.id,
                item.spec,
                now,
                active=item.active,
                settings=settings,
                commit=False,
            )
        saved.rule.rules_file = rules_file
        report.assigned += len(saved.assigned)
        state = "" if item.active else " (off)"
        report.lines.append(f"{verb} {item.spec.name!r}{state}: {len(saved.assigned)} assigned now")
    dropped = session.scalars(
        sa.select(AssignmentRule.id)
        .where(
            AssignmentRule.rules_file == rules_file,
            AssignmentRule.name.not_in([r.spec.name for r in rules]),
        )
        .order_by(AssignmentRule.name)
    ).all()
    for rule_id in dropped:
        deleted = delete_rule(session, rule_id, commit=False)
        report.lines.append(
            f"deleted {deleted.name!r}: no longer in the file"
            f" (the {deleted.assignments_kept} assignments it made stay)"
        )
    session.commit()
    return report
