"""Fixtures of the trainer's authoring tests: a signed-in trainer and builders of content,
made through the authoring services so tests start from data the real rules accept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms_cx.models import Course, Module, Persona, Question, QuestionBank
from lms_cx.models.people import Employee
from lms_cx.services.authoring import Localized
from lms_cx.services.authoring_banks import BankFields, create_bank
from lms_cx.services.authoring_courses import CourseFields, add_course_module, create_course
from lms_cx.services.authoring_lessons import LessonFields, add_lesson
from lms_cx.services.authoring_modules import ModuleFields, create_module
from lms_cx.services.authoring_personas import PersonaFields, create_persona
from lms_cx.services.authoring_questions import QuestionFields, save_question

BASE = "/cx/trainer"


@pytest.fixture
def trainer(login_as: Callable[..., Employee]) -> Employee:
    """Sign the test client in as a trainer."""
    return login_as("trainer")


@pytest.fixture
def make_persona(session: Session) -> Callable[..., Persona]:
    """Return ``make_persona(slug, name=...)``."""

    def make(slug: str = "cara-caller", name: str = "Cara Caller") -> Persona:
        fields = PersonaFields(
            name=name, segment="Busy parent", goals="Be heard\nBe quick", slug=slug
        )
        return create_persona(session, fields, "en")

    return make


def choice(slug: str, prompt: str = "Which is right?") -> QuestionFields:
    """Return a single-choice question's fields: option a is right."""
    return QuestionFields(
        type="single_choice",
        slug=slug,
        prompt=prompt,
        data={
            "options": [
                {"id": "a", "text": Localized("Right"), "correct": True},
                {"id": "b", "text": Localized("Wrong"), "correct": False},
            ]
        },
    )


@pytest.fixture
def make_bank(session: Session) -> Callable[..., QuestionBank]:
    """Return ``make_bank(slug, questions=[QuestionFields...])``."""

    def make(
        slug: str = "listen-quiz", questions: list[QuestionFields] | None = None
    ) -> QuestionBank:
        bank = create_bank(session, BankFields(title=f"Bank {slug}", slug=slug), "en")
        for fields in questions if questions is not None else [choice("q1"), choice("q2")]:
            save_question(session, bank, None, fields, "en")
        return bank

    return make


@pytest.fixture
def make_module(session: Session) -> Callable[..., Module]:
    """Return ``make_module(slug, lessons=[(slug, title, body)], bank=..., personas=[...])``."""

    def make(
        slug: str = "listen",
        *,
        lessons: list[tuple[str, str, str]] | None = None,
        bank: QuestionBank | None = None,
        personas: list[str] | None = None,
        track: str = "communication",
        **extra: Any,
    ) -> Module:
        module = create_module(
            session,
            ModuleFields(
                slug=slug,
                title=f"Module {slug}",
                track_code=track,
                lifecycle_stage=extra.pop("lifecycle_stage", "onboarding"),
                estimated_minutes=extra.pop("estimated_minutes", 20),
                bank_slug=bank.slug if bank else None,
                persona_slugs=personas or [],
                **extra,
            ),
            "en",
        )
        for lesson_slug, title, body in (
            lessons
            if lessons is not None
            else [
                ("intro", "Introduction", "# Listening\n\nListen first.\n"),
                ("practice", "Practice", "Summarise what you heard.\n"),
            ]
        ):
            add_lesson(
                session, module, LessonFields(title=title, body=body, slug=lesson_slug), "en"
            )
        return module

    return make


@pytest.fixture
def make_course(session: Session) -> Callable[..., Course]:
    """Return ``make_course(slug, modules=[Module...])``."""

    def make(slug: str = "onboarding", modules: list[Module] | None = None) -> Course:
        course = create_course(
            session,
            CourseFields(title=f"Course {slug}", lifecycle_stage="onboarding", slug=slug),
            "en",
        )
        for module in modules or []:
            add_course_module(session, course, module.slug, "CompletedAndPassed", 0.8)
        return course

    return make


def page(client: FlaskClient, path: str, **kwargs: Any) -> str:
    """GET a trainer page; assert it answers 200 and return its HTML."""
    response = client.get(BASE + path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def question_count(session: Session) -> int:
    """Return how many questions exist (to check that a refused save wrote nothing)."""
    session.expire_all()
    return session.query(Question).count()
