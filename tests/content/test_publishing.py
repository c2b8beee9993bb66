"""Publishing: immutable numbered versions, no empty versions, and what changed."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.content.reader import read_content
from lms_cx.models import Course, CourseVersion, Module, ModuleVersion
from lms_cx.services.content_sync import known_ids, sync_content
from lms_cx.services.publishing import (
    course_changes,
    preview_module_changes,
    publish_course,
    publish_module,
)
from tests.content.test_reader import good_content


def load(session, folder) -> None:  # noqa: ANN001
    sync_content(session, read_content([folder], known_ids(session)))


def test_first_publish_freezes_version_one(session, tmp_path) -> None:
    """Test that publishing makes version 1 holding the lessons, quiz and personas."""
    load(session, good_content(tmp_path))
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    published = publish_module(session, module)
    assert published.created and published.version.version == 1
    snapshot = published.version.snapshot
    assert snapshot["lessons"][0]["body"] == {"en": "# Listening\n\nListen first.\n"}
    assert [q["slug"] for q in snapshot["quiz"]["questions"]] == ["q1", "q2"]
    assert snapshot["personas"][0]["name"] == {"en": "Cara Caller"}
    assert published.version.change_summary == {"first_version": True}


def test_publishing_unchanged_drafts_makes_no_new_version(session, tmp_path) -> None:
    """Test that a second publish without edits returns version 1 again."""
    load(session, good_content(tmp_path))
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    publish_module(session, module)
    again = publish_module(session, module)
    assert not again.created and again.version.version == 1
    assert session.scalar(sa.select(sa.func.count(ModuleVersion.id))) == 1


def test_version_two_records_what_changed_and_version_one_stays(session, tmp_path) -> None:
    """Test that edits publish as version 2 with a change summary; version 1 is untouched."""
    folder = good_content(tmp_path)
    load(session, folder)
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    first = publish_module(session, module).version
    frozen = dict(first.snapshot)
    (folder / "course-a/listen/01-intro.en.md").write_text("# Listening\n\nEdited.\n")
    bank = folder / "quizzes/listen.yaml"
    bank.write_text(bank.read_text().replace("Silence is always awkward.", "Pauses are awkward."))
    load(session, folder)
    preview = preview_module_changes(session, module)
    second = publish_module(session, module).version
    assert second.version == 2
    assert second.change_summary == preview
    assert second.change_summary["lessons"] == {"added": [], "removed": [], "edited": ["intro"]}
    assert second.change_summary["questions"] == {"added": [], "removed": [], "edited": ["q1"]}
    session.expire_all()
    assert session.get(ModuleVersion, first.id).snapshot == frozen


def test_course_publish_pins_module_versions(session, tmp_path) -> None:
    """Test that a course version lists the module versions it was published with."""
    folder = good_content(tmp_path)
    load(session, folder)
    course = session.scalar(sa.select(Course).where(Course.slug == "course-a"))
    first = publish_course(session, course)
    assert first.created and first.version.snapshot["modules"][0]["version"] == 1
    assert not publish_course(session, course).created
    (folder / "course-a/listen/01-intro.en.md").write_text("# Changed\n")
    load(session, folder)
    second = publish_course(session, course)
    assert second.version.version == 2
    assert second.version.snapshot["modules"][0]["version"] == 2
    assert second.version.change_summary["modules"]["edited"] == ["listen"]
    assert session.scalar(sa.select(sa.func.count(CourseVersion.id))) == 2


def test_sync_publish_command_reports_versions(runner, tmp_path) -> None:
    """Test that `content sync --publish` publishes once and then reports unchanged."""
    folder = good_content(tmp_path)
    first = runner.invoke(args=["lms-cx", "content", "sync", str(folder), "--publish"])
    assert first.exit_code == 0, first.output
    assert "course course-a: published version 1" in first.output
    second = runner.invoke(args=["lms-cx", "content", "sync", str(folder), "--publish"])
    assert "Nothing changed." in second.output
    assert "course course-a: unchanged at version 1" in second.output
    exported = runner.invoke(
        args=["lms-cx", "content", "export", "listen", "--to", str(tmp_path / "x")]
    )
    assert exported.exit_code == 0 and "module.yaml" in exported.output
    missing = runner.invoke(args=["lms-cx", "content", "export", "nope"])
    assert missing.exit_code == 2 and "no module with the id 'nope'" in missing.output


def test_course_changes_compare_modules_by_version_and_rules_not_row_ids() -> None:
    """Test that the course summary (the trainer's preview and the version's record alike)
    ignores version row ids, and names added, removed and edited modules and settings."""
    old = {
        "title": {"en": "Course"},
        "modules": [
            {"slug": "a", "module_version_id": 1, "version": 1, "move_on": "Passed"},
            {"slug": "b", "module_version_id": 2, "version": 1, "move_on": "Passed"},
        ],
    }
    draft = {
        "title": {"en": "Course, renamed"},
        "modules": [
            {"slug": "a", "version": 1, "move_on": "Passed"},
            {"slug": "c", "version": 1, "move_on": "Passed"},
        ],
    }
    assert course_changes(None, draft) == {"first_version": True}
    assert course_changes(old, draft) == {
        "modules": {"added": ["c"], "removed": ["b"], "edited": []},
        "settings": ["title"],
    }
    bumped = dict(draft, modules=[dict(draft["modules"][0], version=2, module_version_id=9)])
    assert course_changes(old, bumped)["modules"]["edited"] == ["a"]
