"""Lessons from the web: Markdown with a sanitised preview, add, edit, reorder, delete."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.models import Lesson, Module
from tests.trainer.conftest import BASE, page

EVIL = (
    "# Greeting\n\nSay **hello**.\n\n<script>alert('x')</script>\n\n"
    '<img src="x.png" onerror="alert(1)">\n\n[call](javascript:alert(1))\n'
)


def lessons(session, slug: str = "listen") -> list[tuple[str, dict]]:  # noqa: ANN001
    session.expire_all()
    module = session.scalar(sa.select(Module).where(Module.slug == slug))
    return [(lesson.slug, lesson.body) for lesson in module.lessons]


def test_preview_renders_sanitised_markdown_without_saving(client, session, trainer, make_module):
    """Test that "Preview" shows the Markdown as HTML with scripts, handlers and script links
    removed, and saves nothing."""
    make_module("listen")
    response = client.post(
        f"{BASE}/modules/listen/lessons/new",
        data={"title": "Greeting", "body": EVIL, "preview": "Preview"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    preview = html[html.index('id="preview-heading"') :]
    assert "<h2>Greeting</h2>" in preview and "<strong>hello</strong>" in preview
    assert "<script>alert" not in html
    assert "onerror" not in preview and "javascript:" not in preview
    assert "not saved yet" in preview
    assert [slug for slug, _body in lessons(session)] == ["intro", "practice"]


def test_saved_lesson_keeps_the_markdown_and_its_page_shows_it_sanitised(
    client, session, trainer, make_module
):
    """Test that saving stores the author's Markdown as typed (line endings normalised) and
    the edit page's preview is sanitised."""
    make_module("listen", lessons=[])
    response = client.post(
        f"{BASE}/modules/listen/lessons/new",
        data={"title": "Greeting", "body": EVIL.replace("\n", "\r\n"), "save": "Save lesson"},
    )
    assert response.status_code == 302
    assert lessons(session) == [("greeting", {"en": EVIL})]
    html = page(client, "/modules/listen/lessons/greeting/")
    preview = html[html.index('id="preview-heading"') :]
    assert "<strong>hello</strong>" in preview and "<script>alert" not in html


def test_lesson_needs_a_title_and_text_in_the_default_language(
    client, session, trainer, make_module
):
    """Test that an empty title and body are refused next to their fields; nothing is added."""
    make_module("listen")
    response = client.post(
        f"{BASE}/modules/listen/lessons/new", data={"title": "", "body": "  ", "save": "Save"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="title-error"' in html and 'id="body-error"' in html
    assert "Enter the lesson text in en" in html
    assert len(lessons(session)) == 2


def test_lesson_slug_is_made_from_the_title_and_must_be_unique(
    client, session, trainer, make_module
):
    """Test that a blank slug comes from the title, and a taken one is refused by name."""
    make_module("listen")
    taken = client.post(
        f"{BASE}/modules/listen/lessons/new",
        data={"title": "Intro", "body": "Text", "slug": "intro", "save": "Save"},
    )
    assert taken.status_code == 422
    assert "The slug “intro” is already taken" in taken.get_data(as_text=True)
    made = client.post(
        f"{BASE}/modules/listen/lessons/new",
        data={"title": "Wrapping up, 2nd time!", "body": "Text", "save": "Save"},
    )
    assert made.status_code == 302
    assert [slug for slug, _ in lessons(session)][-1] == "wrapping-up-2nd-time"


def test_translating_a_lesson_keeps_the_english_text(client, session, trainer, make_module):
    """Test that the Persian body is saved beside the English one, which stays as it was."""
    make_module("listen")
    response = client.post(
        f"{BASE}/modules/listen/lessons/intro/?locale=fa",
        data={"title": "مقدمه", "body": "اول گوش کنید.", "save": "Save"},
    )
    assert response.status_code == 302
    body = dict(lessons(session))["intro"]
    assert body == {"en": "# Listening\n\nListen first.\n", "fa": "اول گوش کنید."}
    html = page(client, "/modules/listen/lessons/intro/?locale=fa")
    assert "You are translating" in html and 'dir="rtl"' in html


def test_lessons_move_up_and_down(client, session, trainer, make_module):
    """Test that moving a lesson reorders the module's lessons."""
    make_module(
        "listen",
        lessons=[("a", "A", "a"), ("b", "B", "b"), ("c", "C", "c")],
    )
    client.post(f"{BASE}/modules/listen/lessons/c/move", data={"direction": "up"})
    assert [slug for slug, _ in lessons(session)] == ["a", "c", "b"]
    client.post(f"{BASE}/modules/listen/lessons/a/move", data={"direction": "down"})
    assert [slug for slug, _ in lessons(session)] == ["c", "a", "b"]
    client.post(f"{BASE}/modules/listen/lessons/c/move", data={"direction": "up"})
    assert [slug for slug, _ in lessons(session)] == ["c", "a", "b"]


def test_deleting_a_lesson_asks_first(client, session, trainer, make_module):
    """Test that GET asks for confirmation and POST deletes the lesson."""
    make_module("listen")
    html = page(client, "/modules/listen/lessons/practice/delete")
    assert "Delete the lesson “Practice”?" in html
    assert len(lessons(session)) == 2
    response = client.post(f"{BASE}/modules/listen/lessons/practice/delete")
    assert response.status_code == 302
    assert [slug for slug, _ in lessons(session)] == ["intro"]
    assert session.scalar(sa.select(sa.func.count(Lesson.id))) == 1
    assert client.get(f"{BASE}/modules/listen/lessons/practice/").status_code == 404
