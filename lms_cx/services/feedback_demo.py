"""The demo's closed loop: themes for its feedback, a remedial rule per track, their assignments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models import Module, RemedialRule, Track
from lms_cx.services.feedback_remedial import apply_remedial_rules
from lms_cx.services.feedback_themes import remap_feedback_themes

#: One rule per track: (track, rule name, module assigned when the curriculum is loaded).
#: Each fires at three negative items (CSAT 1-2) within ``DEMO_WINDOW_DAYS``.
DEMO_REMEDIAL_RULES = (
    ("communication", "Tone and empathy refresher", "comm-empathy"),
    ("persona_awareness", "Know the customer refresher", "persona-adapting-your-approach"),
    ("problem_solving", "First-contact resolution refresher", "ps-first-contact-resolution"),
    ("product_knowledge", "Plans and billing refresher", "pk-plans-and-billing"),
)

#: Wider than the usual 30 days, so the demo's few months of feedback show the loop closing.
DEMO_WINDOW_DAYS = 45


def prepare_demo_feedback(session: Session, now: datetime) -> int:
    """Map the feedback to tracks, add the demo's remedial rules and apply them (idempotent).

    Rules are added only for modules that are loaded (``flask lms-cx content sync``); returns
    how many remedial assignments this call created.
    """
    remap_feedback_themes(session)
    tracks = dict(session.execute(sa.select(Track.code, Track.id)).all())
    modules = dict(session.execute(sa.select(Module.slug, Module.id)).all())
    existing = set(session.scalars(sa.select(RemedialRule.name)))
    for code, name, slug in DEMO_REMEDIAL_RULES:
        if name in existing or code not in tracks or slug not in modules:
            continue
        session.add(
            RemedialRule(
                name=name,
                track_id=tracks[code],
                min_negative_items=3,
                window_days=DEMO_WINDOW_DAYS,
                csat_max=2,
                module_id=modules[slug],
                due_in_days=14,
            )
        )
    session.commit()
    return len(apply_remedial_rules(session, now=now))
