"""The `flask lms-cx` commands."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from lms_cx import schema
from lms_cx.models import Track
from tests.conftest import make_app


def test_db_upgrade_builds_an_empty_database_and_seeds_the_tracks(database_url) -> None:
    """Test that `db upgrade` builds an empty database, seeds four tracks, and can repeat."""
    app = make_app(database_url, create_schema=False)
    runner = app.test_cli_runner()
    assert "empty" in runner.invoke(args=["lms-cx", "db", "current"]).output
    result = runner.invoke(args=["lms-cx", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert f"empty -> {head}; 4 built-in tracks added" in result.output
    again = runner.invoke(args=["lms-cx", "db", "upgrade"])
    assert f"{head} -> {head}; 0 built-in tracks added" in again.output
    check = runner.invoke(args=["lms-cx", "db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        session = app.extensions["sqlalchemy"].session
        codes = session.scalars(sa.select(Track.code).order_by(Track.position)).all()
        assert codes == [
            "communication",
            "persona_awareness",
            "problem_solving",
            "product_knowledge",
        ]
        app.extensions["sqlalchemy"].engine.dispose()


def test_db_check_fails_when_the_schema_is_behind(database_url) -> None:
    """Test that `db check` exits non-zero on a database that lacks lms_cx's tables."""
    app = make_app(database_url, create_schema=False)
    result = app.test_cli_runner().invoke(args=["lms-cx", "db", "check"])
    assert result.exit_code == 1
    assert "differs" in result.output


def test_commands_on_an_empty_database_say_to_upgrade_first(database_url) -> None:
    """Test that a command needing the schema names the remedy instead of a table error."""
    app = make_app(database_url, create_schema=False)
    result = app.test_cli_runner().invoke(args=["lms-cx", "content", "check", "courses"])
    assert result.exit_code == 1
    assert "run `flask lms-cx db upgrade` first" in result.output
    assert "Traceback" not in result.output


def test_db_downgrade_to_base_removes_lms_cx_tables(database_url) -> None:
    """Test that `db downgrade base` leaves no lms_cx table behind."""
    app = make_app(database_url, create_schema=False)
    runner = app.test_cli_runner()
    runner.invoke(args=["lms-cx", "db", "upgrade"])
    result = runner.invoke(args=["lms-cx", "db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        names = sa.inspect(engine).get_table_names()
        engine.dispose()
    assert [name for name in names if name.startswith("lms_cx_")] == []


def test_employee_create_then_sign_in(database_url) -> None:
    """Test that an employee created on the command line can sign in."""
    app = make_app(database_url)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "lms-cx",
            "employee",
            "create",
            "--email",
            "Root@Example.com",
            "--name",
            "Root",
            "--role",
            "admin",
            "--password",
            "a long password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created root@example.com with roles admin." in result.output
    response = app.test_client().post(
        "/cx/account/login", data={"email": "root@example.com", "password": "a long password"}
    )
    assert response.headers["Location"] == "/cx/"


def test_employee_create_names_the_bad_option(database_url) -> None:
    """Test that a taken email and a short password are refused naming the option."""
    app = make_app(database_url)
    runner = app.test_cli_runner()
    base = ["lms-cx", "employee", "create", "--name", "X", "--password"]
    short = runner.invoke(args=[*base, "short", "--email", "x@example.com"])
    assert short.exit_code == 2 and "--password" in short.output
    runner.invoke(args=[*base, "long enough!", "--email", "x@example.com"])
    taken = runner.invoke(args=[*base, "long enough!", "--email", "x@example.com"])
    assert taken.exit_code == 2 and "already exists" in taken.output and "--email" in taken.output
