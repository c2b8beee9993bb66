"""The authoring services' own rules: slugs, per-locale merging, all-or-nothing saves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms_cx.models import Lesson, Module, Persona, QuestionBank
from lms_cx.services import authoring_banks
from lms_cx.services.authoring import (
    FORM,
    FieldErrors,
    Localized,
    merge_localized,
    saving,
    set_text,
    slug_problem,
)
from lms_cx.services.authoring_modules import ModuleFields, clone_module, update_module
from lms_cx.services.authoring_questions import question_problems


@pytest.mark.parametrize("slug", ["listen", "de-escalation-101", "a"])
def test_good_slugs_pass(slug: str) -> None:
    """Test that lowercase words joined by single hyphens are slugs."""
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["", "Listen", "two words", "trailing-", "a--b", "ü", "x" * 121])
def test_bad_slugs_are_explained(slug: str) -> None:
    """Test that capitals, spaces, stray hyphens, non-ASCII and long slugs are refused."""
    assert "slug" in (slug_problem(slug) or "")


def test_set_text_replaces_one_locale_and_blank_removes_it() -> None:
    """Test that editing one language never touches the others."""
    texts = {"en": "Hello", "fa": "سلام"}
    assert set_text(texts, "pl", " Cześć ") == {"en": "Hello", "fa": "سلام", "pl": "Cześć"}
    assert set_text(texts, "fa", "") == {"en": "Hello"}
    assert set_text(None, "en", "a\r\nb", multiline=True) == {"en": "a\nb"}


def test_merge_localized_matches_items_by_id_and_keeps_other_locales() -> None:
    """Test that options keep their other-language texts even when reordered or removed."""
    old = {
        "options": [
            {"id": "a", "text": {"en": "Yes", "fa": "بله"}, "correct": True},
            {"id": "b", "text": {"en": "No", "fa": "نه"}, "feedback": {"en": "Wrong"}},
        ]
    }
    new = {
        "options": [
            {"id": "b", "text": Localized("Nie"), "correct": False, "feedback": Localized("")},
            {"id": "c", "text": Localized("Może"), "correct": False},
        ]
    }
    assert merge_localized(new, old, "pl") == {
        "options": [
            {
                "id": "b",
                "text": {"en": "No", "fa": "نه", "pl": "Nie"},
                "correct": False,
                "feedback": {"en": "Wrong"},
            },
            {"id": "c", "text": {"pl": "Może"}, "correct": False},
        ]
    }


def test_question_problems_use_the_type_registry() -> None:
    """Test that a question's data is checked by the same registry as quiz files."""
    problems = question_problems(
        {
            "id": "q",
            "type": "ordering",
            "prompt": {"en": "Order"},
            "items": [{"id": "a", "text": {"en": "One"}}],
        }
    )
    assert problems.errors == {"items": ["Give at least 2."]}
    assert question_problems({"id": "q", "type": "essay"}).errors == {
        "type": ["Choose one of the question types."]
    }


def test_a_failing_clone_leaves_nothing_behind(session, make_module, make_bank, monkeypatch):
    """Test that when copying the bank fails halfway, the half-made module is rolled back."""
    make_module("listen", bank=make_bank())

    def broken_copy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk full")

    monkeypatch.setattr(authoring_banks, "copy_bank", broken_copy)
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    with pytest.raises(RuntimeError):
        clone_module(session, module, "listen-copy", "en")
    session.expire_all()
    assert list(session.scalars(sa.select(Module.slug))) == ["listen"]
    assert session.scalar(sa.select(sa.func.count(Lesson.id))) == 2
    assert session.scalar(sa.select(sa.func.count(QuestionBank.id))) == 1


def test_a_refused_module_save_changes_nothing(session, make_module):
    """Test that one bad value (an unknown persona) stops every other change of the save."""
    module = make_module("listen")
    fields = ModuleFields(
        title="Renamed",
        lifecycle_stage="ongoing",
        track_code="problem_solving",
        estimated_minutes=5,
        persona_slugs=["nobody"],
    )
    with pytest.raises(FieldErrors) as refused:
        update_module(session, module, fields, "en")
    assert refused.value.errors == {"personas": ["There is no persona “nobody”."]}
    session.expire_all()
    module = session.get(Module, module.id)
    assert (module.title, module.lifecycle_stage, module.estimated_minutes) == (
        {"en": "Module listen"},
        "onboarding",
        20,
    )


def test_a_conflict_caught_by_the_database_becomes_a_form_error(session) -> None:
    """Test that a unique-index violation is rolled back and reported, not raised raw."""
    with pytest.raises(FieldErrors) as conflict, saving(session):
        session.add_all([Persona(slug="twin", name={"en": "A"}), Persona(slug="twin")])
    assert FORM in conflict.value.errors
    assert session.scalar(sa.select(sa.func.count(Persona.id))) == 0
