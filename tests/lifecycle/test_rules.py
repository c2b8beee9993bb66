"""Assignment rules: checking, previewing, criteria, triggers, retroactivity, deletion."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms_cx.errors import ValidationError
from lms_cx.models import Assignment, AssignmentRule, Certificate
from lms_cx.services.assignment_rules import (
    check_rule,
    create_rule,
    delete_rule,
    preview_rule,
    set_rule_active,
    update_rule,
)
from lms_cx.services.rule_listing import list_rules
from lms_cx.services.rule_matching import RuleSpec
from lms_cx.services.tick import run_tick
from tests import factories
from tests.lifecycle.conftest import date_of, day


def _assigned(session, module=None, course=None) -> list[str]:
    query = sa.select(factories.Employee.display_name).join(
        Assignment, Assignment.employee_id == factories.Employee.id
    )
    if module is not None:
        query = query.where(Assignment.module_id == module.id)
    if course is not None:
        query = query.where(Assignment.course_id == course.id)
    return sorted(session.scalars(query))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"trigger": "weekly"}, "trigger"),
        ({"module_id": None}, "content"),
        ({"trigger": "day_n", "offset_days": None}, "offset_days"),
        ({"trigger": "on_hire", "offset_days": 3}, "offset_days"),
        ({"due_in_days": -1}, "due_in_days"),
        ({"trigger": "certificate_expiry"}, "content"),
        ({"criteria": {"app_roles": ["boss"]}}, "app_roles"),
        ({"criteria": {"team_ids": [999]}}, "team_ids"),
        ({"criteria": {"shoe_size": ["42"]}}, "criteria"),
    ],
)
def test_that_bad_rules_are_refused_naming_the_field(ctx, session, changes, field) -> None:
    """Test that a rule that cannot work is refused with the field at fault."""
    module = factories.learning_module(session, "m1")
    spec = RuleSpec("A rule", "on_hire", {}, module_id=module.id, due_in_days=7)
    with pytest.raises(ValidationError) as refused:
        check_rule(session, RuleSpec(**{**spec.__dict__, **changes}))
    assert refused.value.field == field


def test_that_rule_names_are_unique(ctx, session) -> None:
    """Test that a second rule with the name of another is refused, the same one is not."""
    module = factories.learning_module(session, "m1")
    spec = RuleSpec("Same", "on_hire", {}, module_id=module.id)
    saved = create_rule(session, spec, day(0)).rule
    with pytest.raises(ValidationError) as refused:
        check_rule(session, spec)
    assert refused.value.field == "name"
    assert check_rule(session, RuleSpec(**{**spec.__dict__, "rule_id": saved.id}))


def test_that_criteria_match_teams_with_sub_teams_roles_locations_attributes(ctx, session) -> None:
    """Test that every criterion narrows whom a rule assigns, sub-teams included."""
    care = factories.team(session, "Care")
    phone = factories.team(session, "Phone", parent=care)
    other = factories.team(session, "Other")
    module = factories.learning_module(session, "m1")
    hired = date_of(0)
    factories.hr_employee(
        session,
        display_name="Match",
        hire_date=hired,
        team=phone,
        job_role="agent",
        location="Warsaw",
        attributes={"shift": "night"},
    )
    factories.hr_employee(
        session,
        display_name="Wrong team",
        hire_date=hired,
        team=other,
        job_role="agent",
        location="Warsaw",
        attributes={"shift": "night"},
    )
    factories.hr_employee(
        session,
        display_name="Wrong shift",
        hire_date=hired,
        team=phone,
        job_role="agent",
        location="Warsaw",
        attributes={"shift": "day"},
    )
    factories.hr_employee(
        session,
        display_name="Wrong place",
        hire_date=hired,
        team=care,
        job_role="agent",
        location="Tehran",
        attributes={"shift": "night"},
    )
    session.commit()
    criteria = {
        "team_ids": [care.id],
        "job_role": ["agent"],
        "location": ["Warsaw"],
        "attributes": {"shift": ["night"]},
        "app_roles": ["learner"],
    }
    spec = RuleSpec("Night agents", "on_hire", criteria, module_id=module.id, due_in_days=5)
    preview = preview_rule(session, spec, day(0))
    assert [o.display_name for o in preview.assign_now] == ["Match"]
    assert preview.matching == 1
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 0  # a preview writes nothing
    create_rule(session, spec, day(0))
    assert _assigned(session, module) == ["Match"]


def test_that_a_retroactive_rule_never_assigns_work_already_overdue(ctx, session) -> None:
    """Test that due = hire + N, or today + N when that has passed; the window limits reach."""
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="Recent", hire_date=date_of(-3), job_role="a")
    factories.hr_employee(session, display_name="Older", hire_date=date_of(-40), job_role="a")
    factories.hr_employee(session, display_name="Ancient", hire_date=date_of(-400), job_role="a")
    session.commit()
    spec = RuleSpec("On hire", "on_hire", {}, module_id=module.id, due_in_days=30, window_days=60)
    preview = preview_rule(session, spec, day(0))
    due = {o.display_name: o.due_at.date() for o in preview.assign_now}
    assert due == {"Older": date_of(30), "Recent": date_of(27)}
    saved = create_rule(session, spec, day(0))
    assert len(saved.assigned) == 2
    assert run_tick(session, day(0, 10)).assigned == 0


def test_that_on_change_assigns_again_after_a_move_and_only_then(ctx, session) -> None:
    """Test that an on-change rule fires for current matches, then for each new team."""
    care, sales = factories.team(session, "Care"), factories.team(session, "Sales")
    module = factories.learning_module(session, "m1")
    lead = factories.hr_employee(session, display_name="Lee", job_role="team lead", team=care)
    factories.hr_employee(session, display_name="Ann", job_role="agent", team=care)
    session.commit()
    spec = RuleSpec("Leads", "on_change", {"job_role": ["team lead"]}, module_id=module.id)
    create_rule(session, spec, day(0))
    assert _assigned(session, module) == ["Lee"]
    session.execute(sa.update(Assignment).values(state="completed", completed_at=day(1)))
    session.commit()
    assert run_tick(session, day(2)).assigned == 0
    lead.team = sales
    session.commit()
    assert run_tick(session, day(3)).assigned == 1
    assert run_tick(session, day(4)).assigned == 0


def test_that_a_refresher_waits_for_the_open_one_and_its_period(ctx, session) -> None:
    """Test that every-N-days assigns N days after the last time, never two open at once."""
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="Rita", hire_date=date_of(-100), job_role="a")
    session.commit()
    spec = RuleSpec(
        "Refresh", "every_n_days", {}, module_id=module.id, offset_days=30, due_in_days=5
    )
    assert len(create_rule(session, spec, day(0)).assigned) == 1
    assert run_tick(session, day(31)).assigned == 0  # the first one is still open
    session.execute(sa.update(Assignment).values(state="completed", completed_at=day(32)))
    session.commit()
    assert run_tick(session, day(32)).assigned == 1
    assert run_tick(session, day(50)).assigned == 0


def test_that_a_certificate_expiry_rule_assigns_the_course_again(ctx, session) -> None:
    """Test that a certificate-expiry rule recertifies matching people before expiry."""
    ctx.config["LMS_CX_RECERTIFICATION_LEAD_DAYS"] = None  # rules alone recertify
    course = factories.learning_course(session, "c1", [factories.learning_module(session, "m1")])
    person = factories.hr_employee(session, display_name="Cleo", job_role="agent")
    first = factories.assignment(session, person, course=course, assigned_at=day(-400))
    first.state = "completed"
    certificate = Certificate(
        employee_id=person.id,
        course_id=course.id,
        assignment_id=first.id,
        verification_code="CX-TEST-0001",
        issued_at=day(-365),
        expires_at=day(20),
    )
    session.add(certificate)
    session.commit()
    spec = RuleSpec(
        "Recertify",
        "certificate_expiry",
        {"job_role": ["agent"]},
        course_id=course.id,
        offset_days=10,
    )
    assert create_rule(session, spec, day(0)).assigned == []
    assert run_tick(session, day(9)).assigned == 0
    assert run_tick(session, day(10)).assigned == 1
    again = session.scalar(sa.select(Assignment).where(Assignment.source == "recertification"))
    assert again.due_at.date() == date_of(20)
    assert again.reason_data["certificate_id"] == certificate.id
    assert run_tick(session, day(11)).assigned == 0


def test_that_automatic_recertification_needs_no_rule(ctx, session) -> None:
    """Test that without rules a certificate near expiry brings its course back once."""
    course = factories.learning_course(session, "c1", [factories.learning_module(session, "m1")])
    person = factories.hr_employee(session, display_name="Dev")
    session.add(
        Certificate(
            employee_id=person.id,
            course_id=course.id,
            verification_code="CX-TEST-0002",
            issued_at=day(-300),
            expires_at=day(5),
        )
    )
    session.commit()
    assert run_tick(session, day(0)).recertifications == 1  # lead time 14 days
    assert run_tick(session, day(1)).recertifications == 0


def test_that_a_switched_off_rule_assigns_nobody_until_switched_on(ctx, session) -> None:
    """Test that deactivating keeps assignments and stops new ones; reactivating applies."""
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="One", hire_date=date_of(0))
    session.commit()
    rule = create_rule(session, RuleSpec("Hire", "on_hire", {}, module_id=module.id), day(0)).rule
    set_rule_active(session, rule.id, False, day(0))
    factories.hr_employee(session, display_name="Two", hire_date=date_of(1))
    session.commit()
    assert run_tick(session, day(1)).assigned == 0
    assert len(set_rule_active(session, rule.id, True, day(2)).assigned) == 1
    summary = list_rules(session, "en")[0]
    assert (summary.assigned, summary.open, summary.is_active) == (2, 2, True)


def test_that_editing_a_rule_applies_it_to_whoever_now_matches(ctx, session) -> None:
    """Test that widening a rule's criteria assigns the newly matching people at once."""
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="Agent", hire_date=date_of(0), job_role="agent")
    factories.hr_employee(session, display_name="Lead", hire_date=date_of(0), job_role="lead")
    session.commit()
    spec = RuleSpec("Hire", "on_hire", {"job_role": ["agent"]}, module_id=module.id)
    rule = create_rule(session, spec, day(0)).rule
    wider = RuleSpec("Hire", "on_hire", {"job_role": ["agent", "lead"]}, module_id=module.id)
    assert [a.employee_id for a in update_rule(session, rule.id, wider, day(1)).assigned] == [
        session.scalar(
            sa.select(factories.Employee.id).where(factories.Employee.job_role == "lead")
        )
    ]
    assert _assigned(session, module) == ["Agent", "Lead"]


def test_that_deleting_a_rule_keeps_its_assignments_and_their_history(ctx, session) -> None:
    """Test that a deleted rule assigns nobody more while what it assigned stays, with its why."""
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="One", hire_date=date_of(0))
    session.commit()
    spec = RuleSpec("Hire", "on_hire", {}, module_id=module.id, due_in_days=14)
    rule = create_rule(session, spec, day(0)).rule
    rule_id = rule.id
    due_at = session.scalars(sa.select(Assignment.due_at)).one()

    deleted = delete_rule(session, rule_id)

    assert (deleted.name, deleted.assignments_kept) == ("Hire", 1)
    session.expire_all()
    assert session.get(AssignmentRule, rule_id) is None
    kept = session.scalars(sa.select(Assignment)).one()
    assert (kept.source, kept.state, kept.reason, kept.rule_id) == ("rule", "open", "Hire", None)
    assert kept.reason_data["rule_id"] == rule_id and kept.reason_data["rule"] == "Hire"
    assert kept.due_at == due_at
    factories.hr_employee(session, display_name="Two", hire_date=date_of(1))
    session.commit()
    assert run_tick(session, day(1)).assigned == 0
    assert _assigned(session, module) == ["One"]
    assert list_rules(session, "en") == []
    with pytest.raises(ValidationError):
        delete_rule(session, rule_id)
