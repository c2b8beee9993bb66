"""Change summaries with names: which lessons, questions, personas or modules changed.

The summaries themselves come from ``lms_cx.services.publishing`` (slugs only); this module
names each item from the snapshots, so trainers read titles rather than bare slugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms_cx.i18n import pick_text


@dataclass(frozen=True)
class ChangedItem:
    """A lesson, question, persona or module named in a change summary."""

    slug: str
    label: str


@dataclass(frozen=True)
class ChangeGroup:
    """What was added, removed and edited of one kind (``lessons``, ``questions``...)."""

    kind: str
    added: list[ChangedItem]
    removed: list[ChangedItem]
    edited: list[ChangedItem]

    @property
    def empty(self) -> bool:
        """Return True when nothing of this kind changed."""
        return not (self.added or self.removed or self.edited)


@dataclass(frozen=True)
class ChangeView:
    """A change summary with names instead of bare slugs."""

    first_version: bool
    groups: list[ChangeGroup]
    settings: list[str]

    @property
    def empty(self) -> bool:
        """Return True when the summary records no change at all."""
        return not self.first_version and not self.settings and all(g.empty for g in self.groups)


def _labels(snapshot: dict[str, Any] | None, kind: str, locale: str) -> dict[str, str]:
    """Return a readable name for each item of ``kind`` in ``snapshot``, by slug."""
    if not snapshot:
        return {}
    default = snapshot.get("default_locale", "en")
    if kind == "lessons":
        return {i["slug"]: pick_text(i.get("title"), locale, default) for i in snapshot["lessons"]}
    if kind == "personas":
        return {i["slug"]: pick_text(i.get("name"), locale, default) for i in snapshot["personas"]}
    if kind == "questions":
        quiz = snapshot.get("quiz") or {}
        labels = {}
        for question in quiz.get("questions", []):
            prompt = " ".join(pick_text(question.get("prompt"), locale, default).split())
            labels[question["slug"]] = prompt if len(prompt) <= 90 else prompt[:89] + "…"
        return labels
    return {}


def describe_changes(
    summary: dict[str, Any],
    new: dict[str, Any] | None,
    old: dict[str, Any] | None,
    locale: str,
    kinds: tuple[str, ...] = ("lessons", "questions", "personas"),
) -> ChangeView:
    """Return ``summary`` (from ``module_changes`` or a course version) with readable names.

    Added and edited items are named from ``new``, removed ones from ``old``.
    """
    groups = []
    for kind in kinds:
        changes = summary.get(kind) or {}
        now, before = _labels(new, kind, locale), _labels(old, kind, locale)

        def named(slugs: list[str], names: dict[str, str]) -> list[ChangedItem]:
            return [ChangedItem(slug, names.get(slug) or slug) for slug in slugs]

        groups.append(
            ChangeGroup(
                kind,
                named(changes.get("added", []), now),
                named(changes.get("removed", []), before),
                named(changes.get("edited", []), now),
            )
        )
    return ChangeView(bool(summary.get("first_version")), groups, list(summary.get("settings", [])))
