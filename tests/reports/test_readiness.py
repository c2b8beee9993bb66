"""The readiness definition: a track's status, score, onboarding, overdue work, CSAT."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Assignment
from lms_cx.reports.readiness import readiness_rows, track_readiness
from lms_cx.reports.readiness_items import expired_certificates, track_aggregates
from lms_cx.reports.readiness_plan import plan_items
from lms_cx.reports.scope import viewer_scope
from lms_cx.services.lessons import open_module
from tests import factories
from tests.reports.conftest import MODULES, NOW, Org, pinned_course

TRACKS = [track for _slug, track in MODULES]


def rows_by_name(session: Session, org: Org) -> dict:
    scope = viewer_scope(session, org.manager)
    return {row.display_name: row for row in readiness_rows(session, scope, NOW)}


def statuses(row) -> list[str]:
    return [row.track(track).status for track in TRACKS]


def test_every_module_satisfied_is_ready_with_the_score_behind_it(session, org, ctx) -> None:
    """Test that satisfying every required module of every track makes each track ready."""
    ola = rows_by_name(session, org)["Ola Zielińska"]
    assert statuses(ola) == ["ready"] * 4
    assert ola.track("communication").score == 0.95
    assert (ola.track("communication").satisfied, ola.track("communication").required) == (1, 1)


def test_partial_progress_is_in_progress_and_none_is_not_started(session, org, ctx) -> None:
    """Test that a started module means in progress and untouched modules mean not started."""
    kamran = rows_by_name(session, org)["کامران مرادی"]
    assert statuses(kamran) == ["ready", "in_progress", "not_started", "not_started"]
    assert kamran.track("persona_awareness").score is None


def test_expired_certificate_asks_for_a_refresh_in_its_tracks(session, org, ctx) -> None:
    """Test that a current certificate past its expiry marks every track of its course."""
    sofia = rows_by_name(session, org)["Sofia Marques"]
    assert statuses(sofia) == ["needs_refresh"] * 4
    assert sofia.track("communication").refresh_reasons == ("expired",)


def test_satisfying_a_module_after_expiry_renews_its_track(session, org, ctx) -> None:
    """Test that a module of the track satisfied after the expiry clears that track's refresh."""
    refresher = factories.assignment(session, org.sofia, module=org.refresher, source="manual")
    factories.progress(
        session, refresher, "de-escalation", completion=True, success=True, score=0.9, at=NOW
    )
    refresher.state = "completed"
    session.commit()
    sofia = rows_by_name(session, org)["Sofia Marques"]
    assert statuses(sofia) == ["ready", "needs_refresh", "needs_refresh", "needs_refresh"]


def test_open_remedial_training_asks_for_a_refresh(session, org, ctx) -> None:
    """Test that an open remedial assignment marks its track as needing a refresh."""
    factories.assignment(session, org.ola, module=org.refresher, source="remedial")
    session.commit()
    ola = rows_by_name(session, org)["Ola Zielińska"]
    assert statuses(ola) == ["needs_refresh", "ready", "ready", "ready"]
    assert ola.track("communication").refresh_reasons == ("remedial",)


def test_a_new_refresher_puts_a_ready_track_back_in_progress(session, org, ctx) -> None:
    """Test that an open, unstarted refresher makes the track in progress, not ready."""
    factories.assignment(session, org.ola, module=org.refresher, source="manual")
    session.commit()
    ola = rows_by_name(session, org)["Ola Zielińska"]
    assert ola.track("communication").status == "in_progress"
    assert (ola.track("communication").satisfied, ola.track("communication").required) == (1, 2)


def test_nothing_assigned_is_not_assigned(session, org, ctx) -> None:
    """Test that a track with no required module is not assigned, and onboarding is None."""
    factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    session.commit()
    new = rows_by_name(session, org)["Nowy Pracownik"]
    assert statuses(new) == ["not_assigned"] * 4
    assert new.onboarding_state is None and new.onboarding_percent is None


def test_unstarted_assignment_requires_the_newest_version(session, org, ctx) -> None:
    """Test that an assignment not pinned yet counts the newest version's modules."""
    new = factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    factories.assignment(session, new, course=org.course, source="onboarding")
    session.commit()
    row = rows_by_name(session, org)["Nowy Pracownik"]
    assert statuses(row) == ["not_started"] * 4
    assert row.onboarding_percent == 0


def test_cancelled_assignments_require_nothing(session, org, ctx) -> None:
    """Test that a cancelled assignment adds no required module."""
    new = factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    pinned_course(session, new, org.course).state = "cancelled"
    session.commit()
    assert statuses(rows_by_name(session, org)["Nowy Pracownik"]) == ["not_assigned"] * 4


def test_move_on_rule_of_the_course_decides_what_satisfies(session, org, ctx) -> None:
    """Test that moveOn Passed is met by success alone and NotApplicable by nothing at all."""
    passed = factories.learning_module(session, "passed-only", track="problem_solving")
    free = factories.learning_module(session, "no-rule", track="product_knowledge")
    first = factories.learning_course(session, "passed-course", [passed], move_on="Passed")
    second = factories.learning_course(session, "free-course", [free], move_on="NotApplicable")
    new = factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    factories.progress(session, pinned_course(session, new, first), "passed-only", success=True)
    pinned_course(session, new, second)
    session.commit()
    row = rows_by_name(session, org)["Nowy Pracownik"]
    assert row.track("problem_solving").status == "ready"
    assert row.track("product_knowledge").status == "ready"


def test_completed_assignment_counts_as_satisfied(session, org, ctx) -> None:
    """Test that a completed assignment satisfies its modules even without progress rows."""
    new = factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    done = pinned_course(session, new, org.course)
    done.state, done.completed_at = "completed", NOW - timedelta(days=1)
    session.commit()
    assert statuses(rows_by_name(session, org)["Nowy Pracownik"]) == ["ready"] * 4


def test_organisation_shortcut_agrees_with_the_item_by_item_count(session, org, ctx) -> None:
    """Test that counting completed assignments from their plans gives the same statuses,
    onboarding counts and lateness as reading every module."""
    factories.assignment(session, org.ola, module=org.refresher, source="remedial")
    passed = factories.learning_module(session, "passed-only", track="problem_solving")
    free = factories.learning_module(session, "no-rule", track="product_knowledge")
    first = factories.learning_course(session, "passed-course", [passed], move_on="Passed")
    second = factories.learning_course(session, "free-course", [free], move_on="NotApplicable")
    new = factories.employee(session, team=org.phone, display_name="Nowy Pracownik")
    factories.progress(session, pinned_course(session, new, first), "passed-only", success=True)
    pinned_course(session, new, second, source="onboarding", due_at=NOW - timedelta(days=1))
    factories.progress(session, pinned_course(session, org.ola, second), "no-rule", success=False)
    session.commit()
    scope = viewer_scope(session, org.manager)
    items = plan_items(session, scope.employee_ids())
    expired = expired_certificates(session, items, scope.employee_ids(), NOW)
    full = track_aggregates(session, items, scope, NOW)
    lean = track_aggregates(session, items, scope, NOW, scores=False, renewals_for=expired)

    def summary(aggregates) -> dict:
        statuses = track_readiness(aggregates, expired)
        return {
            (row.employee_id, row.track): (
                statuses[row.employee_id][row.track].status,
                row.required,
                row.satisfied,
                row.onboarding_required,
                row.onboarding_satisfied,
                bool(row.onboarding_late),
                bool(row.remedial_open),
            )
            for row in aggregates
        }

    assert summary(full) == summary(lean)


def test_onboarding_share_overdue_and_lateness(session, org, ctx) -> None:
    """Test onboarding completion, lateness past the due date and the overdue count."""
    rows = rows_by_name(session, org)
    kamran, ola = rows["کامران مرادی"], rows["Ola Zielińska"]
    assert (kamran.onboarding_percent, kamran.onboarding_state) == (25, "late")
    assert kamran.overdue_count == 1 and kamran.open_count == 1
    assert (ola.onboarding_percent, ola.onboarding_state, ola.overdue_count) == (100, "complete", 0)
    assert kamran.days_since_hire == (NOW.date() - kamran.hire_date).days


def test_csat_counts_the_last_90_days_only(session, org, ctx) -> None:
    """Test that CSAT is the mean of the last 90 days' scores, with how many there were."""
    for days, csat in ((1, 5), (30, 3), (89, 4), (120, 1)):
        factories.feedback_item(session, org.ola, occurred_at=NOW - timedelta(days=days), csat=csat)
    factories.feedback_item(session, org.ola, occurred_at=NOW - timedelta(days=2), nps=9)
    session.commit()
    ola = rows_by_name(session, org)["Ola Zielińska"]
    assert (ola.csat_average, ola.csat_count) == (4.0, 3)


def test_last_activity_is_the_latest_progress(session, org, ctx) -> None:
    """Test that the last activity is the newest time any progress row records."""
    rows = rows_by_name(session, org)
    assert rows["کامران مرادی"].last_activity_at == NOW - timedelta(days=2)
    assert rows["Ola Zielińska"].last_activity_at == NOW - timedelta(days=20)


def test_opening_a_module_through_the_learner_engine_starts_its_track(session, org, ctx) -> None:
    """Test that a module launched through the learner's service shows as in progress."""
    assignment = session.get(Assignment, org.assignments["kamran"].id)
    open_module(session, org.kamran, assignment.id, "complaints", "en", NOW)
    kamran = rows_by_name(session, org)["کامران مرادی"]
    assert kamran.track("problem_solving").status == "in_progress"


def test_people_outside_the_scope_are_not_counted(session, org, ctx) -> None:
    """Test that the manager's report leaves out other teams and the manager."""
    names = set(rows_by_name(session, org))
    assert names == {"Ola Zielińska", "کامران مرادی", "Sofia Marques"}
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 4
