"""The feedback pages: who may see them, filters, the item's "why", upload, rule forms."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms_cx.models import FeedbackItem, KeywordRule, RemedialRule, TagTrackMapping, Track
from tests import factories
from tests.feedback.conftest import HEADER, csv_bytes

EDITOR_PAGES = [
    ("get", "/cx/feedback/import"),
    ("get", "/cx/feedback/tags"),
    ("get", "/cx/feedback/keywords"),
    ("get", "/cx/feedback/rules"),
    ("get", "/cx/feedback/rules/new"),
    ("post", "/cx/feedback/themes/remap"),
    ("post", "/cx/feedback/rules/apply"),
]


def _row(employee, when, **fields):
    values = {"employee": employee, "occurred_at": when, **fields}
    return [values.get(name, "") for name in HEADER]


def test_learners_are_refused_every_feedback_page(client, login_as) -> None:
    """Test that a learner gets 403 on the list and on every editor page."""
    login_as("learner")
    for method, url in [("get", "/cx/feedback/"), ("get", "/cx/feedback/1"), *EDITOR_PAGES]:
        assert getattr(client, method)(url).status_code == 403, url


def test_managers_read_their_teams_feedback_only(client, session, login_as, org, now) -> None:
    """Test that a manager lists and opens their team's items, not others', and edits nothing."""
    mine = factories.feedback_item(
        session, org.agents[0], occurred_at=now, csat=5, comment="Lovely agent"
    )
    theirs = factories.feedback_item(
        session, org.outsider, occurred_at=now, csat=1, comment="Dreadful wait"
    )
    session.commit()
    login_as("manager", manages=[org.team])
    page = client.get("/cx/feedback/").get_data(as_text=True)
    assert "Lovely agent" in page and "Dreadful wait" not in page
    assert client.get(f"/cx/feedback/{mine.id}").status_code == 200
    assert client.get(f"/cx/feedback/{theirs.id}").status_code == 404
    for method, url in EDITOR_PAGES:
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    """Test that the pages ask an anonymous visitor to sign in."""
    response = client.get("/cx/feedback/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_filters_by_track_language_and_negativity(
    client, session, login_as, org, now
) -> None:
    """Test that the list's filters narrow the items shown."""
    agent = org.agents[0]
    factories.feedback_item(
        session, agent, occurred_at=now, csat=1, comment="So rude", language="en"
    )
    factories.feedback_item(
        session, agent, occurred_at=now, csat=5, comment="Rachunek wyjaśniony", language="pl"
    )
    factories.feedback_item(
        session, agent, occurred_at=now - timedelta(days=40), csat=2, comment="Old"
    )
    session.commit()
    login_as("trainer")
    everything = client.get("/cx/feedback/").get_data(as_text=True)
    assert "3 items" in everything
    polish = client.get("/cx/feedback/?language=pl").get_data(as_text=True)
    assert "Rachunek wyjaśniony" in polish and "So rude" not in polish
    by_track = client.get("/cx/feedback/?track=communication").get_data(as_text=True)
    assert "So rude" in by_track and "Rachunek" not in by_track
    negative = client.get("/cx/feedback/?negative=y").get_data(as_text=True)
    assert "So rude" in negative and "Old" in negative and "Rachunek" not in negative
    since = (now - timedelta(days=7)).date().isoformat()
    recent = client.get(f"/cx/feedback/?since={since}").get_data(as_text=True)
    assert "2 items" in recent


def test_the_item_page_says_why_each_track(client, session, login_as, org, now) -> None:
    """Test that an item shows its tracks with the tag or keyword that put it there."""
    item = factories.feedback_item(
        session,
        org.agents[0],
        occurred_at=now,
        csat=1,
        comment="Konsultant był niegrzeczny, czekałem godzinę",
        language="pl",
    )
    session.commit()
    login_as("trainer")
    page = client.get(f"/cx/feedback/{item.id}").get_data(as_text=True)
    assert "Why these tracks" in page
    assert "keyword “niegrzeczny” (pl, rule “niegrzeczn”) → Communication" in page
    assert "keyword “czekałem” (pl, rule “czekał”) → Problem solving" in page
    assert 'dir="auto"' in page and 'lang="pl"' in page


def test_upload_previews_then_imports(app, client, session, login_as, org, now, tmp_path) -> None:
    """Test that an upload shows a dry-run preview and imports only when confirmed."""
    app.config["LMS_CX_FEEDBACK_UPLOAD_DIR"] = str(tmp_path / "uploads")
    login_as("trainer")
    when = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    data = csv_bytes(
        [_row("A1", when, csat="4", external_id="1"), _row("A2", when, csat="2", external_id="2")]
    )
    preview = client.post(
        "/cx/feedback/import",
        data={"file": (io.BytesIO(data), "week.csv"), "source": "zd", "encoding": ""},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "Preview of week.csv" in page and "Import 2 new and 0 changed items" in page
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 0
    action = re.search(r'action="(/cx/feedback/import/[^"]+)"', page)[1]
    done = client.post(action, follow_redirects=True)
    assert "Imported week.csv: 2 created" in done.get_data(as_text=True)
    assert set(session.scalars(sa.select(FeedbackItem.source))) == {"zd"}
    assert client.post(action).status_code == 302  # the upload is gone after use
    assert list((tmp_path / "uploads").iterdir()) == []
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 2


def test_upload_of_bad_rows_lists_them_and_offers_no_import(
    client, session, login_as, org, now
) -> None:
    """Test that a file with bad rows shows every line and column, with no import button."""
    login_as("admin")
    when = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    data = csv_bytes([_row("A1", when, csat="8"), _row("nobody", when, csat="3")])
    response = client.post(
        "/cx/feedback/import",
        data={"file": (io.BytesIO(data), "bad.csv"), "source": "zd", "encoding": ""},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<code>csat</code>" in page and "<code>employee</code>" in page
    assert "/cx/feedback/import/" not in page


def test_upload_without_a_file_shows_the_error_next_to_the_field(client, login_as) -> None:
    """Test that the upload form's errors sit next to the field."""
    login_as("trainer")
    response = client.post("/cx/feedback/import", data={"source": "zd"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in page and "Choose a CSV file." in page


def test_tags_and_keywords_are_edited_through_forms(client, session, login_as) -> None:
    """Test adding and deleting tag mappings and keyword rules, and trying a comment."""
    login_as("trainer")
    track_id = session.scalar(sa.select(Track.id).where(Track.code == "persona_awareness"))
    added = client.post("/cx/feedback/tags", data={"tag": "VIP", "track_id": track_id})
    assert added.status_code == 302
    mapping = session.scalar(sa.select(TagTrackMapping).where(TagTrackMapping.tag == "vip"))
    assert mapping.track_id == track_id
    assert client.post(f"/cx/feedback/tags/{mapping.id}/delete").status_code == 302
    empty = client.post(
        "/cx/feedback/keywords", data={"locale": "pl", "keyword": "x", "track_id": track_id}
    )
    assert empty.status_code == 422 and 'id="keyword-error"' in empty.get_data(as_text=True)
    client.post(
        "/cx/feedback/keywords", data={"locale": "pl", "keyword": "emeryt", "track_id": track_id}
    )
    assert session.scalar(sa.select(KeywordRule.id).where(KeywordRule.keyword == "emeryt"))
    tried = client.get("/cx/feedback/keywords?comment=Jestem+emerytem&language=pl")
    assert "keyword “emerytem” (pl, rule “emeryt”)" in tried.get_data(as_text=True)


def test_remedial_rules_are_edited_through_forms(client, session, login_as, org, now) -> None:
    """Test creating, editing and applying a remedial rule from the web pages."""
    module = factories.track_module(session, "empathy", "communication")
    session.commit()
    login_as("trainer")
    track_id = session.scalar(sa.select(Track.id).where(Track.code == "communication"))
    form = {
        "name": "Tone",
        "track_id": track_id,
        "min_negative_items": "2",
        "window_days": "30",
        "csat_max": "",
        "nps_max": "",
        "target": f"module:{module.id}",
        "due_in_days": "10",
        "is_active": "y",
    }
    refused = client.post("/cx/feedback/rules/new", data=form)
    assert refused.status_code == 422
    assert 'id="csat_max-error"' in refused.get_data(as_text=True)
    assert client.post("/cx/feedback/rules/new", data={**form, "csat_max": "2"}).status_code == 302
    rule = session.scalar(sa.select(RemedialRule))
    edit = client.get(f"/cx/feedback/rules/{rule.id}").get_data(as_text=True)
    assert f'<option selected value="module:{module.id}">' in edit
    for day in range(2):
        factories.feedback_item(
            session, org.agents[0], occurred_at=now - timedelta(days=day), csat=1, tags=["tone"]
        )
    session.commit()
    applied = client.post("/cx/feedback/rules/apply", follow_redirects=True).get_data(as_text=True)
    assert "1 remedial assignment created." in applied
    listing = client.get("/cx/feedback/rules").get_data(as_text=True)
    assert "≥ 2 negative items (CSAT ≤ 2) in 30 days" in listing and "1 (1)" in listing


@pytest.mark.parametrize("locale", ["fa"])
def test_pages_render_right_to_left_in_persian(client, login_as, locale) -> None:
    """Test that the feedback pages render in a right-to-left layout for Persian."""
    login_as("trainer", locale=locale)
    page = client.get("/cx/feedback/keywords").get_data(as_text=True)
    assert 'dir="rtl"' in page
