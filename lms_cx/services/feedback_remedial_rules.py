"""Editing remedial rules: what a trainer may set, checked before anything is stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import Assignment, Course, Module, RemedialRule, Track
from lms_cx.services.feedback_remedial import REMEDIAL_SOURCE, describe_threshold

#: Bounds a rule's numbers must keep (inclusive).
LIMITS = {
    "min_negative_items": (1, 1000),
    "window_days": (1, 730),
    "csat_max": (1, 5),
    "nps_max": (0, 10),
    "due_in_days": (1, 365),
}


@dataclass(frozen=True)
class TargetChoice:
    """A module or course a rule can assign, as ``module:12`` or ``course:3``."""

    value: str
    label: str
    track_code: str | None


@dataclass(frozen=True)
class RemedialRuleView:
    """A rule as the trainer's table shows it, with how often it fired."""

    id: int
    name: str
    track_code: str
    track_title: str
    threshold: str
    target_label: str
    due_in_days: int | None
    is_active: bool
    assigned_count: int
    open_count: int


def remedial_targets(session: Session, locale: str) -> list[TargetChoice]:
    """Return the modules, then the courses, a rule may assign (archived ones left out)."""
    choices = [
        TargetChoice(
            f"module:{module.id}",
            _(
                "Module: %(title)s",
                title=pick_text(module.title, locale, module.default_locale) or module.slug,
            ),
            code,
        )
        for module, code in session.execute(
            sa.select(Module, Track.code)
            .join(Track, Module.track_id == Track.id)
            .where(Module.archived_at.is_(None))
            .order_by(Track.position, Module.slug)
        )
    ]
    choices += [
        TargetChoice(
            f"course:{course.id}",
            _(
                "Course: %(title)s",
                title=pick_text(course.title, locale, course.default_locale) or course.slug,
            ),
            None,
        )
        for course in session.scalars(
            sa.select(Course).where(Course.archived_at.is_(None)).order_by(Course.slug)
        )
    ]
    return choices


def target_value(rule: RemedialRule) -> str:
    """Return the ``module:ID`` / ``course:ID`` value of a rule's target."""
    return f"module:{rule.module_id}" if rule.module_id else f"course:{rule.course_id}"


def list_remedial_rules(session: Session, locale: str) -> list[RemedialRuleView]:
    """Return every rule with its threshold in words and how many assignments it made."""
    assigned: Counter[int] = Counter()
    still_open: Counter[int] = Counter()
    for data, state in session.execute(
        sa.select(Assignment.reason_data, Assignment.state).where(
            Assignment.source == REMEDIAL_SOURCE
        )
    ):
        rule_id = (data or {}).get("rule_id")
        assigned[rule_id] += 1
        if state == "open":
            still_open[rule_id] += 1
    labels = {choice.value: choice.label for choice in remedial_targets(session, locale)}
    views = []
    for rule, track in session.execute(
        sa.select(RemedialRule, Track)
        .join(Track, RemedialRule.track_id == Track.id)
        .order_by(Track.position, RemedialRule.name)
    ):
        views.append(
            RemedialRuleView(
                id=rule.id,
                name=rule.name,
                track_code=track.code,
                track_title=pick_text(track.title, locale) or track.code,
                threshold=describe_threshold(
                    rule.min_negative_items, rule.window_days, rule.csat_max, rule.nps_max
                ),
                target_label=labels.get(target_value(rule), _("(archived)")),
                due_in_days=rule.due_in_days,
                is_active=rule.is_active,
                assigned_count=assigned[rule.id],
                open_count=still_open[rule.id],
            )
        )
    return views


def _bounded(name: str, value: int | None, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise ValidationError(_("enter a number"), field=name)
        return None
    low, high = LIMITS[name]
    if not low <= value <= high:
        raise ValidationError(
            _("enter a number from %(low)d to %(high)d", low=low, high=high), field=name
        )
    return value


def _target(session: Session, target: str) -> tuple[int | None, int | None]:
    kind, _sep, raw_id = (target or "").partition(":")
    model = {"module": Module, "course": Course}.get(kind)
    row = session.get(model, int(raw_id)) if model is not None and raw_id.isdigit() else None
    if row is None or row.archived_at is not None:
        raise ValidationError(_("choose the module or course to assign"), field="target")
    return (row.id, None) if kind == "module" else (None, row.id)


def save_remedial_rule(
    session: Session,
    rule_id: int | None,
    *,
    name: str,
    track_id: int | None,
    min_negative_items: int | None,
    window_days: int | None,
    csat_max: int | None,
    nps_max: int | None,
    target: str,
    due_in_days: int | None,
    is_active: bool = True,
) -> RemedialRule:
    """Create (``rule_id`` None) or change a remedial rule and commit; raise ValidationError."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("enter a name of up to 200 characters"), field="name")
    if track_id is None or session.get(Track, track_id) is None:
        raise ValidationError(_("choose a competency track"), field="track_id")
    minimum = _bounded("min_negative_items", min_negative_items, required=True)
    window = _bounded("window_days", window_days, required=True)
    csat = _bounded("csat_max", csat_max, required=False)
    nps = _bounded("nps_max", nps_max, required=False)
    if csat is None and nps is None:
        raise ValidationError(
            _("say what counts as negative: a highest CSAT, a highest NPS or both"),
            field="csat_max",
        )
    module_id, course_id = _target(session, target)
    due = _bounded("due_in_days", due_in_days, required=False)
    rule = session.get(RemedialRule, rule_id) if rule_id is not None else RemedialRule()
    if rule is None:
        raise ValidationError(_("this rule no longer exists"), field="name")
    rule.name, rule.track_id = name, track_id
    rule.min_negative_items, rule.window_days = minimum, window
    rule.csat_max, rule.nps_max = csat, nps
    rule.module_id, rule.course_id = module_id, course_id
    rule.due_in_days, rule.is_active = due, bool(is_active)
    session.add(rule)
    session.commit()
    return rule


def get_remedial_rule(session: Session, rule_id: int) -> RemedialRule | None:
    """Return the rule with ``rule_id``, or None."""
    return session.get(RemedialRule, rule_id)


def delete_remedial_rule(session: Session, rule_id: int) -> bool:
    """Delete a rule (its assignments stay, with their reasons) and commit."""
    rule = session.get(RemedialRule, rule_id)
    if rule is None:
        return False
    session.delete(rule)
    session.commit()
    return True
