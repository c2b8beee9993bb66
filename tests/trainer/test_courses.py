"""Courses from the web: settings, module order, cmi5 rules, prerequisites, clone, archive."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.models import Course, CourseModule, Module, ModulePrerequisite
from tests.trainer.conftest import BASE, page

NEW_COURSE = {
    "slug": "cx-basics",
    "title": "CX basics",
    "description": "",
    "lifecycle_stage": "onboarding",
    "default_locale": "en",
    "certificate_valid_days": "365",
}


def outline(session, slug: str = "cx-basics") -> list[tuple[str, str, float | None]]:  # noqa: ANN001
    session.expire_all()
    return [
        (module_slug, entry.move_on, entry.mastery_score)
        for entry, module_slug in session.execute(
            sa.select(CourseModule, Module.slug)
            .join(Module, Module.id == CourseModule.module_id)
            .join(Course, Course.id == CourseModule.course_id)
            .where(Course.slug == slug)
            .order_by(CourseModule.position)
        )
    ]


def prerequisites(session) -> set[tuple[int, int]]:  # noqa: ANN001
    session.expire_all()
    return {
        (row.module_id, row.requires_module_id)
        for row in session.scalars(sa.select(ModulePrerequisite))
    }


def test_trainer_creates_a_course_and_adds_modules_with_rules(
    client, session, trainer, make_module
):
    """Test that a trainer creates a course and adds modules with moveOn and a mastery %."""
    make_module("listen")
    make_module("empathy")
    assert client.post(f"{BASE}/courses/new", data=NEW_COURSE).status_code == 302
    course = session.scalar(sa.select(Course).where(Course.slug == "cx-basics"))
    assert course.certificate_valid_days == 365
    client.post(
        f"{BASE}/courses/cx-basics/modules",
        data={"module": "listen", "move_on": "CompletedAndPassed", "mastery_score": "80"},
    )
    client.post(
        f"{BASE}/courses/cx-basics/modules",
        data={"module": "empathy", "move_on": "Completed", "mastery_score": ""},
    )
    assert outline(session) == [
        ("listen", "CompletedAndPassed", 0.8),
        ("empathy", "Completed", None),
    ]
    html = page(client, "/courses/cx-basics/")
    assert "80%" in html and "Never published" in html


def test_course_form_errors_sit_next_to_their_fields(client, session, trainer, make_course):
    """Test that a bad slug, a taken slug and zero certificate days are explained by field."""
    make_course("cx-basics")
    response = client.post(
        f"{BASE}/courses/new", data={**NEW_COURSE, "certificate_valid_days": "0"}
    )
    assert response.status_code == 422
    assert 'id="certificate_valid_days-error"' in response.get_data(as_text=True)
    response = client.post(f"{BASE}/courses/new", data=NEW_COURSE)
    assert "The slug “cx-basics” is already taken" in response.get_data(as_text=True)
    response = client.post(f"{BASE}/courses/new", data={**NEW_COURSE, "slug": "cx_basics"})
    assert 'id="slug-error"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Course.id))) == 1


def test_adding_a_module_twice_or_a_bad_mastery_score_is_refused(
    client, session, trainer, make_module, make_course
):
    """Test that a module already in the course is not offered and 120% is refused."""
    module = make_module("listen")
    make_module("empathy")
    make_course("cx-basics", [module])
    twice = client.post(
        f"{BASE}/courses/cx-basics/modules",
        data={"module": "listen", "move_on": "Passed", "mastery_score": ""},
    )
    assert twice.status_code == 422 and 'id="module-error"' in twice.get_data(as_text=True)
    high = client.post(
        f"{BASE}/courses/cx-basics/modules",
        data={"module": "empathy", "move_on": "Passed", "mastery_score": "120"},
    )
    assert high.status_code == 422
    assert "Enter a score from 0 to 100." in high.get_data(as_text=True)
    assert [slug for slug, *_ in outline(session)] == ["listen"]


def test_prerequisites_must_come_earlier_and_block_reordering(
    client, session, trainer, make_module, make_course
):
    """Test that only earlier modules can be prerequisites, and a move that would put a
    prerequisite after its module is refused with an explanation."""
    listen, empathy = make_module("listen"), make_module("empathy")
    make_course("cx-basics", [listen, empathy])
    html = page(client, "/courses/cx-basics/modules/empathy")
    assert 'value="listen"' in html
    assert "nothing comes before it" in page(client, "/courses/cx-basics/modules/listen")
    refused = client.post(
        f"{BASE}/courses/cx-basics/modules/listen",
        data={"move_on": "Passed", "mastery_score": "", "requires": ["empathy"]},
    )
    assert refused.status_code == 422
    assert prerequisites(session) == set()
    saved = client.post(
        f"{BASE}/courses/cx-basics/modules/empathy",
        data={"move_on": "CompletedOrPassed", "mastery_score": "90", "requires": ["listen"]},
    )
    assert saved.status_code == 302
    assert prerequisites(session) == {(empathy.id, listen.id)}
    assert outline(session)[1] == ("empathy", "CompletedOrPassed", 0.9)
    moved = client.post(
        f"{BASE}/courses/cx-basics/modules/empathy/move",
        data={"direction": "up"},
        follow_redirects=True,
    )
    assert "requires “listen”, which must come earlier" in moved.get_data(as_text=True)
    assert [slug for slug, *_ in outline(session)] == ["listen", "empathy"]
    removed = client.post(f"{BASE}/courses/cx-basics/modules/listen/remove", follow_redirects=True)
    assert "These modules require it: “empathy”" in removed.get_data(as_text=True)
    assert [slug for slug, *_ in outline(session)] == ["listen", "empathy"]


def test_modules_move_and_are_removed(client, session, trainer, make_module, make_course):
    """Test that modules move up and down and leave the course (the module itself stays)."""
    modules = [make_module(slug) for slug in ("a", "b", "c")]
    make_course("cx-basics", modules)
    client.post(f"{BASE}/courses/cx-basics/modules/c/move", data={"direction": "up"})
    assert [slug for slug, *_ in outline(session)] == ["a", "c", "b"]
    client.post(f"{BASE}/courses/cx-basics/modules/a/remove")
    assert [slug for slug, *_ in outline(session)] == ["c", "b"]
    assert session.scalar(sa.select(Module).where(Module.slug == "a")) is not None


def test_clone_copies_order_rules_and_prerequisites(
    client, session, trainer, make_module, make_course
):
    """Test that a cloned course holds the same modules, rules and prerequisites."""
    listen, empathy = make_module("listen"), make_module("empathy")
    make_course("cx-basics", [listen, empathy])
    client.post(
        f"{BASE}/courses/cx-basics/modules/empathy",
        data={"move_on": "Passed", "mastery_score": "", "requires": ["listen"]},
    )
    response = client.post(
        f"{BASE}/courses/cx-basics/clone", data={"slug": "cx-basics-2025", "title": "CX 2025"}
    )
    assert response.status_code == 302
    assert outline(session, "cx-basics-2025") == outline(session, "cx-basics")
    copy = session.scalar(sa.select(Course).where(Course.slug == "cx-basics-2025"))
    assert copy.title == {"en": "CX 2025"}
    assert (
        session.scalar(sa.select(sa.func.count()).where(ModulePrerequisite.course_id == copy.id))
        == 1
    )


def test_archive_and_restore_a_course(client, session, trainer, make_course):
    """Test that an archived course leaves the list and comes back when restored."""
    make_course("cx-basics")
    client.post(f"{BASE}/courses/cx-basics/archive")
    assert "cx-basics" not in page(client, "/courses/")
    assert "cx-basics" in page(client, "/courses/?status=archived")
    client.post(f"{BASE}/courses/cx-basics/restore")
    assert "cx-basics" in page(client, "/courses/")
