"""Closing the loop: remedial rules assign training once per employee and track, with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms_cx.errors import ValidationError
from lms_cx.models import Assignment, AssignmentFeedbackItem, Track
from lms_cx.services.feedback_csv import import_feedback_file
from lms_cx.services.feedback_remedial import apply_remedial_rules, remedial_reason
from lms_cx.services.feedback_remedial_rules import list_remedial_rules, save_remedial_rule
from tests import factories
from tests.feedback.conftest import HEADER, csv_bytes


@pytest.fixture
def modules(session):
    """Return a remedial module per track: communication, problem solving, product knowledge."""
    made = {
        track: factories.track_module(session, slug, track)
        for track, slug in (
            ("communication", "remedial-empathy"),
            ("problem_solving", "remedial-fcr"),
            ("product_knowledge", "remedial-billing"),
        )
    }
    session.commit()
    return made


def _negatives(session, who, now, count, tags, *, csat=1, start_days=1):
    return [
        factories.feedback_item(
            session, who, occurred_at=now - timedelta(days=start_days + n), csat=csat, tags=tags
        )
        for n in range(count)
    ]


def _remedial(session):
    return session.scalars(
        sa.select(Assignment)
        .where(Assignment.source == "remedial")
        .order_by(Assignment.employee_id)
    ).all()


def test_crossing_a_threshold_assigns_once_per_employee_and_track(
    session, org, modules, now
) -> None:
    """Test that only employees past the threshold get one assignment per track, once."""
    alice, bob, carol = org.agents[:3]
    factories.remedial_rule(session, "communication", module=modules["communication"], name="Tone")
    factories.remedial_rule(
        session, "communication", module=modules["problem_solving"], name="Tone, second rule"
    )
    factories.remedial_rule(session, "product_knowledge", module=modules["product_knowledge"])
    _negatives(session, alice, now, 4, ["tone"])  # crosses communication
    _negatives(session, alice, now, 3, ["billing"])  # crosses product knowledge
    _negatives(session, bob, now, 2, ["tone"])  # two is below three
    _negatives(session, carol, now, 3, ["tone"], csat=3)  # neutral is not negative
    _negatives(session, carol, now, 3, ["tone"], start_days=31)  # outside the 30 days
    session.commit()
    created = apply_remedial_rules(session, now=now)
    assert sorted((c.employee_id, c.track_code) for c in created) == [
        (alice.id, "communication"),
        (alice.id, "product_knowledge"),
    ]
    assert apply_remedial_rules(session, now=now) == []
    rows = _remedial(session)
    assert len(rows) == 2
    tone = next(row for row in rows if row.reason_data["track"] == "communication")
    assert tone.module_id == modules["communication"].id
    assert tone.reason_data["rule_name"] == "Tone" and tone.reason_data["negative_count"] == 4
    assert tone.due_at == now + timedelta(days=14)
    evidence = session.scalar(
        sa.select(sa.func.count()).where(AssignmentFeedbackItem.assignment_id == tone.id)
    )
    assert evidence == 4


def test_the_reason_names_the_rule_and_links_the_feedback(session, org, modules, now) -> None:
    """Test that remedial_reason tells the learner and manager what customers said and why."""
    agent = org.agents[0]
    factories.remedial_rule(
        session, "problem_solving", module=modules["problem_solving"], name="Resolve first time"
    )
    items = [
        factories.feedback_item(
            session,
            agent,
            occurred_at=now - timedelta(days=day),
            csat=1,
            comment=comment,
            language="pl",
        )
        for day, comment in enumerate(
            ["Czekałem godzinę", "Czekałam dwa dni", "Obiecano oddzwonić"], start=1
        )
    ]
    session.commit()
    apply_remedial_rules(session, now=now)
    assignment = _remedial(session)[0]
    assert "Resolve first time" in assignment.reason
    reason = remedial_reason(session, assignment, "en")
    assert reason.rule_name == "Resolve first time" and reason.rule_exists
    assert reason.track_title == "Problem solving"
    assert reason.threshold == "≥ 3 negative items (CSAT ≤ 2) in 30 days"
    assert "3 negative customer feedback items about Problem solving" in reason.summary
    assert sorted(item.id for item in reason.items) == sorted(item.id for item in items)
    assert any("czekał" in why for item in reason.items for why in item.why)
    manual = Assignment(employee_id=agent.id, module_id=modules["communication"].id)
    session.add(manual)
    session.flush()
    assert remedial_reason(session, manual) is None


def test_an_open_assignment_of_the_same_module_blocks_the_rule(session, org, modules, now) -> None:
    """Test that a rule does not assign a module the employee already has open."""
    agent = org.agents[0]
    session.add(Assignment(employee_id=agent.id, module_id=modules["communication"].id))
    factories.remedial_rule(session, "communication", module=modules["communication"])
    _negatives(session, agent, now, 5, ["tone"])
    session.commit()
    assert apply_remedial_rules(session, now=now) == []


def test_after_completion_only_new_feedback_counts(session, org, modules, now) -> None:
    """Test that a completed remedial assignment's evidence never fires the rule again."""
    agent = org.agents[0]
    factories.remedial_rule(session, "communication", module=modules["communication"])
    _negatives(session, agent, now, 3, ["tone"], start_days=5)
    session.commit()
    earlier = now - timedelta(days=3)
    [first] = apply_remedial_rules(session, now=earlier)
    assignment = session.get(Assignment, first.assignment_id)
    assignment.state, assignment.completed_at = "completed", earlier
    session.commit()
    assert apply_remedial_rules(session, now=now) == []
    _negatives(session, agent, now, 3, ["empathy"], start_days=0)
    session.commit()
    [second] = apply_remedial_rules(session, now=now + timedelta(minutes=1))
    assert len(second.feedback_item_ids) == 3


def test_nps_thresholds_inactive_rules_and_inactive_employees(session, org, modules, now) -> None:
    """Test NPS-based negativity, and that inactive rules and employees are left alone."""
    alice, bob = org.agents[:2]
    factories.remedial_rule(
        session, "product_knowledge", module=modules["product_knowledge"], csat_max=None, nps_max=4
    )
    factories.remedial_rule(
        session, "communication", module=modules["communication"], is_active=False
    )
    for who in (alice, bob):
        for day in range(3):
            factories.feedback_item(
                session, who, occurred_at=now - timedelta(days=day + 1), nps=3, tags=["billing"]
            )
            factories.feedback_item(
                session, who, occurred_at=now - timedelta(days=day + 1), csat=1, tags=["tone"]
            )
    bob.is_active = False
    session.commit()
    created = apply_remedial_rules(session, now=now)
    assert [(c.employee_id, c.track_code) for c in created] == [(alice.id, "product_knowledge")]


def test_importing_feedback_applies_the_rules(session, org, modules, now) -> None:
    """Test that an import crossing a threshold assigns remedial training straight away."""
    factories.remedial_rule(session, "product_knowledge", module=modules["product_knowledge"])
    session.commit()
    rows = [
        [
            "A3",
            (now - timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "chat",
            "1",
            "",
            "",
            "Nikt nie potrafił wyjaśnić rachunku",
            "",
            "zd",
            f"z{day}",
        ]
        for day in range(1, 4)
    ]
    assert len(rows[0]) == len(HEADER)
    report = import_feedback_file(session, csv_bytes(rows), now=now)
    assert [(r.employee_id, r.track_code) for r in report.remedial] == [
        (org.agents[2].id, "product_knowledge")
    ]
    again = import_feedback_file(session, csv_bytes(rows), now=now)
    assert again.remedial == [] and len(_remedial(session)) == 1


def test_rule_edits_are_validated_and_listed(session, modules) -> None:
    """Test that a rule needs a negativity limit and a target, and lists how often it fired."""
    track_id = session.scalar(sa.select(Track.id).where(Track.code == "communication"))
    fields = dict(
        name="Tone",
        track_id=track_id,
        min_negative_items=3,
        window_days=30,
        csat_max=None,
        nps_max=None,
        target=f"module:{modules['communication'].id}",
        due_in_days=7,
    )
    with pytest.raises(ValidationError) as no_limit:
        save_remedial_rule(session, None, **fields)
    assert no_limit.value.field == "csat_max"
    with pytest.raises(ValidationError) as no_target:
        save_remedial_rule(session, None, **{**fields, "csat_max": 2, "target": "module:999"})
    assert no_target.value.field == "target"
    rule = save_remedial_rule(session, None, **{**fields, "csat_max": 2})
    [view] = list_remedial_rules(session, "en")
    assert (view.id, view.threshold, view.assigned_count) == (
        rule.id,
        "≥ 3 negative items (CSAT ≤ 2) in 30 days",
        0,
    )
    assert view.target_label == "Module: Module remedial-empathy"


def test_the_reason_macro_renders_on_other_pages(app, session, org, modules, now) -> None:
    """Test that learner and manager pages can render the reason with the shared macro."""
    from flask import render_template_string

    agent = org.agents[0]
    factories.remedial_rule(session, "communication", module=modules["communication"], name="Tone")
    for day in range(3):
        factories.feedback_item(
            session,
            agent,
            occurred_at=now - timedelta(days=day + 1),
            csat=1,
            comment="Bardzo niemiły konsultant",
            language="pl",
        )
    session.commit()
    apply_remedial_rules(session, now=now)
    with app.test_request_context("/cx/learn/"):
        from lms_cx.db import get_session

        db = get_session()
        reason = remedial_reason(db, db.get(Assignment, _remedial(session)[0].id), "en")
        html = render_template_string(
            '{% from "lms_cx/feedback/_macros.html" import remedial_reason with context %}'
            "{{ remedial_reason(reason) }}",
            reason=reason,
        )
    assert "rule “Tone”" in html and "What 3 customers said" in html
    assert html.count('lang="pl"') == 3 and "Bardzo niemiły konsultant" in html
