"""The rules pages (preview before save, errors by their fields) and the inbox."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms_cx.models import Assignment, AssignmentRule, Notification
from lms_cx.services.notifications import NewNotification, add_notifications
from tests import factories
from tests.lifecycle.conftest import date_of, day


def _rule_form(module, **fields) -> dict:
    data = {
        "name": "Agents on hire",
        "content": f"module:{module.id}",
        "trigger": "on_hire",
        "due_in_days": "14",
        "job_role": "agent",
    }
    data.update(fields)
    return data


def test_that_a_rule_is_previewed_before_it_is_saved(client, login_as, session) -> None:
    """Test that the first submit previews whom the rule assigns and saving needs that preview."""
    login_as("trainer")
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="Ada Agent", hire_date=date_of(0), job_role="agent")
    factories.hr_employee(session, display_name="Bob Boss", hire_date=date_of(0), job_role="boss")
    session.commit()
    page = client.post("/cx/rules/new", data=_rule_form(module, preview="Preview"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ada Agent" in html and "Bob Boss" not in html
    assert "Saving it assigns 1 person now" in html
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 0
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', html).group(1)
    # A changed rule is previewed again rather than saved unseen.
    changed = client.post(
        "/cx/rules/new",
        data=_rule_form(module, job_role="boss", fingerprint=fingerprint, save="Save rule"),
    )
    assert "Bob Boss" in changed.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(AssignmentRule.id))) == 0
    saved = client.post(
        "/cx/rules/new", data=_rule_form(module, fingerprint=fingerprint, save="Save rule")
    )
    assert saved.status_code == 302
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
    listing = client.get("/cx/rules/", follow_redirects=True).get_data(as_text=True)
    assert "Agents on hire" in listing and "job role: agent" in listing


def test_that_rule_errors_stand_next_to_their_fields(client, login_as, session) -> None:
    """Test that a rule the service refuses shows the message at the field at fault."""
    login_as("admin")
    module = factories.learning_module(session, "m1")
    session.commit()
    page = client.post(
        "/cx/rules/new",
        data=_rule_form(module, trigger="day_n", attributes="shift night", preview="Preview"),
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert re.search(r'id="attributes-error">Line 1: write name = value', html)
    page = client.post("/cx/rules/new", data=_rule_form(module, trigger="day_n", preview="Preview"))
    assert 'id="offset_days-error">Say after how many days' in page.get_data(as_text=True)


def test_that_a_rule_can_be_edited_and_switched_off(client, login_as, session) -> None:
    """Test that editing keeps the rule's id and switching off stops it."""
    login_as("admin")
    module = factories.learning_module(session, "m1")
    session.commit()
    first = client.post("/cx/rules/new", data=_rule_form(module, preview="Preview"))
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', first.text).group(1)
    client.post("/cx/rules/new", data=_rule_form(module, fingerprint=fingerprint, save="Save"))
    rule_id = session.scalar(sa.select(AssignmentRule.id))
    form = client.get(f"/cx/rules/{rule_id}/edit").get_data(as_text=True)
    assert 'value="Agents on hire"' in form
    response = client.post(f"/cx/rules/{rule_id}/active", data={"active": "0"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(AssignmentRule, rule_id).is_active is False
    assert client.get("/cx/rules/999/edit").status_code == 404


def test_that_a_rule_is_deleted_only_once_confirmed_with_a_csrf_token(
    client, login_as, session, app
) -> None:
    """Test that deleting asks first, needs the form's CSRF token, and keeps the assignments."""
    login_as("trainer")
    module = factories.learning_module(session, "m1")
    factories.hr_employee(session, display_name="Ada Agent", hire_date=date_of(0), job_role="agent")
    session.commit()
    first = client.post("/cx/rules/new", data=_rule_form(module, preview="Preview"))
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', first.text).group(1)
    client.post("/cx/rules/new", data=_rule_form(module, fingerprint=fingerprint, save="Save"))
    rule_id = session.scalar(sa.select(AssignmentRule.id))
    listing = client.get("/cx/rules/").get_data(as_text=True)
    assert f'href="/cx/rules/{rule_id}/delete"' in listing
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/cx/rules/{rule_id}/delete")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Delete the rule “Agents on hire”?" in html
    assert "It has made 1 assignment, 1 of them still open." in html
    forged = client.post(f"/cx/rules/{rule_id}/delete", data={})
    assert forged.status_code in (200, 400)
    session.expire_all()
    assert session.get(AssignmentRule, rule_id) is not None
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post(
        f"/cx/rules/{rule_id}/delete", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Rule “Agents on hire” deleted; the 1 assignment it made stays." in done.text
    session.expire_all()
    assert session.get(AssignmentRule, rule_id) is None
    kept = session.scalars(sa.select(Assignment)).one()
    assert (kept.rule_id, kept.reason, kept.state) == (None, "Agents on hire", "open")
    assert client.get(f"/cx/rules/{rule_id}/delete").status_code == 404
    assert client.post(f"/cx/rules/{rule_id}/delete", data={"csrf_token": token}).status_code == 404


def test_that_learners_cannot_reach_the_rules(client, login_as) -> None:
    """Test that the rules pages are for administrators and trainers only."""
    login_as("learner")
    assert client.get("/cx/rules/").status_code == 403
    assert client.get("/cx/rules/new").status_code == 403


def test_that_the_inbox_lists_and_marks_notifications_read(client, login_as, session, app):
    """Test that everyone's inbox shows their own notifications and marks them read."""
    me = login_as("learner")
    other = factories.employee(session)
    session.commit()
    with app.app_context():
        add_notifications(
            session,
            [
                NewNotification(
                    me.id, "reminder.due_soon", "Due in 7 days: A", "Body A", "/cx/learn/", "k1"
                ),
                NewNotification(
                    me.id, "reminder.overdue", "Overdue by 1 day: B", "Body B", None, "k2"
                ),
                NewNotification(other.id, "reminder.overdue", "Not yours", "", None, "k3"),
            ],
            day(0),
        )
        session.commit()
    page = client.get("/cx/inbox/").get_data(as_text=True)
    assert "Due in 7 days: A" in page and "Overdue by 1 day: B" in page
    assert "Not yours" not in page and "2 unread notifications" in page
    mine = session.scalar(sa.select(Notification.id).where(Notification.dedupe_key == "k1"))
    theirs = session.scalar(sa.select(Notification.id).where(Notification.dedupe_key == "k3"))
    assert client.post(f"/cx/inbox/{mine}/read").status_code == 302
    assert client.post(f"/cx/inbox/{theirs}/read").status_code == 404
    assert "1 unread notification." in client.get("/cx/inbox/").get_data(as_text=True)
    client.post("/cx/inbox/read-all")
    session.expire_all()
    unread = sa.select(sa.func.count()).where(Notification.read_at.is_(None))
    assert session.scalar(unread) == 1  # only the other person's


def test_that_the_inbox_needs_a_sign_in(client) -> None:
    """Test that an anonymous visitor is sent to sign in."""
    assert client.get("/cx/inbox/").status_code == 302
