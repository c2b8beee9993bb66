"""The extension pattern: registration, per-app state, configuration and refusals."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import Flask

from lms_cx import LmsCx, create_app, get_state
from lms_cx.config import DEFAULTS
from lms_cx.errors import ConfigurationError


def bare_app(tmp_path, **config: object) -> Flask:
    app = Flask("host", instance_path=str(tmp_path / "instance"))
    app.config.update(TESTING=True, SECRET_KEY="x" * 32, **config)
    return app


def test_init_app_fills_every_default(tmp_path) -> None:
    """Test that init_app sets every LMS_CX_* default and keeps state in app.extensions."""
    app = bare_app(tmp_path)
    LmsCx(app)
    for key, value in DEFAULTS.items():
        assert app.config[key] == value
    assert get_state(app) is app.extensions["lms_cx"]
    assert get_state(app).owns_db is True


def test_app_factory_pattern_and_multiple_apps(tmp_path) -> None:
    """Test that one LmsCx object serves two apps with their own prefixes."""
    lms = LmsCx()
    first = bare_app(tmp_path / "a", LMS_CX_URL_PREFIX="/learning")
    second = bare_app(tmp_path / "b", LMS_CX_URL_PREFIX="/academy/")
    lms.init_app(first)
    lms.init_app(second)
    assert get_state(first).url_prefix == "/learning"
    assert get_state(second).url_prefix == "/academy"
    assert {r.rule for r in first.url_map.iter_rules()} >= {"/learning/", "/learning/learn/"}
    assert "/academy/manager/" in {r.rule for r in second.url_map.iter_rules()}


def test_registering_twice_raises(tmp_path) -> None:
    """Test that a second LmsCx on the same app is refused with a clear message."""
    app = bare_app(tmp_path)
    LmsCx(app)
    with pytest.raises(RuntimeError, match="already registered"):
        LmsCx(app)


def test_get_state_outside_a_registered_app_says_what_to_do(tmp_path) -> None:
    """Test that get_state on an app without lms_cx names the fix."""
    with pytest.raises(RuntimeError, match=r"call LmsCx\(app\) first"):
        get_state(bare_app(tmp_path))


def test_cli_group_is_registered(tmp_path) -> None:
    """Test that `flask lms-cx` is available on the app."""
    app = bare_app(tmp_path)
    LmsCx(app)
    assert "lms-cx" in app.cli.commands


@pytest.mark.parametrize("secret", [None, "", "dev", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, secret) -> None:
    """Test that outside debug/testing a missing or weak SECRET_KEY stops start-up."""
    app = Flask("prod", instance_path=str(tmp_path))
    if secret is not None:
        app.config["SECRET_KEY"] = secret
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        LmsCx(app)


def test_debug_mode_runs_without_a_secret_key(tmp_path) -> None:
    """Test that development (debug) may run without a production secret."""
    app = Flask("dev", instance_path=str(tmp_path))
    app.debug = True
    LmsCx(app)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/lms", "unsupported database 'mysql'"),
        ("not a url", "is not a database URL"),
    ],
)
def test_unusable_database_url_is_refused_by_name(tmp_path, url, message) -> None:
    """Test that a bad LMS_CX_DATABASE_URL is named in the refusal."""
    with pytest.raises(ConfigurationError, match=message) as caught:
        create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "LMS_CX_DATABASE_URL": url})
    assert "LMS_CX_DATABASE_URL" in str(caught.value)


def test_postgresql_url_gets_the_psycopg_driver(tmp_path) -> None:
    """Test that a plain postgresql:// URL is served by psycopg 3."""
    from lms_cx.extension import normalise_database_url

    assert normalise_database_url("postgresql://u@h/db").startswith("postgresql+psycopg://")


def run_flask(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LMS_CX_", "FLASK_"))}
    clean.pop("SECRET_KEY", None)
    # An empty instance folder: a developer's instance/lms_cx.cfg must not answer for the test.
    clean["LMS_CX_INSTANCE_PATH"] = str(tmp_path / "instance")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "lms_cx.app", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean,
        timeout=60,
    )


def test_flask_command_without_secret_prints_one_line_not_a_traceback(tmp_path) -> None:
    """Test that the standalone app's refusal is a one-line message on the command line."""
    result = run_flask(tmp_path, "lms-cx", "db", "current")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY is missing or too weak for production" in result.stderr


def test_flask_command_with_unknown_database_prints_one_line(tmp_path) -> None:
    """Test that an unsupported database URL is refused in one line naming the setting."""
    result = run_flask(
        tmp_path,
        "lms-cx",
        "db",
        "current",
        SECRET_KEY="k" * 40,
        LMS_CX_DATABASE_URL="oracle://scott@db/orcl",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "LMS_CX_DATABASE_URL uses the unsupported database 'oracle'" in result.stderr
