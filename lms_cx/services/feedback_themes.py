"""Competency themes: which tracks a feedback item points to, and why.

An item's tags are looked up in the trainer's tag-to-track table; when its tags give no track
(no tags, or none mapped), its comment is searched for the keyword rules of its language.
Each match is stored as a :class:`~lms_cx.models.FeedbackTheme` whose ``reason`` says what
matched, in a form that :func:`describe_reason` turns into words:

- ``tag:billing`` — the item carries the tag ``billing``;
- ``keyword:pl:czekał:czekałem`` — the Polish rule ``czekał`` matched the word ``czekałem``.

Keywords are stems: ``niegrzeczn`` matches niegrzeczny, niegrzeczna, niegrzecznie. Text and
keywords are compared after :func:`normalise_for_matching`: lower case, accents folded
(``czekalem`` written without Polish letters still matches), and for Persian the Arabic yeh
and kaf read as Persian ones, the zero-width non-joiner and short vowels dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.i18n import gettext as _
from lms_cx.i18n import pick_text
from lms_cx.models import FeedbackItem, FeedbackTheme, KeywordRule, TagTrackMapping, Track

#: Longest ``reason`` the theme table holds.
MAX_REASON_LENGTH = 300

# Letters that do not decompose under NFD but that people type without their marks.
_FOLD = {"ł": "l", "đ": "d", "ø": "o", "ß": "s", "’": "'", "‘": "'", "ʼ": "'"}
# Arabic letters that Persian writes differently (Windows-1256 has no Persian yeh).
_PERSIAN = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه"}
# Dropped entirely: zero-width (non-)joiner, tatweel, soft hyphen, Arabic short vowels.
_DROP = (
    {"\u200c", "\u200d", "\u0640", "\u00ad"} | {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"}
)
# Persian prefixes written joined, with a ZWNJ or with a space: "بی‌ادب", "بی ادب", "بیادب".
_PERSIAN_PREFIXES = ("نمی", "می", "بی")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_POLISH_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
# Compared after folding, so "dziekuje" written without Polish letters still counts.
_POLISH_WORDS = frozenset(
    {
        "nie",
        "sie",
        "jest",
        "byl",
        "byla",
        "bylo",
        "ze",
        "przez",
        "bardzo",
        "dziekuje",
        "obsluga",
        "konsultant",
        "konsultantka",
        "czekalem",
        "czekalam",
        "pani",
        "mnie",
        "juz",
        "ale",
        "ktory",
        "ktora",
        "oraz",
        "zostal",
        "zostala",
        "nikt",
        "tylko",
        "godziny",
        "godzine",
        "minut",
        "razy",
        "dzien",
        "prosze",
        "wszystko",
        "problemu",
        "moj",
        "moja",
    }
)


def normalise_tag(tag: str) -> str:
    """Return ``tag`` as tags are compared: trimmed, lower case, spaces and dashes as ``_``."""
    return re.sub(r"[\s-]+", "_", tag.strip().casefold()).strip("_")


def detect_language(text: str) -> str | None:
    """Guess the language of a comment: ``fa`` (Arabic script), ``pl`` or ``en``."""
    if not text or not text.strip():
        return None
    if _ARABIC_SCRIPT.search(text):
        return "fa"
    if _POLISH_LETTERS.search(text):
        return "pl"
    words = set(re.findall(r"\w+", normalise_for_matching(text)))
    return "pl" if words & _POLISH_WORDS else "en"


def _fold(char: str) -> str:
    """Return one lower-case character with its accents removed (always one character)."""
    lower = char.lower()
    if len(lower) != 1:
        return char
    if lower in _FOLD:
        return _FOLD[lower]
    if lower in _PERSIAN:
        return _PERSIAN[lower]
    decomposed = unicodedata.normalize("NFD", lower)
    return decomposed[0] if decomposed else lower


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Return ``text`` normalised for matching and, per character, its index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text):
        if char in _DROP:
            continue
        folded = " " if char.isspace() else _fold(char)
        if folded == " ":
            if not chars or chars[-1] == " ":
                continue
            word = "".join(chars[_word_start(chars) :])
            if word in _PERSIAN_PREFIXES:
                continue
        chars.append(folded)
        origin.append(position)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def _word_start(chars: list[str]) -> int:
    index = len(chars)
    while index > 0 and chars[index - 1].isalnum():
        index -= 1
    return index


def normalise_for_matching(text: str) -> str:
    """Return ``text`` as keywords are matched against it (see the module's docstring)."""
    return normalise_with_map(text)[0]


@dataclass(frozen=True)
class ThemeMatch:
    """One track an item points to, and the reasons (``tag:...``, ``keyword:...``) why."""

    track_id: int
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Return the reasons joined as stored, cut to the column's length."""
        joined = ""
        for reason in self.reasons:
            candidate = f"{joined}; {reason}" if joined else reason
            if len(candidate) > MAX_REASON_LENGTH:
                break
            joined = candidate
        return joined or self.reasons[0][:MAX_REASON_LENGTH]


@dataclass(frozen=True)
class _Rule:
    keyword: str
    track_id: int
    pattern: re.Pattern[str]


class ThemeMapper:
    """The organisation's tag mappings and keyword rules, loaded once and applied in memory."""

    def __init__(self, tags: dict[str, int], rules: Iterable[tuple[str, str, int]]) -> None:
        self.tags = {normalise_tag(tag): track_id for tag, track_id in tags.items()}
        self.rules: dict[str, list[_Rule]] = defaultdict(list)
        for locale, keyword, track_id in rules:
            stem = normalise_for_matching(keyword)
            if stem:
                pattern = re.compile(r"(?<!\w)" + re.escape(stem) + r"\w*")
                self.rules[locale].append(_Rule(keyword, track_id, pattern))

    @classmethod
    def load(cls, session: Session) -> ThemeMapper:
        """Return a mapper holding the current tag mappings and keyword rules."""
        tags = dict(session.execute(sa.select(TagTrackMapping.tag, TagTrackMapping.track_id)).all())
        rules = session.execute(
            sa.select(KeywordRule.locale, KeywordRule.keyword, KeywordRule.track_id).order_by(
                KeywordRule.id
            )
        ).all()
        return cls(tags, [tuple(row) for row in rules])

    def match(
        self, tags: Sequence[str], comment: str | None, language: str | None
    ) -> list[ThemeMatch]:
        """Return the tracks ``tags`` point to, else those the comment's keywords point to."""
        found: dict[int, list[str]] = {}
        for tag in tags:
            track_id = self.tags.get(normalise_tag(tag))
            if track_id is not None:
                found.setdefault(track_id, []).append(f"tag:{normalise_tag(tag)}")
        if not found and comment:
            found = self._keywords(comment, language or detect_language(comment))
        return [ThemeMatch(track_id, tuple(reasons)) for track_id, reasons in found.items()]

    def _keywords(self, comment: str, language: str | None) -> dict[int, list[str]]:
        rules = self.rules.get((language or "").split("_")[0], [])
        if not rules:
            return {}
        text, origin = normalise_with_map(comment)
        found: dict[int, list[str]] = {}
        for rule in rules:
            hit = rule.pattern.search(text)
            if hit is None:
                continue
            matched = comment[origin[hit.start()] : origin[hit.end() - 1] + 1]
            reason = f"keyword:{language}:{rule.keyword}:{matched[:60]}"
            reasons = found.setdefault(rule.track_id, [])
            if reason not in reasons:
                reasons.append(reason)
        return found


def set_item_themes(item: FeedbackItem, matches: Sequence[ThemeMatch]) -> None:
    """Replace the themes of a new or loaded ``item`` by ``matches``."""
    item.themes = [FeedbackTheme(track_id=m.track_id, reason=m.reason) for m in matches]


@dataclass(frozen=True)
class RemapResult:
    """What re-mapping every item changed."""

    items_checked: int
    items_changed: int
    themes_added: int
    themes_removed: int


def remap_feedback_themes(
    session: Session, *, item_ids: Sequence[int] | None = None, chunk_size: int = 500
) -> RemapResult:
    """Re-derive the themes of every item (or of ``item_ids``) from the current rules; commit.

    Only themes that differ are written, so running it twice changes nothing the second time.
    """
    from lms_cx.services.feedback_theme_rules import ensure_default_feedback_rules

    ensure_default_feedback_rules(session)
    mapper = ThemeMapper.load(session)
    query = sa.select(
        FeedbackItem.id, FeedbackItem.tags, FeedbackItem.comment, FeedbackItem.language
    ).order_by(FeedbackItem.id)
    if item_ids is not None:
        query = query.where(FeedbackItem.id.in_(item_ids))
    rows = session.execute(query).all()
    checked = changed = added = removed = 0
    for start in range(0, len(rows), chunk_size):
        chunk = rows[start : start + chunk_size]
        existing: dict[int, dict[int, str]] = defaultdict(dict)
        for item_id, track_id, reason in session.execute(
            sa.select(
                FeedbackTheme.feedback_item_id, FeedbackTheme.track_id, FeedbackTheme.reason
            ).where(FeedbackTheme.feedback_item_id.in_([row.id for row in chunk]))
        ):
            existing[item_id][track_id] = reason
        for row in chunk:
            checked += 1
            wanted = {
                m.track_id: m.reason
                for m in mapper.match(row.tags or [], row.comment, row.language)
            }
            have = existing.get(row.id, {})
            if wanted == have:
                continue
            changed += 1
            gone = [track for track in have if track not in wanted or have[track] != wanted[track]]
            if gone:
                session.execute(
                    sa.delete(FeedbackTheme).where(
                        FeedbackTheme.feedback_item_id == row.id, FeedbackTheme.track_id.in_(gone)
                    )
                )
            removed += sum(1 for track in gone if track not in wanted)
            for track_id, reason in wanted.items():
                if track_id in have and have[track_id] == reason:
                    continue
                session.add(
                    FeedbackTheme(feedback_item_id=row.id, track_id=track_id, reason=reason)
                )
                if track_id not in have:
                    added += 1
        session.flush()
    session.commit()
    return RemapResult(checked, changed, added, removed)


def describe_reason(reason: str, track_title: str) -> list[str]:
    """Return a theme's stored ``reason`` as sentences: "tag 'billing' → Product knowledge"."""
    sentences = []
    for part in reason.split("; "):
        kind, _sep, rest = part.partition(":")
        if kind == "tag":
            sentences.append(_("tag “%(tag)s” → %(track)s", tag=rest, track=track_title))
        elif kind == "keyword":
            locale, _sep, rest = rest.partition(":")
            keyword, _sep, matched = rest.partition(":")
            if matched and normalise_for_matching(matched) != normalise_for_matching(keyword):
                sentences.append(
                    _(
                        "keyword “%(word)s” (%(locale)s, rule “%(keyword)s”) → %(track)s",
                        word=matched,
                        locale=locale,
                        keyword=keyword,
                        track=track_title,
                    )
                )
            else:
                sentences.append(
                    _(
                        "keyword “%(keyword)s” (%(locale)s) → %(track)s",
                        keyword=matched or keyword,
                        locale=locale,
                        track=track_title,
                    )
                )
        else:
            sentences.append(f"{part} → {track_title}")
    return sentences


@dataclass(frozen=True)
class ThemeView:
    """A theme as pages show it: the track and why, in words."""

    track_code: str
    track_title: str
    reasons: list[str]


def explain_matches(
    session: Session, matches: Sequence[ThemeMatch], locale: str
) -> list[ThemeView]:
    """Return ``matches`` with their tracks' titles and reasons in words."""
    tracks = {track.id: track for track in session.scalars(sa.select(Track))}
    views = []
    for match in sorted(matches, key=lambda m: (tracks[m.track_id].position, m.track_id)):
        track = tracks[match.track_id]
        title = pick_text(track.title, locale) or track.code
        views.append(ThemeView(track.code, title, describe_reason(match.reason, title)))
    return views


def preview_themes(
    session: Session, comment: str, language: str | None = None, tags: Sequence[str] = ()
) -> list[ThemeMatch]:
    """Return the themes a comment (and tags) would get under the current rules, writing nothing."""
    return ThemeMapper.load(session).match(
        [normalise_tag(tag) for tag in tags], comment, language or detect_language(comment)
    )
