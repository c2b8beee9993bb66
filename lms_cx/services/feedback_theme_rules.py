"""The trainer-edited rules behind themes: tag-to-track mappings and keyword rules.

The shipped defaults (:mod:`lms_cx.services.feedback_defaults`) are seeded once, the first
time themes are needed; a rule the trainer deletes afterwards stays deleted unless they ask
for the defaults back (:func:`restore_default_feedback_rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import KeywordRule, OrganisationSetting, TagTrackMapping, Track
from lms_cx.services.feedback_defaults import DEFAULT_KEYWORD_RULES, DEFAULT_TAG_MAPPINGS
from lms_cx.services.feedback_themes import normalise_for_matching, normalise_tag

#: The organisation setting that records the defaults were seeded (so deletions stick).
SEEDED_SETTING = "feedback.default_rules_seeded"

_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class TrackChoice:
    """A track as a form's option."""

    id: int
    code: str
    title: str


@dataclass(frozen=True)
class TagMappingView:
    """A tag mapping as the trainer's table shows it."""

    id: int
    tag: str
    track_code: str
    track_title: str


@dataclass(frozen=True)
class KeywordRuleView:
    """A keyword rule as the trainer's table shows it."""

    id: int
    locale: str
    keyword: str
    track_code: str
    track_title: str


def track_choices(session: Session, locale: str) -> list[TrackChoice]:
    """Return every track in display order, titled in ``locale``."""
    return [
        TrackChoice(track.id, track.code, pick_text(track.title, locale) or track.code)
        for track in session.scalars(sa.select(Track).order_by(Track.position, Track.code))
    ]


def default_rules_seeded(session: Session) -> bool:
    """Return True once the shipped tag mappings and keyword rules have been seeded."""
    return session.get(OrganisationSetting, SEEDED_SETTING) is not None


def ensure_default_feedback_rules(session: Session, *, restore: bool = False) -> int:
    """Seed the shipped defaults the first time (flushed, not committed); return how many.

    With ``restore``, add whichever defaults are missing even after the first time.
    """
    if not restore and default_rules_seeded(session):
        return 0
    tracks = dict(session.execute(sa.select(Track.code, Track.id)).all())
    tags = set(session.scalars(sa.select(TagTrackMapping.tag)))
    keywords = {
        (locale, keyword, track_id)
        for locale, keyword, track_id in session.execute(
            sa.select(KeywordRule.locale, KeywordRule.keyword, KeywordRule.track_id)
        )
    }
    new_tags = [
        {"tag": tag, "track_id": tracks[code]}
        for tag, code in DEFAULT_TAG_MAPPINGS.items()
        if tag not in tags and code in tracks
    ]
    new_keywords = [
        {"locale": locale, "keyword": keyword, "track_id": tracks[code]}
        for locale, by_track in DEFAULT_KEYWORD_RULES.items()
        for code, stems in by_track.items()
        for keyword in stems
        if code in tracks and (locale, keyword, tracks[code]) not in keywords
    ]
    if new_tags:
        session.execute(sa.insert(TagTrackMapping), new_tags)
    if new_keywords:
        session.execute(sa.insert(KeywordRule), new_keywords)
    added = len(new_tags) + len(new_keywords)
    if not default_rules_seeded(session):
        session.add(OrganisationSetting(key=SEEDED_SETTING, value=True))
    session.flush()
    return added


def restore_default_feedback_rules(session: Session) -> int:
    """Add whichever shipped defaults are missing and commit; return how many were added."""
    added = ensure_default_feedback_rules(session, restore=True)
    session.commit()
    return added


def _track(session: Session, track_id: int | None) -> Track:
    track = session.get(Track, track_id) if track_id is not None else None
    if track is None:
        raise ValidationError(_("choose a competency track"), field="track_id")
    return track


def list_tag_mappings(session: Session, locale: str) -> list[TagMappingView]:
    """Return every tag mapping, by tag."""
    return [
        TagMappingView(mapping.id, mapping.tag, track.code, pick_text(track.title, locale))
        for mapping, track in session.execute(
            sa.select(TagTrackMapping, Track)
            .join(Track, TagTrackMapping.track_id == Track.id)
            .order_by(TagTrackMapping.tag)
        )
    ]


def save_tag_mapping(session: Session, tag: str, track_id: int | None) -> TagTrackMapping:
    """Map ``tag`` to a track (replacing its previous track) and commit."""
    normalised = normalise_tag(tag or "")
    if not normalised:
        raise ValidationError(_("enter a tag"), field="tag")
    if len(normalised) > 100:
        raise ValidationError(_("use at most 100 characters"), field="tag")
    track = _track(session, track_id)
    ensure_default_feedback_rules(session)
    mapping = session.scalar(sa.select(TagTrackMapping).where(TagTrackMapping.tag == normalised))
    if mapping is None:
        mapping = TagTrackMapping(tag=normalised, track_id=track.id)
        session.add(mapping)
    else:
        mapping.track_id = track.id
    session.commit()
    return mapping


def delete_tag_mapping(session: Session, mapping_id: int) -> bool:
    """Delete a tag mapping and commit; return False when there was none."""
    mapping = session.get(TagTrackMapping, mapping_id)
    if mapping is None:
        return False
    session.delete(mapping)
    session.commit()
    return True


def list_keyword_rules(session: Session, locale: str) -> list[KeywordRuleView]:
    """Return every keyword rule, by language, track and keyword."""
    return [
        KeywordRuleView(
            rule.id, rule.locale, rule.keyword, track.code, pick_text(track.title, locale)
        )
        for rule, track in session.execute(
            sa.select(KeywordRule, Track)
            .join(Track, KeywordRule.track_id == Track.id)
            .order_by(KeywordRule.locale, Track.position, KeywordRule.keyword)
        )
    ]


def save_keyword_rule(
    session: Session, locale: str, keyword: str, track_id: int | None
) -> KeywordRule:
    """Add a keyword rule for comments in ``locale`` and commit."""
    locale = (locale or "").strip()
    if not _LOCALE.match(locale):
        raise ValidationError(_("choose the language of the comments"), field="locale")
    keyword = re.sub(r"\s+", " ", (keyword or "").strip())
    if len(normalise_for_matching(keyword)) < 2:
        raise ValidationError(_("enter a word or stem of at least 2 letters"), field="keyword")
    if len(keyword) > 200:
        raise ValidationError(_("use at most 200 characters"), field="keyword")
    if ":" in keyword or ";" in keyword:
        raise ValidationError(_("leave out “:” and “;”"), field="keyword")
    track = _track(session, track_id)
    ensure_default_feedback_rules(session)
    exists = session.scalar(
        sa.select(KeywordRule.id).where(
            KeywordRule.locale == locale,
            KeywordRule.keyword == keyword,
            KeywordRule.track_id == track.id,
        )
    )
    if exists is not None:
        raise ValidationError(_("this rule exists already"), field="keyword")
    rule = KeywordRule(locale=locale, keyword=keyword, track_id=track.id)
    session.add(rule)
    session.commit()
    return rule


def delete_keyword_rule(session: Session, rule_id: int) -> bool:
    """Delete a keyword rule and commit; return False when there was none."""
    rule = session.get(KeywordRule, rule_id)
    if rule is None:
        return False
    session.delete(rule)
    session.commit()
    return True
