"""Write a module (its lessons, question bank and personas) back to files in the authoring format.

``export_module`` followed by ``content sync`` of what it wrote changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.models import (
    Lesson,
    Module,
    ModulePersona,
    Persona,
    Question,
    QuestionBank,
    QuestionPool,
    Track,
)


class _AuthoringDumper(yaml.SafeDumper):
    """Block style, Unicode as is, multi-line text as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_AuthoringDumper.add_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any]) -> str:
    """Return ``data`` as authoring YAML (keys in the order given)."""
    return yaml.dump(data, Dumper=_AuthoringDumper, sort_keys=False, allow_unicode=True, width=100)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, {}, [])}


def persona_file(persona: Persona) -> dict[str, Any]:
    """Return a persona in its file format."""
    return _without_empty(
        {
            "id": persona.slug,
            "default_locale": persona.default_locale,
            "name": persona.name,
            "segment": persona.segment,
            "summary": persona.summary,
            "goals": persona.goals,
            "frustrations": persona.frustrations,
            "typical_phrases": persona.typical_phrases,
            "good_looks_like": persona.good_looks_like,
        }
    )


def bank_file(session: Session, bank: QuestionBank) -> dict[str, Any]:
    """Return a question bank in its file format."""
    pools = session.scalars(
        sa.select(QuestionPool).where(QuestionPool.bank_id == bank.id).order_by(QuestionPool.slug)
    ).all()
    pool_slugs = {pool.id: pool.slug for pool in pools}
    personas = dict(session.execute(sa.select(Persona.id, Persona.slug)).all())
    questions = []
    for question in session.scalars(
        sa.select(Question).where(Question.bank_id == bank.id).order_by(Question.position)
    ):
        entry: dict[str, Any] = {"id": question.slug, "type": question.type}
        if question.pool_id:
            entry["pool"] = pool_slugs[question.pool_id]
        if question.persona_id:
            entry["persona"] = personas[question.persona_id]
        entry["prompt"] = question.prompt
        entry.update(question.data)
        if question.explanation:
            entry["explanation"] = question.explanation
        if question.weight != 1.0:
            entry["weight"] = question.weight
        questions.append(entry)
    data: dict[str, Any] = {
        "id": bank.slug,
        "default_locale": bank.default_locale,
        "title": bank.title,
        "shuffle_questions": bank.shuffle_questions,
        "shuffle_options": bank.shuffle_options,
        "pools": [{"id": pool.slug, "draw": pool.draw_count} for pool in pools],
        "questions": questions,
    }
    if bank.source != "yaml":
        data["source"] = bank.source
    return _without_empty(data)


def export_module(session: Session, slug: str, destination: Path) -> list[Path]:
    """Write module ``slug`` with its lessons, bank and personas under ``destination``.

    Layout: ``<slug>/module.yaml`` and lessons beside it, ``quizzes/<bank>.yaml`` and
    ``personas/<persona>.yaml``. Returns the files written.
    """
    module = session.scalar(sa.select(Module).where(Module.slug == slug))
    if module is None:
        raise ValidationError(_("no module with the id %(slug)r", slug=slug), field="MODULE")
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    folder = destination / module.slug
    lessons = []
    for position, lesson in enumerate(
        session.scalars(
            sa.select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position)
        ),
        start=1,
    ):
        files = {}
        for locale, body in sorted(lesson.body.items()):
            name = f"{position:02d}-{lesson.slug}.{locale}.md"
            write(folder / name, body)
            files[locale] = name
        lessons.append({"id": lesson.slug, "title": lesson.title, "body": files})
    personas = session.scalars(
        sa.select(Persona)
        .join(ModulePersona, ModulePersona.persona_id == Persona.id)
        .where(ModulePersona.module_id == module.id)
        .order_by(ModulePersona.position)
    ).all()
    bank = session.get(QuestionBank, module.question_bank_id) if module.question_bank_id else None
    module_data = {
        "id": module.slug,
        "track": session.scalar(sa.select(Track.code).where(Track.id == module.track_id)),
        "lifecycle_stage": module.lifecycle_stage,
        "default_locale": module.default_locale,
        "estimated_minutes": module.estimated_minutes,
        "title": module.title,
        "description": module.description or None,
        "personas": [persona.slug for persona in personas],
        "quiz": bank.slug if bank else None,
        "quiz_settings": {
            "attempts_limit": module.attempts_limit,
            "time_limit_minutes": module.time_limit_minutes,
            "feedback": module.feedback_mode,
        },
        "lessons": lessons,
    }
    write(folder / "module.yaml", dump_yaml(_without_empty(module_data)))
    if bank is not None:
        write(destination / "quizzes" / f"{bank.slug}.yaml", dump_yaml(bank_file(session, bank)))
    for persona in personas:
        write(destination / "personas" / f"{persona.slug}.yaml", dump_yaml(persona_file(persona)))
    return written
