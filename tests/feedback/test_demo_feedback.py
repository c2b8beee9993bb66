"""The demo organisation shows themes and, where thresholds are crossed, remedial training."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from lms_cx.models import Assignment, FeedbackTheme
from lms_cx.services.demo import load_demo
from lms_cx.services.feedback_demo import DEMO_REMEDIAL_RULES
from lms_cx.services.feedback_remedial import remedial_reasons
from tests import factories


def test_the_demo_maps_themes_and_assigns_remedial_training_once(session) -> None:
    """Test that with the curriculum's modules loaded, the demo closes the loop once."""
    for track, _name, slug in DEMO_REMEDIAL_RULES:
        factories.track_module(session, slug, track)
    session.commit()
    first = load_demo(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(FeedbackTheme)) > 100
    assert first.remedial_assignments >= 1
    remedial = session.scalars(sa.select(Assignment).where(Assignment.source == "remedial")).all()
    per_track = Counter((row.employee_id, row.reason_data["track"]) for row in remedial)
    assert set(per_track.values()) == {1}
    assert load_demo(session).remedial_assignments == 0
    reasons = remedial_reasons(session, remedial, "en")
    assert all(reason.items and reason.summary for reason in reasons.values())


def test_the_demo_without_modules_still_maps_themes(session) -> None:
    """Test that without the curriculum the demo maps themes but adds no remedial rule."""
    summary = load_demo(session)
    assert summary.remedial_assignments == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(FeedbackTheme)) > 100
