"""Personas from the web: create, translate, clone, archive."""

from __future__ import annotations

import sqlalchemy as sa

from lms_cx.models import Persona
from tests.trainer.conftest import BASE, page

NEW_PERSONA = {
    "slug": "night-shift-nurse",
    "name": "Maja Kowal",
    "segment": "Works nights",
    "summary": "Calls at 7 a.m., tired.",
    "goals": "Sort it in one call\r\n\r\nNo jargon\r\n",
    "frustrations": "",
    "typical_phrases": "",
    "good_looks_like": "",
    "default_locale": "en",
}


def persona(session, slug: str = "night-shift-nurse") -> Persona | None:  # noqa: ANN001
    session.expire_all()
    return session.scalar(sa.select(Persona).where(Persona.slug == slug))


def test_trainer_creates_a_persona_with_lists_one_item_a_line(client, session, trainer):
    """Test that each line of a list field becomes an item; blank lines are dropped."""
    assert client.post(f"{BASE}/personas/new", data=NEW_PERSONA).status_code == 302
    row = persona(session)
    assert row.name == {"en": "Maja Kowal"}
    assert row.goals == {"en": ["Sort it in one call", "No jargon"]}
    assert row.frustrations == {}
    assert "Maja Kowal" in page(client, "/personas/")


def test_persona_needs_a_name_segment_and_valid_unique_slug(client, session, trainer, make_persona):
    """Test that missing name and segment and a taken slug are shown by their fields."""
    make_persona("cara-caller")
    response = client.post(
        f"{BASE}/personas/new",
        data={**NEW_PERSONA, "slug": "cara-caller", "name": "", "segment": ""},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="segment-error"' in html
    assert "The slug “cara-caller” is already taken" in html
    assert persona(session, "night-shift-nurse") is None


def test_translating_a_persona_keeps_english(client, session, trainer, make_persona):
    """Test that the Polish name and goals sit beside the English ones."""
    make_persona("cara-caller")
    response = client.post(
        f"{BASE}/personas/cara-caller/?locale=pl",
        data={**NEW_PERSONA, "name": "Karolina", "segment": "Zajęta mama", "goals": "Szybko"},
    )
    assert response.status_code == 302
    row = persona(session, "cara-caller")
    assert row.name == {"en": "Cara Caller", "pl": "Karolina"}
    assert row.goals == {"en": ["Be heard", "Be quick"], "pl": ["Szybko"]}
    assert row.slug == "cara-caller"


def test_clone_and_archive_a_persona(client, session, trainer, make_persona):
    """Test that a clone copies every text; archived personas leave the list and the
    module form, yet stay on modules that feature them."""
    make_persona("cara-caller")
    response = client.post(
        f"{BASE}/personas/cara-caller/clone", data={"slug": "cara-2", "title": "Cara Two"}
    )
    assert response.status_code == 302
    copy = persona(session, "cara-2")
    assert copy.name == {"en": "Cara Two"} and copy.goals == {"en": ["Be heard", "Be quick"]}
    client.post(f"{BASE}/personas/cara-2/archive")
    assert "cara-2" not in page(client, "/personas/")
    assert "cara-2" in page(client, "/personas/?archived=1")
    assert 'value="cara-2"' not in page(client, "/modules/new")
    client.post(f"{BASE}/personas/cara-2/restore")
    assert persona(session, "cara-2").archived_at is None
