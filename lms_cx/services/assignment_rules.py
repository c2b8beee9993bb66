"""Assignment rules: checking, previewing, saving, applying and deleting them.

A rule is retroactive: saving it (or changing it) assigns at once to everyone who already
matches, and ``preview_rule`` says who that will be before anything is written. Applying
takes the lifecycle lock (see ``lifecycle_lock``), so a save and a tick never assign twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.models import Assignment, AssignmentRule, Course, Module
from lms_cx.models.enrolment import RULE_TRIGGERS
from lms_cx.models.people import ROLES, Employee, Team
from lms_cx.services.lifecycle_lock import take_lifecycle_lock
from lms_cx.services.lifecycle_settings import LifecycleSettings
from lms_cx.services.rule_application import apply_rule
from lms_cx.services.rule_criteria import matching_employee_count
from lms_cx.services.rule_matching import Occurrence, RuleSpec, due_occurrences

#: Triggers that need ``offset_days``, and those that must not have it.
OFFSET_REQUIRED = ("day_n", "every_n_days")
OFFSET_UNUSED = ("on_hire", "on_change")


@dataclass(frozen=True)
class RulePreview:
    """Who a rule would assign now, and how many people its criteria match at all."""

    spec: RuleSpec
    matching: int
    assign_now: list[Occurrence]


@dataclass(frozen=True)
class RuleSaved:
    """A saved rule and the assignments saving it made."""

    rule: AssignmentRule
    assigned: list[Assignment]


def check_rule(session: Session, spec: RuleSpec) -> RuleSpec:
    """Return ``spec`` with tidy criteria; raise ValidationError naming the field at fault."""
    name = spec.name.strip()
    if not name:
        raise ValidationError(_("Give the rule a name."), field="name")
    if len(name) > 200:
        raise ValidationError(_("Use at most 200 characters."), field="name")
    same_name = sa.select(AssignmentRule.id).where(AssignmentRule.name == name)
    if spec.rule_id is not None:
        same_name = same_name.where(AssignmentRule.id != spec.rule_id)
    if session.scalar(same_name) is not None:
        raise ValidationError(_("Another rule has this name; choose another."), field="name")
    if spec.trigger not in RULE_TRIGGERS:
        raise ValidationError(
            _("Choose one of: %(choices)s.", choices=", ".join(RULE_TRIGGERS)), field="trigger"
        )
    if (spec.course_id is None) == (spec.module_id is None):
        raise ValidationError(_("Choose a course or a module, not both."), field="content")
    if spec.course_id is not None and session.get(Course, spec.course_id) is None:
        raise ValidationError(_("There is no such course."), field="content")
    if spec.module_id is not None and session.get(Module, spec.module_id) is None:
        raise ValidationError(_("There is no such module."), field="content")
    if spec.trigger == "certificate_expiry" and spec.course_id is None:
        raise ValidationError(
            _("Certificates belong to courses: choose a course."), field="content"
        )
    _check_days(spec)
    return replace(spec, name=name, criteria=check_criteria(session, spec.criteria))


def _check_days(spec: RuleSpec) -> None:
    for field_name in ("offset_days", "due_in_days", "window_days"):
        value = getattr(spec, field_name)
        if value is not None and not 0 <= value <= 3650:
            raise ValidationError(_("Use a number of days from 0 to 3650."), field=field_name)
    if spec.trigger in OFFSET_REQUIRED and not spec.offset_days:
        raise ValidationError(
            _("Say after how many days (at least 1) this rule fires."), field="offset_days"
        )
    if spec.trigger in OFFSET_UNUSED and spec.offset_days:
        raise ValidationError(
            _("This trigger does not use a number of days; leave it empty."), field="offset_days"
        )


def check_criteria(session: Session, criteria: dict[str, Any]) -> dict[str, Any]:
    """Return ``criteria`` with empty values dropped; raise ValidationError on unknown ones."""
    tidy: dict[str, Any] = {}
    for key, value in (criteria or {}).items():
        if key == "attributes":
            attributes = {
                str(name).strip(): _strings(values)
                for name, values in (value or {}).items()
                if str(name).strip() and _strings(values)
            }
            if attributes:
                tidy[key] = attributes
        elif key in ("job_role", "location", "app_roles"):
            if _strings(value):
                tidy[key] = _strings(value)
        elif key == "team_ids":
            if value:
                tidy[key] = sorted({int(team_id) for team_id in value})
        else:
            raise ValidationError(_("Unknown criterion %(name)s.", name=key), field="criteria")
    unknown_roles = set(tidy.get("app_roles", ())) - set(ROLES)
    if unknown_roles:
        raise ValidationError(
            _("Unknown role %(role)s.", role=sorted(unknown_roles)[0]), field="app_roles"
        )
    if tidy.get("team_ids"):
        known = set(session.scalars(sa.select(Team.id).where(Team.id.in_(tidy["team_ids"]))))
        if known != set(tidy["team_ids"]):
            raise ValidationError(_("There is no such team."), field="team_ids")
    return tidy


def _strings(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [values]
    return sorted({str(value).strip() for value in values or () if str(value).strip()})


def preview_rule(
    session: Session, spec: RuleSpec, now: datetime, settings: LifecycleSettings | None = None
) -> RulePreview:
    """Return whom ``spec`` (checked) would assign if it were saved at ``now``."""
    settings = settings or LifecycleSettings.current()
    spec = check_rule(session, spec)
    return RulePreview(
        spec=spec,
        matching=matching_employee_count(session, spec.criteria),
        assign_now=due_occurrences(
            session,
            spec,
            now,
            default_zone=settings.default_zone,
            grace_days=settings.grace_days,
        ),
    )


def create_rule(
    session: Session,
    spec: RuleSpec,
    now: datetime,
    *,
    created_by: Employee | None = None,
    active: bool = True,
    settings: LifecycleSettings | None = None,
    commit: bool = True,
) -> RuleSaved:
    """Save a new rule and (when active) apply it to everyone who already matches; commit."""
    spec = check_rule(session, spec)
    take_lifecycle_lock(session)
    rule = AssignmentRule(created_by_id=created_by.id if created_by else None, is_active=active)
    session.add(rule)
    return _save(session, rule, spec, now, settings, commit)


def update_rule(
    session: Session,
    rule_id: int,
    spec: RuleSpec,
    now: datetime,
    *,
    active: bool | None = None,
    settings: LifecycleSettings | None = None,
    commit: bool = True,
) -> RuleSaved:
    """Change a rule and apply it anew (earlier assignments stay as they are); commit."""
    spec = check_rule(session, replace(spec, rule_id=rule_id))
    take_lifecycle_lock(session)
    rule = _get(session, rule_id)
    if active is not None:
        rule.is_active = active
    return _save(session, rule, spec, now, settings, commit)


def set_rule_active(
    session: Session,
    rule_id: int,
    active: bool,
    now: datetime,
    settings: LifecycleSettings | None = None,
) -> RuleSaved:
    """Switch a rule off (its assignments stay) or on again (it applies at once); commit."""
    take_lifecycle_lock(session)
    rule = _get(session, rule_id)
    rule.is_active = active
    return _save(session, rule, RuleSpec.of(rule), now, settings, commit=True)


def _save(
    session: Session,
    rule: AssignmentRule,
    spec: RuleSpec,
    now: datetime,
    settings: LifecycleSettings | None,
    commit: bool,
) -> RuleSaved:
    _copy_spec(rule, spec)
    session.flush()
    settings = settings or LifecycleSettings.current()
    assigned = apply_rule(session, rule, now, settings) if rule.is_active else []
    if commit:
        session.commit()
    return RuleSaved(rule, assigned)


@dataclass(frozen=True)
class RuleDeleted:
    """A deleted rule's name and how many of its assignments stay (with their history)."""

    name: str
    assignments_kept: int


def delete_rule(session: Session, rule_id: int, *, commit: bool = True) -> RuleDeleted:
    """Delete a rule; the assignments it made stay as they are; commit.

    They keep their source, state, due date and reason (the rule's name, its criteria and
    the occurrence that fired, in ``reason_data``); only the link to the rule is cleared,
    explicitly rather than through the foreign key, which SQLite enforces only when asked.
    """
    take_lifecycle_lock(session)
    rule = _get(session, rule_id)
    kept = session.execute(
        sa.update(Assignment).where(Assignment.rule_id == rule.id).values(rule_id=None)
    ).rowcount
    name = rule.name
    session.delete(rule)
    session.flush()
    if commit:
        session.commit()
    return RuleDeleted(name, kept)


def get_rule(session: Session, rule_id: int) -> AssignmentRule | None:
    """Return the rule ``rule_id``, or None."""
    return session.get(AssignmentRule, rule_id)


def _get(session: Session, rule_id: int) -> AssignmentRule:
    rule = session.get(AssignmentRule, rule_id)
    if rule is None:
        raise ValidationError(_("There is no such rule."), field="rule")
    return rule


def _copy_spec(rule: AssignmentRule, spec: RuleSpec) -> None:
    rule.name = spec.name
    rule.trigger = spec.trigger
    rule.criteria = dict(spec.criteria)
    rule.course_id = spec.course_id
    rule.module_id = spec.module_id
    rule.offset_days = spec.offset_days
    rule.due_in_days = spec.due_in_days
    rule.window_days = spec.window_days
