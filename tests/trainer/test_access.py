"""Who may author: trainers and admins; learners get 403, anonymous visitors sign in first."""

from __future__ import annotations

import pytest
from flask import Flask


def trainer_routes(app: Flask) -> list[tuple[str, str]]:
    """Return ``(method, path)`` of every trainer page, with placeholder arguments."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("lms_cx.trainer."):
            continue
        values = {name: 1 if name == "number" else "x" for name in rule.arguments}
        path = rule.build(values)[1]
        routes.extend((method, path) for method in sorted(rule.methods & {"GET", "POST"}))
    return routes


def test_every_trainer_route_is_covered(app) -> None:
    """Test that the authoring pages exist (so the role checks below cover them all)."""
    paths = {path for _method, path in trainer_routes(app)}
    assert len(paths) > 40
    for fragment in ("/modules/x/publish", "/banks/x/questions/new/x", "/courses/x/versions/"):
        assert any(path.endswith(fragment) for path in paths), fragment


def test_learner_gets_403_on_every_trainer_route(app, client, login_as) -> None:
    """Test that a learner is refused (403) on every trainer page and action."""
    login_as("learner")
    for method, path in trainer_routes(app):
        response = client.open(path, method=method)
        assert response.status_code == 403, (method, path, response.status_code)


def test_anonymous_visitor_is_sent_to_sign_in(app, client) -> None:
    """Test that nobody signed in is redirected to the sign-in page."""
    for method, path in trainer_routes(app):
        response = client.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_trainers_and_admins_may_author(client, login_as, role: str) -> None:
    """Test that trainers and admins reach the authoring lists and forms."""
    login_as(role)
    for path in (
        "/cx/trainer/modules/",
        "/cx/trainer/modules/new",
        "/cx/trainer/courses/new",
        "/cx/trainer/personas/new",
        "/cx/trainer/banks/new",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/cx/trainer/modules/nope/").status_code == 404
