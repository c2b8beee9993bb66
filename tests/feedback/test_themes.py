"""Competency themes: tags first, else keyword stems per language, and re-mapping."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms_cx.errors import ValidationError
from lms_cx.models import FeedbackTheme, KeywordRule, TagTrackMapping, Track
from lms_cx.services.feedback_theme_rules import (
    delete_keyword_rule,
    ensure_default_feedback_rules,
    restore_default_feedback_rules,
    save_keyword_rule,
    save_tag_mapping,
)
from lms_cx.services.feedback_themes import (
    ThemeMapper,
    describe_reason,
    detect_language,
    normalise_for_matching,
    preview_themes,
    remap_feedback_themes,
)
from tests import factories


def _codes(session, matches) -> set[str]:
    codes = dict(session.execute(sa.select(Track.id, Track.code)).all())
    return {codes[match.track_id] for match in matches}


@pytest.mark.parametrize(
    ("comment", "language", "track"),
    [
        ("She was so rude to me", "en", "communication"),
        ("Konsultantka była niegrzeczna", "pl", "communication"),
        ("Konsultant byl niegrzeczny i niemily", "pl", "communication"),  # no Polish letters
        ("Czekałam na odpowiedź tydzień", "pl", "problem_solving"),
        ("Nikt nie wiedział, ile kosztuje abonament", "pl", "product_knowledge"),
        ("کارشناس بی‌ادب بود", "fa", "communication"),
        ("كارشناس بي ادب بود", "fa", "communication"),  # Arabic yeh and kaf, space for ZWNJ
        ("کارشناس بیادب بود", "fa", "communication"),  # written joined
        ("یک ساعت معطل شدم", "fa", "problem_solving"),
    ],
)
def test_keyword_stems_match_across_inflection_and_spelling(
    session, comment, language, track
) -> None:
    """Test that the default stems match inflected, unaccented and Arabic-spelt comments."""
    ensure_default_feedback_rules(session)
    assert _codes(session, preview_themes(session, comment, language)) == {track}


def test_keywords_match_at_word_starts_only(session) -> None:
    """Test that a stem inside another word does not match ("ادب" is not in "بی‌ادب")."""
    mapper = ThemeMapper({}, [("fa", "ادب", 1), ("en", "plan", 4)])
    assert mapper.match([], "کارشناس بی‌ادب بود", "fa") == []
    assert mapper.match([], "Could not explain anything", "en") == []
    assert [m.track_id for m in mapper.match([], "The new plans", "en")] == [4]


def test_keyword_rules_apply_only_to_their_language(session) -> None:
    """Test that an English keyword does not fire on a Polish comment."""
    mapper = ThemeMapper({}, [("en", "ton", 1)])
    assert mapper.match([], "Ton rozmowy był zły", "pl") == []
    assert mapper.match([], "Tone was off", "en") != []


def test_mapped_tags_take_precedence_over_keywords(session) -> None:
    """Test that an item whose tags map to a track is not also matched by keywords."""
    ensure_default_feedback_rules(session)
    matches = preview_themes(session, "The agent was rude about my bill", "en", ["billing"])
    assert _codes(session, matches) == {"product_knowledge"}
    assert [m.reason for m in matches] == ["tag:billing"]
    unmapped = preview_themes(session, "The agent was rude", "en", ["vip"])
    assert _codes(session, unmapped) == {"communication"}


def test_reasons_say_what_matched_in_words(session) -> None:
    """Test that stored reasons read as "tag … → track" and "keyword … (pl, rule …) → track"."""
    ensure_default_feedback_rules(session)
    match = preview_themes(session, "Czekałem pół godziny", "pl")[0]
    assert match.reason == "keyword:pl:czekał:Czekałem"
    words = describe_reason(match.reason, "Problem solving")
    assert words == ["keyword “Czekałem” (pl, rule “czekał”) → Problem solving"]
    assert describe_reason("tag:billing", "Product knowledge") == [
        "tag “billing” → Product knowledge"
    ]


def test_persian_normalisation_folds_letters_and_joiners() -> None:
    """Test that Arabic yeh/kaf become Persian, ZWNJ and short vowels vanish, prefixes join."""
    assert normalise_for_matching("كِتاب") == "کتاب"
    assert normalise_for_matching("بی\u200cادب") == normalise_for_matching("بي ادب") == "بیادب"
    assert normalise_for_matching("می خواهم") == normalise_for_matching("می‌خواهم")
    assert normalise_for_matching("Źle  OBSŁUŻONY") == "zle obsluzony"


def test_language_detection() -> None:
    """Test that comments are told apart by script, Polish letters and common Polish words."""
    assert detect_language("سلام") == "fa"
    assert detect_language("Dziękuję") == "pl"
    assert detect_language("Nie bylo nikogo") == "pl"
    assert detect_language("Nobody answered") == "en"
    assert detect_language("  ") is None


def test_defaults_are_seeded_once_and_deletions_stick(session) -> None:
    """Test that the shipped rules are seeded once, and a deleted one stays deleted."""
    added = ensure_default_feedback_rules(session)
    session.commit()
    assert added > 100
    rude = session.scalar(sa.select(KeywordRule).where(KeywordRule.keyword == "rude"))
    delete_keyword_rule(session, rude.id)
    assert ensure_default_feedback_rules(session) == 0
    assert session.scalar(sa.select(KeywordRule.id).where(KeywordRule.keyword == "rude")) is None
    assert restore_default_feedback_rules(session) == 1


def test_rule_edits_are_validated(session) -> None:
    """Test that bad keyword rules and tag mappings are refused naming the field."""
    track_id = session.scalar(sa.select(Track.id).where(Track.code == "communication"))
    with pytest.raises(ValidationError) as short:
        save_keyword_rule(session, "pl", "a", track_id)
    assert short.value.field == "keyword"
    with pytest.raises(ValidationError) as no_locale:
        save_keyword_rule(session, "", "grumpy", track_id)
    assert no_locale.value.field == "locale"
    with pytest.raises(ValidationError) as no_track:
        save_tag_mapping(session, "vip", None)
    assert no_track.value.field == "track_id"
    save_keyword_rule(session, "en", "grumpy", track_id)
    with pytest.raises(ValidationError) as twice:
        save_keyword_rule(session, "en", "grumpy", track_id)
    assert twice.value.field == "keyword"
    assert save_tag_mapping(session, " Very Important-Person ", track_id).tag == (
        "very_important_person"
    )


def test_remap_applies_edited_rules_to_existing_items(session, org, now) -> None:
    """Test that after editing rules, re-mapping changes exactly the affected items."""
    agent = org.agents[0]
    vip = factories.feedback_item(session, agent, occurred_at=now, csat=2, tags=["vip"])
    grumpy = factories.feedback_item(
        session,
        agent,
        occurred_at=now - timedelta(hours=1),
        csat=1,
        comment="So grumpy",
        language="en",
    )
    session.commit()
    assert vip.themes == [] and grumpy.themes == []
    persona = session.scalar(sa.select(Track.id).where(Track.code == "persona_awareness"))
    communication = session.scalar(sa.select(Track.id).where(Track.code == "communication"))
    save_tag_mapping(session, "vip", persona)
    save_keyword_rule(session, "en", "grump", communication)
    result = remap_feedback_themes(session)
    assert (result.items_changed, result.themes_added, result.themes_removed) == (2, 2, 0)
    assert remap_feedback_themes(session).items_changed == 0
    session.execute(sa.delete(TagTrackMapping).where(TagTrackMapping.tag == "vip"))
    session.commit()
    result = remap_feedback_themes(session)
    assert (result.items_changed, result.themes_removed) == (1, 1)
    assert session.scalar(sa.select(sa.func.count()).select_from(FeedbackTheme)) == 1
