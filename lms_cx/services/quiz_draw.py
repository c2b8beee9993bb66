"""Draw an attempt's questions from a module version's quiz snapshot.

Each pool gives ``draw`` of its questions at random; questions outside any pool always appear.
Questions are shuffled when the bank says so, options too; the items of an ordering question
and the answers of a matching question are always shuffled (their order is the answer). What
was drawn is frozen in ``QuizAttempt.drawn``, so reloading a page never redraws.
"""

from __future__ import annotations

import random
from typing import Any

#: Question types whose options follow the bank's ``shuffle_options``.
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice", "scenario"})


def question_key(bank_slug: str, question_slug: str) -> str:
    """Return a question's key in a snapshot: ``bank-slug/question-slug``."""
    return f"{bank_slug}/{question_slug}"


def questions_by_key(quiz: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return a quiz snapshot's questions by key."""
    return {question_key(quiz["slug"], q["slug"]): q for q in quiz["questions"]}


def _shuffled(ids: list[str], rng: random.Random, *, avoid_identity: bool = False) -> list[str]:
    order = list(ids)
    rng.shuffle(order)
    if avoid_identity and len(order) > 1 and order == ids:
        # A puzzle handed over already solved teaches nothing.
        order = order[1:] + order[:1]
    return order


def draw_questions(quiz: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Return the drawn questions: ``{"key", "options"?, "steps"?, "matches"?}`` in order."""
    questions = quiz["questions"]
    draws = {pool["slug"]: pool["draw"] for pool in quiz.get("pools", [])}
    by_pool: dict[str | None, list[dict[str, Any]]] = {}
    for question in questions:
        pool = question.get("pool") if question.get("pool") in draws else None
        by_pool.setdefault(pool, []).append(question)
    chosen_slugs: set[str] = {q["slug"] for q in by_pool.get(None, [])}
    for pool, count in sorted(draws.items()):
        members = by_pool.get(pool, [])
        chosen_slugs |= {q["slug"] for q in rng.sample(members, min(count, len(members)))}
    drawn = [q for q in questions if q["slug"] in chosen_slugs]
    if quiz.get("shuffle_questions"):
        rng.shuffle(drawn)
    return [_presentation(quiz, question, rng) for question in drawn]


def _presentation(quiz: dict[str, Any], question: dict[str, Any], rng: random.Random) -> dict:
    data, kind = question["data"], question["type"]
    shuffle = bool(quiz.get("shuffle_options"))
    drawn: dict[str, Any] = {"key": question_key(quiz["slug"], question["slug"])}
    if kind in CHOICE_TYPES:
        ids = [option["id"] for option in data["options"]]
        drawn["options"] = _shuffled(ids, rng) if shuffle else ids
        if data.get("steps"):
            drawn["steps"] = {
                step["id"]: (_shuffled(ids, rng) if shuffle else ids)
                for step in data["steps"]
                for ids in [[option["id"] for option in step["options"]]]
            }
    elif kind == "ordering":
        ids = [item["id"] for item in data["items"]]
        drawn["options"] = _shuffled(ids, rng, avoid_identity=True)
    elif kind == "matching":
        ids = [pair["id"] for pair in data["pairs"]]
        drawn["matches"] = _shuffled(ids, rng)
    return drawn


def ordered(items: list[dict[str, Any]], order: list[str] | None) -> list[dict[str, Any]]:
    """Return ``items`` (dicts with ``id``) in the drawn ``order`` (as authored when None)."""
    if not order:
        return list(items)
    by_id = {item["id"]: item for item in items}
    return [by_id[item_id] for item_id in order if item_id in by_id]
