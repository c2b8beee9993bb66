"""store_statements: ids and LRS properties, batches, re-sends, conflicts, voiding, outbox."""

from __future__ import annotations

import copy
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from lms_cx.errors import ConfigurationError
from lms_cx.models.xapi import OutboxItem, Statement, StatementActivity, StatementAgent
from lms_cx.models.xapi_documents import Activity
from lms_cx.xapi.errors import StatementConflict, StatementError
from lms_cx.xapi.store import internal_authority, store_statements
from tests.conftest import make_app
from tests.xapi.conftest import golden, make_statement, new_id


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_store_assigns_id_stored_timestamp_authority_and_version(session: Session) -> None:
    """Test that the LRS fills in id, stored, timestamp, authority and version."""
    [statement_id] = store_statements(session, [make_statement()])
    row = session.scalars(sa.select(Statement)).one()
    assert row.statement_id == statement_id
    raw = row.raw
    assert raw["id"] == str(statement_id)
    assert raw["stored"].endswith("Z") and raw["timestamp"] == raw["stored"]
    assert raw["version"] == "1.0.0"
    assert raw["authority"] == internal_authority({})
    assert row.authority_ifi == "account:https://lms-cx.example.com|lms_cx"


def test_store_keeps_the_original_json(session: Session) -> None:
    """Test that scores stay numbers and given properties are kept exactly."""
    statement = golden("interaction")
    statement["result"]["score"] = {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}
    statement["timestamp"] = "2024-05-01T11:30:00.123+02:00"
    store_statements(session, [statement])
    raw = session.scalars(sa.select(Statement.raw)).one()
    assert raw["result"]["score"] == {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}
    assert raw["timestamp"] == "2024-05-01T11:30:00.123+02:00"
    row = session.scalars(sa.select(Statement)).one()
    assert row.timestamp.isoformat() == "2024-05-01T09:30:00.123000+00:00"


def test_store_overwrites_a_given_authority_with_the_credentials(session: Session) -> None:
    """Test that the stored authority is the one the caller vouches for."""
    authority = {"objectType": "Agent", "account": {"homePage": "https://h.example", "name": "k"}}
    store_statements(session, [golden("long")], authority=authority, credential_id=None)
    assert session.scalars(sa.select(Statement.raw)).one()["authority"] == authority


def test_context_activities_are_stored_as_arrays(session: Session) -> None:
    """Test that a single contextActivities Activity is returned as an array of one."""
    store_statements(session, [golden("substatement")])
    raw = session.scalars(sa.select(Statement.raw)).one()
    assert raw["object"]["context"]["contextActivities"]["parent"] == [
        {"id": "http://example.com/trip"}
    ]


def test_index_rows_list_activities_and_agents(session: Session) -> None:
    """Test that every activity and agent a statement mentions gets an index row."""
    store_statements(session, [golden("long")])
    activities = set(
        session.execute(sa.select(StatementActivity.activity_id, StatementActivity.relation))
    )
    assert ("http://www.example.com/meetings/occurances/34534", "object") in activities
    assert ("http://www.example.com/meetings/series/267", "parent") in activities
    assert ("http://www.example.com/meetings/categories/teammeeting", "category") in activities
    agents = set(session.execute(sa.select(StatementAgent.agent_ifi, StatementAgent.relation)))
    assert ("mbox:mailto:teampb@example.com", "actor") in agents
    assert ("mbox:mailto:teampb@example.com", "team") in agents
    assert ("account:http://www.example.com|13936749", "instructor") in agents
    assert ("openid:http://toby.openid.example.org/", "member") in agents
    assert ("mbox:mailto:teampb@example.com", "team") in agents


def test_activity_definitions_are_remembered_and_merged(session: Session) -> None:
    """Test that the canonical definition merges what statements say about an activity."""
    first = make_statement(activity="lesson-9")
    second = make_statement(activity="lesson-9")
    second["object"]["definition"] = {"name": {"fa": "درس"}, "type": "http://e.com/type"}
    store_statements(session, [first])
    store_statements(session, [second])
    definition = session.scalars(sa.select(Activity.definition)).one()
    assert definition == {"name": {"en": "lesson-9", "fa": "درس"}, "type": "http://e.com/type"}


def test_batch_is_all_or_nothing(session: Session) -> None:
    """Test that one bad statement in a batch stores none of it."""
    bad = make_statement()
    bad["actor"]["mbox"] = "nobody"
    with pytest.raises(StatementError) as caught:
        store_statements(session, [make_statement(), make_statement(), bad])
    assert caught.value.index == 2
    session.rollback()
    assert count(session, Statement) == 0


def test_resending_the_same_statement_is_a_no_op(session: Session) -> None:
    """Test that the same id with the same content stores nothing new."""
    statement = make_statement(statement_id=new_id(), timestamp="2024-05-01T09:30:00Z")
    first = store_statements(session, [statement])
    resent = dict(statement, timestamp="2024-05-01T11:30:00+02:00")
    resent["verb"] = {"id": statement["verb"]["id"], "display": {"de": "erlebt"}}
    again = store_statements(session, [resent, make_statement()])
    assert again[0] == first[0]
    assert count(session, Statement) == 2


def test_same_id_with_different_content_is_a_conflict(session: Session) -> None:
    """Test that the same id with different content raises a 409 conflict."""
    statement_id = new_id()
    store_statements(session, [make_statement(statement_id=statement_id)])
    with pytest.raises(StatementConflict) as caught:
        store_statements(session, [make_statement("completed", statement_id=statement_id)])
    assert caught.value.status == 409
    assert caught.value.field == "id"


def test_duplicate_ids_within_a_batch_are_refused(session: Session) -> None:
    """Test that a batch may not carry the same id twice."""
    statement_id = new_id()
    batch = [make_statement(statement_id=statement_id), make_statement(statement_id=statement_id)]
    with pytest.raises(StatementError, match="repeats the id of statement 0"):
        store_statements(session, batch)


def test_voiding_marks_the_target_voided(session: Session) -> None:
    """Test that a voiding statement marks its target voided."""
    [target] = store_statements(session, [make_statement()])
    voiding = make_statement("voided", object={"objectType": "StatementRef", "id": str(target)})
    [voiding_id] = store_statements(session, [voiding])
    row = session.scalars(sa.select(Statement).where(Statement.statement_id == target)).one()
    assert row.voided and row.voided_by == voiding_id


def test_a_voiding_statement_cannot_be_voided(session: Session) -> None:
    """Test that voiding a voiding statement is refused."""
    [target] = store_statements(session, [make_statement()])
    ref = {"objectType": "StatementRef", "id": str(target)}
    [voiding_id] = store_statements(session, [make_statement("voided", object=ref)])
    again = {"objectType": "StatementRef", "id": str(voiding_id)}
    with pytest.raises(StatementError, match="cannot be voided"):
        store_statements(session, [make_statement("voided", object=again)])


def test_voiding_before_the_target_arrives(session: Session) -> None:
    """Test that a statement voided before it is stored is stored voided."""
    target_id = new_id()
    ref = {"objectType": "StatementRef", "id": target_id}
    store_statements(session, [make_statement("voided", object=ref)])
    store_statements(session, [make_statement(statement_id=target_id)])
    row = session.scalars(
        sa.select(Statement).where(Statement.statement_id == uuid.UUID(target_id))
    ).one()
    assert row.voided


def test_one_outbox_item_per_matching_destination(database_url: str) -> None:
    """Test that each new statement is queued once per destination whose filter it passes."""
    forward = [
        {"name": "all", "endpoint": "http://127.0.0.1:9/xapi/"},
        {
            "name": "completions",
            "endpoint": "http://127.0.0.1:9/other/",
            "filter": {"verbs": ["http://adlnet.gov/expapi/verbs/completed"]},
        },
    ]
    app = make_app(database_url, LMS_CX_XAPI_FORWARD=forward)
    with app.app_context():
        from lms_cx.db import get_session

        session = get_session()
        store_statements(session, [make_statement(), make_statement("completed")])
        store_statements(session, [session.scalars(sa.select(Statement.raw)).first()])
        items = session.execute(sa.select(OutboxItem.destination)).scalars().all()
        assert sorted(items) == ["all", "all", "completions"]
        app.extensions["sqlalchemy"].engine.dispose()


def test_commit_false_leaves_the_transaction_to_the_caller(session: Session) -> None:
    """Test that commit=False stores nothing until the caller commits."""
    store_statements(session, [make_statement()], commit=False)
    session.rollback()
    assert count(session, Statement) == 0


@pytest.mark.parametrize("same_content", [True, False])
def test_concurrent_posts_of_one_id_leave_one_row(app: Flask, same_content: bool) -> None:
    """Test that two concurrent stores of one statement id leave exactly one row."""
    statement_id = new_id()
    statements = [
        make_statement(statement_id=statement_id),
        make_statement("experienced" if same_content else "completed", statement_id=statement_id),
    ]
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def post(statement: dict) -> None:
        with Session(engine) as own:
            barrier.wait()
            try:
                store_statements(own, [statement])
                outcomes.append("stored")
            except StatementConflict:
                own.rollback()
                outcomes.append("conflict")

    threads = [threading.Thread(target=post, args=(s,)) for s in statements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as check:
        assert count(check, Statement) == 1
    expected = ["stored", "stored"] if same_content else ["conflict", "stored"]
    assert sorted(outcomes) == expected


def test_store_leaves_the_callers_statement_unchanged(session: Session) -> None:
    """Test that preparing a statement (ids, authority, contextActivities arrays) copies it."""
    statement = make_statement()
    statement["context"] = {"contextActivities": {"parent": {"id": "http://example.com/m"}}}
    sent = copy.deepcopy(statement)
    store_statements(session, [statement])
    assert statement == sent
    raw = session.scalars(sa.select(Statement.raw)).one()
    assert raw["context"]["contextActivities"]["parent"] == [{"id": "http://example.com/m"}]


@pytest.mark.parametrize(("setting", "expected"), [(None, 1), ("FULL", 2)])
def test_sqlite_synchronous_follows_the_setting(
    tmp_path: Path, setting: str | None, expected: int
) -> None:
    """Test that a SQLite file commits with synchronous=NORMAL unless told FULL."""
    config = {} if setting is None else {"LMS_CX_SQLITE_SYNCHRONOUS": setting}
    app = make_app(f"sqlite:///{tmp_path / 'sync.sqlite'}", **config)
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == expected
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        engine.dispose()


def test_sqlite_synchronous_refuses_an_unknown_value(tmp_path: Path) -> None:
    """Test that a misspelt LMS_CX_SQLITE_SYNCHRONOUS is a configuration error naming it."""
    with pytest.raises(ConfigurationError, match="LMS_CX_SQLITE_SYNCHRONOUS"):
        make_app(f"sqlite:///{tmp_path / 'sync.sqlite'}", LMS_CX_SQLITE_SYNCHRONOUS="fast")
