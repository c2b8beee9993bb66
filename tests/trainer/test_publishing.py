"""Publishing from the web: the change summary before confirming, immutable versions, version
history, and previewing a module as a learner without recording anything."""

from __future__ import annotations

import copy
import re

import sqlalchemy as sa

from lms_cx.models import (
    Course,
    CourseVersion,
    Module,
    ModuleVersion,
    Progress,
    QuizAttempt,
    Statement,
)
from tests.trainer.conftest import BASE, page


def draft_hash(html: str) -> str:
    match = re.search(r'name="draft_hash" type="hidden" value="([0-9a-f]{64})"', html)
    assert match, "the publish page carries no draft hash"
    return match.group(1)


def publish(client, path: str) -> str:  # noqa: ANN001
    """Open a publish page, confirm it, and return the page's HTML before confirming."""
    html = page(client, path)
    response = client.post(BASE + path, data={"draft_hash": draft_hash(html)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return html


def versions(session, slug: str = "listen") -> list[ModuleVersion]:  # noqa: ANN001
    session.expire_all()
    return list(
        session.scalars(
            sa.select(ModuleVersion)
            .join(Module, Module.id == ModuleVersion.module_id)
            .where(Module.slug == slug)
            .order_by(ModuleVersion.version)
        )
    )


def test_publish_v1_edit_then_v2_lists_the_edited_lesson_and_added_question(
    client, session, trainer, make_module, make_bank
):
    """Test that after v1, an edited lesson and an added question show on the publish page,
    v2 records them in its change summary, and v1's snapshot stays as it was."""
    make_module("listen", bank=make_bank())
    first_page = publish(client, "/modules/listen/publish")
    assert "First version: everything is new." in first_page
    assert "Publish version 1" in first_page
    (v1,) = versions(session)
    frozen = copy.deepcopy(v1.snapshot)
    assert v1.published_by_id == trainer.id

    assert (
        client.post(
            f"{BASE}/modules/listen/lessons/intro/",
            data={
                "title": "Introduction",
                "body": "# Listening\n\nListen, then summarise.\n",
                "save": "Save",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{BASE}/banks/listen-quiz/questions/new/true_false",
            data={
                "slug": "q3",
                "prompt": "Silence is always awkward.",
                "answer": "false",
                "weight": "1",
                "pool": "",
                "persona": "",
                "save": "Save",
            },
        ).status_code
        == 302
    )

    second_page = publish(client, "/modules/listen/publish")
    assert "Changes since version 1" in second_page
    assert (
        "Edited: Introduction" in second_page and '<code class="slug">intro</code>' in second_page
    )
    assert "Added: Silence is always awkward." in second_page
    assert "Publish version 2" in second_page

    first, second = versions(session)
    assert second.version == 2
    assert second.change_summary["lessons"] == {"added": [], "removed": [], "edited": ["intro"]}
    assert second.change_summary["questions"] == {"added": ["q3"], "removed": [], "edited": []}
    assert first.snapshot == frozen
    assert first.snapshot["lessons"][0]["body"] == {"en": "# Listening\n\nListen first.\n"}
    assert second.snapshot["lessons"][0]["body"] == {
        "en": "# Listening\n\nListen, then summarise.\n"
    }

    history = page(client, "/modules/listen/versions/")
    assert history.index("Version 2") < history.index("Version 1")
    assert "Edited: Introduction" in history and "First version" in history
    old = page(client, "/modules/listen/versions/1")
    assert "Listen first." in old and "Listen, then summarise." not in old
    assert "Silence is always awkward." not in old


def test_publishing_unchanged_drafts_offers_no_new_version(client, session, trainer, make_module):
    """Test that after publishing, the page says nothing changed and offers no button."""
    make_module("listen")
    publish(client, "/modules/listen/publish")
    html = page(client, "/modules/listen/publish")
    assert "Nothing changed since version 1" in html and "Publish version 2" not in html
    response = client.post(
        f"{BASE}/modules/listen/publish", data={"draft_hash": draft_hash_of(session)}
    )
    assert response.status_code == 302
    assert len(versions(session)) == 1


def draft_hash_of(session) -> str:  # noqa: ANN001
    from lms_cx.services.authoring_publishing import draft_hash

    session.expire_all()
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    return draft_hash(session, module)


def test_drafts_changed_after_the_page_was_shown_are_not_published(
    client, session, trainer, make_module
):
    """Test that publishing with the hash of an older page is refused and re-shows changes."""
    make_module("listen")
    html = page(client, "/modules/listen/publish")
    client.post(
        f"{BASE}/modules/listen/lessons/intro/",
        data={"title": "Introduction", "body": "Changed meanwhile.", "save": "Save"},
    )
    response = client.post(f"{BASE}/modules/listen/publish", data={"draft_hash": draft_hash(html)})
    assert response.status_code == 422
    assert "The drafts changed while you were looking" in response.get_data(as_text=True)
    assert versions(session) == []


def test_problems_block_publishing(client, session, trainer, make_module, make_bank):
    """Test that a module without lessons and a pool drawing more than it holds cannot be
    published, and the page says why."""
    bank = make_bank()
    make_module("listen", lessons=[], bank=bank)
    client.post(f"{BASE}/banks/listen-quiz/pools", data={"slug": "core", "draw_count": "3"})
    html = page(client, "/modules/listen/publish")
    assert "Add at least one lesson." in html
    assert "The pool “core” draws 3 questions but holds 0." in html
    assert "Publish version 1" not in html
    response = client.post(
        f"{BASE}/modules/listen/publish", data={"draft_hash": draft_hash_of(session)}
    )
    assert response.status_code == 422
    assert versions(session) == []


def test_preview_as_learner_shows_drafts_and_records_nothing(
    client, session, trainer, make_module, make_bank, make_persona
):
    """Test that the preview renders lessons (sanitised), personas and questions with an
    answer key, publishes nothing and writes no statement, progress or attempt."""
    make_persona("cara-caller")
    make_module(
        "listen",
        bank=make_bank(),
        personas=["cara-caller"],
        lessons=[("intro", "Introduction", "**Listen** first.<script>alert(1)</script>")],
    )
    html = page(client, "/modules/listen/preview")
    assert "nothing you do here is recorded" in html
    assert "<strong>Listen</strong> first." in html and "<script>alert" not in html
    assert "Cara Caller" in html and "Be heard" in html
    assert "Question 1" in html and "Answer key" in html and "right answer" in html
    session.expire_all()
    for model in (ModuleVersion, Statement, Progress, QuizAttempt):
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_course_publish_shows_module_updates_and_pins_versions(
    client, session, trainer, make_module, make_course
):
    """Test that a course's publish page lists the modules it would publish anew, and the
    course's second version records the edited module."""
    listen = make_module("listen")
    make_course("cx-basics", [listen])
    first = publish(client, "/courses/cx-basics/publish")
    assert "first version" in first
    client.post(
        f"{BASE}/modules/listen/lessons/intro/",
        data={"title": "Introduction", "body": "New text.", "save": "Save"},
    )
    assert "Unpublished changes" in page(client, "/courses/")
    second = publish(client, "/courses/cx-basics/publish")
    assert "version 1 → 2" in second and "Edited: listen" in second
    session.expire_all()
    course = session.scalar(sa.select(Course).where(Course.slug == "cx-basics"))
    rows = session.scalars(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.version)
    ).all()
    assert [row.snapshot["modules"][0]["version"] for row in rows] == [1, 2]
    assert rows[1].change_summary["modules"]["edited"] == ["listen"]
    history = page(client, "/courses/cx-basics/versions/")
    assert "Version 2" in history and "/modules/listen/versions/2" in history
