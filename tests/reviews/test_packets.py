"""Review packets hold the figures an independent reading of the organisation gives."""

from __future__ import annotations

import math
import statistics

import pytest
import sqlalchemy as sa

from lms_cx.errors import ValidationError
from lms_cx.models import FeedbackItem, FeedbackTheme, ReviewPacket, Track
from lms_cx.services.review_cycles import (
    CycleStateError,
    ReviewSettings,
    close_cycle,
    create_cycle,
    generate_packets,
)
from tests.reviews.conftest import KAMRAN_FEEDBACK, NOW, OLA_FEEDBACK, OLA_PREVIOUS, PERIOD


def _packet(session, cycle, employee) -> ReviewPacket:
    return session.scalar(
        sa.select(ReviewPacket).where(
            ReviewPacket.cycle_id == cycle.id, ReviewPacket.employee_id == employee.id
        )
    )


def _mean_interval(scores: list[int]) -> tuple[float, float, float]:
    mean = statistics.fmean(scores)
    half = 1.96 * statistics.stdev(scores) / math.sqrt(len(scores))
    return mean, max(1, mean - half), min(5, mean + half)


def _nps_interval(scores: list[int]) -> tuple[float, float, float]:
    n = len(scores)
    promoters = sum(score >= 9 for score in scores) / n
    detractors = sum(score <= 6 for score in scores) / n
    nps = 100 * (promoters - detractors)
    half = 1.96 * 100 * math.sqrt((promoters + detractors - (promoters - detractors) ** 2) / n)
    return nps, max(-100, nps - half), min(100, nps + half)


def test_the_population_is_the_teams_and_their_sub_teams(session, org, cycle) -> None:
    """Test that the cycle covers Care (with Phone and Night shift) and Chat, nobody else."""
    covered = {packet.employee_id for packet in cycle.packets}
    assert covered == {org.ola.id, org.kamran.id, org.sofia.id, org.piotr.id}
    assert cycle.status == "open"


def test_training_figures_match_the_assignments_quizzes_and_certificates(
    session, org, cycle
) -> None:
    """Test required training (on time, late, overdue), quiz averages and certificates."""
    training = _packet(session, cycle, org.ola).data["training"]
    # Self-enrolled, cancelled and later work does not count: three rule assignments and the
    # remedial one (late) were due in the quarter.
    assert training["required"] == 4
    assert (training["completed_on_time"], training["completed_late"], training["overdue"]) == (
        1,
        2,
        1,
    )
    assert training["on_time_rate"] == pytest.approx(1 / 4, abs=1e-4)
    # The December attempt (0.5) is outside the quarter.
    assert training["quiz_attempts"] == 2
    assert training["quiz_average"] == pytest.approx(0.8)
    assert training["quiz_by_track"] == [
        {"track": "communication", "attempts": 2, "average": pytest.approx(0.8)}
    ]
    # Valid until 2027; expiring on May 1 (within 60 days of the period's end); expired in Feb.
    assert training["certificates"] == {"valid": 1, "expiring": 1, "expired": 1}


def test_feedback_figures_match_an_independent_computation(session, org, cycle) -> None:
    """Test counts, CSAT and NPS with their intervals, the previous period and themes."""
    feedback = _packet(session, cycle, org.ola).data["feedback"]
    csat = [row[1] for row in OLA_FEEDBACK]
    nps = [row[2] for row in OLA_FEEDBACK]
    assert feedback["count"] == len(OLA_FEEDBACK)
    mean, low, high = _mean_interval(csat)
    assert feedback["csat"]["enough"] is True
    assert feedback["csat"]["value"] == pytest.approx(mean, abs=0.01)
    assert feedback["csat"]["ci_low"] == pytest.approx(low, abs=0.01)
    assert feedback["csat"]["ci_high"] == pytest.approx(high, abs=0.01)
    score, low, high = _nps_interval(nps)
    assert feedback["nps"]["value"] == pytest.approx(score, abs=0.01)
    assert (feedback["nps"]["ci_low"], feedback["nps"]["ci_high"]) == (
        pytest.approx(low, abs=0.01),
        pytest.approx(high, abs=0.01),
    )
    assert feedback["positive"] == sum(score >= 4 for score in csat)
    assert feedback["negative"] == sum(score <= 2 for score in csat)
    previous = feedback["previous"]
    assert previous["count"] == len(OLA_PREVIOUS)
    assert previous["csat"]["value"] == pytest.approx(
        statistics.fmean(c for c, _n in OLA_PREVIOUS), abs=0.01
    )
    assert previous["nps"]["value"] == pytest.approx(
        _nps_interval([n for _c, n in OLA_PREVIOUS])[0], abs=0.01
    )
    themed = session.execute(
        sa.select(Track.code, sa.func.count())
        .join(FeedbackTheme, FeedbackTheme.track_id == Track.id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackTheme.feedback_item_id)
        .where(FeedbackItem.employee_id == org.ola.id, FeedbackItem.occurred_at >= cycle_start())
        .group_by(Track.code)
    ).all()
    assert {t["track"]: t["count"] for t in feedback["themes"]} == dict(themed)
    # The three latest compliments with a comment, newest first.
    praised = [row for row in OLA_FEEDBACK if row[1] >= 4 and row[3]]
    assert [c["comment"] for c in feedback["compliments"]] == [row[3] for row in praised][::-1][:3]


def cycle_start():
    from tests.reviews.conftest import at

    return at(PERIOD[0], 0)


def test_too_few_responses_give_no_number(session, org, cycle) -> None:
    """Test that below the minimum CSAT and NPS are "not enough data", never a figure."""
    feedback = _packet(session, cycle, org.kamran).data["feedback"]
    assert feedback["count"] == len(KAMRAN_FEEDBACK) < 5
    for metric in (feedback["csat"], feedback["nps"]):
        assert metric == {
            "responses": 3,
            "enough": False,
            "value": None,
            "ci_low": None,
            "ci_high": None,
        }
    index = _packet(session, cycle, org.kamran).data["index"]
    assert index["value"] is None and index["enough"] is False


def test_remedial_training_shows_its_outcome(session, org, cycle) -> None:
    """Test the remedial assignment: late, one negative item before it and one after."""
    (line,) = _packet(session, cycle, org.ola).data["remedial"]
    assert line["track"] == "communication"
    assert line["outcome"] == "completed_late"
    assert (line["negative_before"], line["negative_after"]) == (1, 1)


def test_the_readiness_index_is_the_documented_weighted_mean(session, org, cycle) -> None:
    """Test the index against its formula with the default weights, parts shown."""
    packet = _packet(session, cycle, org.ola)
    mean = statistics.fmean(row[1] for row in OLA_FEEDBACK)
    nps = _nps_interval([row[2] for row in OLA_FEEDBACK])[0]
    parts = {
        "training": 25.0,
        "quiz": 80.0,
        "csat": (mean - 1) / 4 * 100,
        "nps": (nps + 100) / 2,
    }
    weights = {"training": 0.3, "quiz": 0.2, "csat": 0.3, "nps": 0.2}
    expected = sum(parts[name] * weights[name] for name in parts)
    assert packet.readiness_index == pytest.approx(expected, abs=0.06)
    shown = {part["name"]: part for part in packet.data["index"]["parts"]}
    for name, value in parts.items():
        assert shown[name]["value"] == pytest.approx(value, abs=0.01)
        assert shown[name]["contribution"] == pytest.approx(value * weights[name], abs=0.01)


def test_weights_and_minimum_come_from_the_configuration(session, org, app) -> None:
    """Test that changing the weights changes the index, and that a bad weight is refused."""
    app.config["LMS_CX_REVIEW_INDEX_WEIGHTS"] = {"training": 0, "quiz": 1, "csat": 0, "nps": 0}
    app.config["LMS_CX_REVIEW_MIN_RESPONSES"] = 1
    cycle = create_cycle(
        session,
        name="Quiz only",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        population={"team_ids": [org.phone.id]},
    )
    generate_packets(session, cycle, ReviewSettings.from_config(app.config), NOW)
    assert _packet(session, cycle, org.ola).readiness_index == pytest.approx(80.0)
    # From the environment the weights are JSON.
    app.config["LMS_CX_REVIEW_INDEX_WEIGHTS"] = '{"csat": 2, "nps": 1}'
    assert ReviewSettings.from_config(app.config).weights == {
        "training": 0.0,
        "quiz": 0.0,
        "csat": 2.0,
        "nps": 1.0,
    }
    app.config["LMS_CX_REVIEW_INDEX_WEIGHTS"] = {"training": -1}
    with pytest.raises(ValidationError) as refused:
        ReviewSettings.from_config(app.config)
    assert refused.value.field == "LMS_CX_REVIEW_INDEX_WEIGHTS"


def test_finalized_packets_stay_as_they_were(session, org, cycle, app) -> None:
    """Test that recomputing leaves a finalized packet alone and a closed cycle refuses."""
    from lms_cx.services.review_cycles import finalize_packets

    packet = _packet(session, cycle, org.ola)
    finalize_packets(session, [packet], NOW)
    frozen = dict(packet.data)
    from tests import factories
    from tests.reviews.conftest import at

    factories.feedback_item(session, org.ola, occurred_at=at(PERIOD[0]), csat=1, nps=0)
    session.commit()
    result = generate_packets(session, cycle, ReviewSettings.from_config(app.config), NOW)
    assert result.kept_final == 1 and result.updated == 3
    session.refresh(packet)
    assert packet.data == frozen
    close_cycle(session, cycle, NOW)
    assert all(p.finalized_at is not None for p in cycle.packets)
    with pytest.raises(CycleStateError):
        generate_packets(session, cycle, ReviewSettings.from_config(app.config), NOW)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"period_end": PERIOD[0].replace(day=1).replace(year=2025)}, "period_end"),
        ({"population": {"team_ids": [987654]}}, "team_ids"),
        ({"previous_cycle_id": 987654}, "previous_cycle_id"),
    ],
)
def test_a_bad_cycle_names_its_field_and_writes_nothing(session, org, fields, field) -> None:
    """Test each refusal of create_cycle names the field and adds no cycle."""
    from lms_cx.models import ReviewCycle

    values = {"name": "Q1", "period_start": PERIOD[0], "period_end": PERIOD[1], **fields}
    with pytest.raises(ValidationError) as refused:
        create_cycle(session, **values)
    assert refused.value.field == field
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(ReviewCycle)) == 0
