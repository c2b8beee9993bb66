"""Loading content into drafts: idempotent, all-or-nothing, round-tripping through export."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from lms_cx.content.export import export_module
from lms_cx.content.reader import read_content
from lms_cx.models import (
    Course,
    CourseModule,
    Lesson,
    Module,
    ModulePrerequisite,
    Persona,
    Question,
    QuestionPool,
)
from lms_cx.services.content_sync import known_ids, sync_content
from tests.content.test_reader import good_content

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [ROOT / "courses", ROOT / "quizzes"]


def sync(session, *paths):  # noqa: ANN001, ANN201
    return sync_content(session, read_content(paths, known_ids(session)))


def table_counts(session) -> dict[str, int]:  # noqa: ANN001
    models = (
        Course,
        CourseModule,
        ModulePrerequisite,
        Module,
        Lesson,
        Persona,
        Question,
        QuestionPool,
    )
    return {m.__name__: session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}


def test_syncing_the_shipped_curriculum_twice_changes_nothing(session) -> None:
    """Test that the second sync of courses/ and quizzes/ reports no change at all."""
    first = sync(session, *SHIPPED)
    counts = table_counts(session)
    second = sync(session, *SHIPPED)
    assert first.changed and not second.changed
    assert table_counts(session) == counts
    assert counts["Module"] == 16 and counts["Course"] == 2 and counts["Question"] >= 128
    assert second.unchanged["question"] == counts["Question"]


def test_edits_update_in_place_and_removed_items_go(session, tmp_path) -> None:
    """Test that an edited lesson updates, a removed question goes, and ids stay stable."""
    good_content(tmp_path)
    sync(session, tmp_path)
    module_id = session.scalar(sa.select(Module.id).where(Module.slug == "listen"))
    (tmp_path / "course-a/listen/01-intro.en.md").write_text("# Listening\n\nNew text.\n")
    bank = tmp_path / "quizzes/listen.yaml"
    text = bank.read_text()
    bank.write_text(text[: text.index("  - id: q2")].replace("draw: 2", "draw: 1"))
    report = sync(session, tmp_path)
    assert report.updated["lesson"] == 1 and report.removed["question"] == 1
    session.expire_all()
    lesson = session.scalar(sa.select(Lesson))
    assert lesson.body == {"en": "# Listening\n\nNew text.\n"}
    assert session.scalar(sa.select(Module.id).where(Module.slug == "listen")) == module_id
    assert session.scalars(sa.select(Question.slug)).all() == ["q1"]


def test_renamed_pool_moves_its_questions(session, tmp_path) -> None:
    """Test that renaming a pool (old one removed) keeps questions valid on both databases."""
    good_content(tmp_path)
    sync(session, tmp_path)
    bank = tmp_path / "quizzes/listen.yaml"
    bank.write_text(bank.read_text().replace(": core", ": main"))
    report = sync(session, tmp_path)
    assert report.created["pool"] == 1 and report.removed["pool"] == 1
    assert session.scalars(sa.select(QuestionPool.slug)).all() == ["main"]


def test_export_then_sync_is_a_round_trip(session, tmp_path) -> None:
    """Test that exporting a shipped module and syncing the export changes nothing."""
    sync(session, *SHIPPED)
    counts = table_counts(session)
    for slug in ("comm-empathy", "ps-decide-or-escalate", "pk-plans-and-billing"):
        written = export_module(session, slug, tmp_path / slug)
        assert (tmp_path / slug / slug / "module.yaml") in written
        report = sync(session, tmp_path / slug)
        assert not report.changed, report.lines()
    assert table_counts(session) == counts


def test_exported_files_read_back_identically(session, tmp_path) -> None:
    """Test that export writes the lesson Markdown byte for byte and valid YAML."""
    sync(session, *SHIPPED)
    export_module(session, "comm-active-listening", tmp_path)
    original = ROOT / "courses/cx-onboarding/comm-active-listening"
    for lesson in original.glob("*.md"):
        assert (
            tmp_path / "comm-active-listening" / lesson.name
        ).read_bytes() == lesson.read_bytes()
    content = read_content([tmp_path], known_ids(session))
    assert set(content.modules) == {"comm-active-listening"}
