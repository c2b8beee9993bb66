"""Modules from the web: create, edit, clone, archive, and the list's filters."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.models import Lesson, Module, ModulePersona, Question, QuestionBank
from lms_cx.services.publishing import publish_module
from tests.trainer.conftest import BASE, page

NEW_MODULE = {
    "slug": "tone-basics",
    "title": "Tone basics",
    "description": "How you sound.",
    "track": "communication",
    "lifecycle_stage": "onboarding",
    "estimated_minutes": "25",
    "default_locale": "en",
    "bank": "",
    "attempts_limit": "3",
    "time_limit_minutes": "",
    "feedback_mode": "immediate",
}


def modules(session) -> list[str]:  # noqa: ANN001
    session.expire_all()
    return list(session.scalars(sa.select(Module.slug).order_by(Module.slug)))


def test_trainer_creates_a_module_and_lands_on_its_editor(client, session, trainer, make_persona):
    """Test that the new-module form creates a draft module with its personas."""
    make_persona("cara-caller")
    response = client.post(f"{BASE}/modules/new", data={**NEW_MODULE, "personas": ["cara-caller"]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cx/trainer/modules/tone-basics/")
    module = session.scalar(sa.select(Module).where(Module.slug == "tone-basics"))
    assert module.title == {"en": "Tone basics"}
    assert module.estimated_minutes == 25 and module.attempts_limit == 3
    assert module.time_limit_minutes is None
    assert session.scalar(sa.select(sa.func.count()).select_from(ModulePersona)) == 1
    html = page(client, "/modules/tone-basics/")
    assert "Tone basics" in html and "Never published" in html


def test_bad_slug_and_missing_minutes_are_shown_next_to_their_fields(client, session, trainer):
    """Test that slug and minutes errors sit next to their fields, tied by aria-describedby,
    and that nothing is written."""
    data = {**NEW_MODULE, "slug": "Tone Basics!", "estimated_minutes": ""}
    response = client.post(f"{BASE}/modules/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="slug-error"' in html and "lowercase letters, digits" in html
    assert 'aria-describedby="slug-hint slug-error"' in html
    assert 'id="estimated_minutes-error"' in html and "Enter the estimated minutes." in html
    assert modules(session) == []


def test_taken_slug_and_missing_title_are_refused_by_the_service(
    client, session, trainer, make_module
):
    """Test that a duplicate slug and a title missing in the default language are reported
    next to those fields and the existing module is untouched."""
    make_module("tone-basics")
    response = client.post(f"{BASE}/modules/new", data={**NEW_MODULE, "title": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The slug “tone-basics” is already taken" in html
    assert 'id="title-error"' in html and "Enter the title in en" in html
    assert modules(session) == ["tone-basics"]


def test_editing_a_translation_keeps_the_other_languages(client, session, trainer, make_module):
    """Test that saving the Persian title leaves the English one as it was."""
    make_module("listen")
    data = {**NEW_MODULE, "slug": "listen", "title": "گوش دادن", "description": ""}
    response = client.post(f"{BASE}/modules/listen/edit?locale=fa", data=data)
    assert response.status_code == 302
    session.expire_all()
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    assert module.title == {"en": "Module listen", "fa": "گوش دادن"}
    html = page(client, "/modules/listen/edit?locale=fa")
    assert 'lang="fa"' in html and 'dir="rtl"' in html and "گوش دادن" in html


def test_slug_can_change_until_the_module_is_published(client, session, trainer, make_module):
    """Test that an unpublished module can be renamed, a published one cannot."""
    module = make_module("listen")
    data = {**NEW_MODULE, "slug": "listening", "title": "Listening"}
    assert client.post(f"{BASE}/modules/listen/edit", data=data).status_code == 302
    assert modules(session) == ["listening"]
    session.expire_all()
    publish_module(session, session.get(Module, module.id))
    html = page(client, "/modules/listening/edit")
    assert 'name="slug"' not in html and "fixed: the module is published" in html
    data = {**NEW_MODULE, "slug": "other", "title": "Listening"}
    assert client.post(f"{BASE}/modules/listening/edit", data=data).status_code == 302
    assert modules(session) == ["listening"]


def test_clone_copies_lessons_personas_and_bank_as_a_new_draft(
    client, session, trainer, make_module, make_bank, make_persona
):
    """Test that cloning gives a new slug, copies lessons, persona links and the quiz bank,
    and publishes nothing."""
    make_persona("cara-caller")
    bank = make_bank("listen")
    original = make_module("listen", bank=bank, personas=["cara-caller"])
    publish_module(session, original)
    html = page(client, "/modules/listen/clone")
    assert 'value="listen-copy"' in html
    response = client.post(
        f"{BASE}/modules/listen/clone",
        data={"slug": "listen-copy", "title": "Listening, again", "copy_bank": "y"},
    )
    assert response.status_code == 302
    session.expire_all()
    copy = session.scalar(sa.select(Module).where(Module.slug == "listen-copy"))
    assert copy.title == {"en": "Listening, again"}
    assert [lesson.slug for lesson in copy.lessons] == ["intro", "practice"]
    assert [link.persona.slug for link in copy.module_personas] == ["cara-caller"]
    copied_bank = session.get(QuestionBank, copy.question_bank_id)
    assert copied_bank.slug == "listen-copy" and len(copied_bank.questions) == 2
    assert copy.versions == []
    assert "Never published" in page(client, "/modules/listen-copy/")


def test_clone_can_share_the_bank_and_refuses_a_taken_slug(
    client, session, trainer, make_module, make_bank
):
    """Test that an unticked "copy the bank" shares it, and a taken slug writes nothing."""
    bank = make_bank("listen")
    make_module("listen", bank=bank)
    taken = client.post(f"{BASE}/modules/listen/clone", data={"slug": "listen"})
    assert taken.status_code == 422 and "already taken" in taken.get_data(as_text=True)
    assert modules(session) == ["listen"]
    response = client.post(f"{BASE}/modules/listen/clone", data={"slug": "listen-b"})
    assert response.status_code == 302
    session.expire_all()
    copy = session.scalar(sa.select(Module).where(Module.slug == "listen-b"))
    assert copy.question_bank_id == bank.id
    assert session.scalar(sa.select(sa.func.count(QuestionBank.id))) == 1


def test_archiving_is_refused_while_a_live_course_holds_the_module(
    client, session, trainer, make_module, make_course
):
    """Test that archive explains which course holds the module; restore brings it back."""
    module = make_module("listen")
    make_course("onboarding", [module])
    response = client.post(f"{BASE}/modules/listen/archive", follow_redirects=True)
    assert "Remove the module from these courses before archiving it" in response.get_data(
        as_text=True
    )
    session.expire_all()
    assert session.get(Module, module.id).archived_at is None
    make_module("solo")
    client.post(f"{BASE}/modules/solo/archive")
    assert "solo" not in page(client, "/modules/")
    assert "solo" in page(client, "/modules/?status=archived")
    client.post(f"{BASE}/modules/solo/restore")
    assert "solo" in page(client, "/modules/")


def test_list_filters_by_track_stage_and_status(client, session, trainer, make_module):
    """Test that the module list filters by track, stage and publishing status."""
    published = make_module("listen")
    make_module("plans", track="product_knowledge", lifecycle_stage="ongoing")
    publish_module(session, published)
    assert "plans" not in page(client, "/modules/?track=communication")
    assert "listen" not in page(client, "/modules/?stage=ongoing")
    drafts = page(client, "/modules/?status=draft")
    assert "/modules/plans/" in drafts and "/modules/listen/" not in drafts
    assert "/modules/listen/" in page(client, "/modules/?status=published")
    client.post(
        f"{BASE}/modules/listen/lessons/intro/",
        data={"title": "Introduction", "body": "Changed text.", "save": "Save lesson"},
    )
    changed = page(client, "/modules/?status=changed")
    assert "/modules/listen/" in changed and "Unpublished changes" in changed
    assert "/modules/listen/" in page(client, "/modules/?q=LISTEN")


def test_create_quiz_bank_for_a_module(client, session, trainer, make_module):
    """Test that the module page's button makes an empty bank named after the module."""
    make_module("listen", lessons=[])
    response = client.post(f"{BASE}/modules/listen/quiz")
    assert response.status_code == 302 and response.headers["Location"].endswith("/banks/listen/")
    session.expire_all()
    module = session.scalar(sa.select(Module).where(Module.slug == "listen"))
    assert session.get(QuestionBank, module.question_bank_id).slug == "listen"
    assert session.scalar(sa.select(sa.func.count(Question.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Lesson.id))) == 0
