"""lms_cx embedded in a host app that has its own users, login and database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, redirect, request
from flask_login import LoginManager, UserMixin, current_user, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lms_cx import LmsCx, get_state
from lms_cx.db import Base as LmsBase
from lms_cx.models.people import Employee
from lms_cx.services.people import link_host_user
from lms_cx.services.tracks import ensure_default_tracks


class HostBase(DeclarativeBase):
    pass


class HostUser(UserMixin, HostBase):
    __tablename__ = "host_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(200), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))


def create_host_app(database_url: str) -> Flask:
    """A small HR portal: its own users, its own login page, lms_cx plugged in with one callback."""
    app = Flask("host_portal")
    app.config.update(
        SECRET_KEY="host-secret-key-for-tests",
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=database_url,
        LMS_CX_URL_PREFIX="/learning",
        WTF_CSRF_ENABLED=False,
    )
    db = SQLAlchemy(app, model_class=HostBase)
    login_manager = LoginManager(app)
    login_manager.login_view = "login"

    @login_manager.user_loader
    def load_user(user_id: str) -> HostUser | None:
        return db.session.get(HostUser, int(user_id))

    @app.post("/login")
    def login():  # noqa: ANN202
        user = db.session.scalar(sa.select(HostUser).where(HostUser.email == request.form["email"]))
        login_user(user)
        return redirect(request.args.get("next") or "/")

    @app.get("/")
    def portal_home() -> str:
        return "HR portal home"

    lms = LmsCx(app)

    @lms.employee_loader
    def employee_for_current_user() -> Employee | None:
        if not current_user.is_authenticated:
            return None
        return link_host_user(
            db.session,
            current_user.get_id(),
            email=current_user.email,
            display_name=current_user.full_name,
        )

    with app.app_context():
        HostBase.metadata.create_all(db.engine)
        LmsBase.metadata.create_all(db.engine)
        ensure_default_tracks(db.session)
        db.session.add(HostUser(email="kasia@portal.example", full_name="Kasia Portal"))
        db.session.commit()
    return app


@pytest.fixture
def host_app(database_url: str) -> Iterator[Flask]:
    app = create_host_app(database_url)
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def test_lms_cx_uses_the_hosts_database_and_session(host_app: Flask) -> None:
    """Test that lms_cx reuses the host's Flask-SQLAlchemy instance instead of making its own."""
    state = get_state(host_app)
    assert state.db is host_app.extensions["sqlalchemy"]
    assert state.owns_db is False
    assert state.url_prefix == "/learning"


def test_anonymous_visitor_is_sent_to_the_hosts_login(host_app: Flask) -> None:
    """Test that lms_cx defers to the host's login page for anonymous visitors."""
    response = host_app.test_client().get("/learning/learn/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_host_user_becomes_an_employee_on_first_visit(host_app: Flask) -> None:
    """Test that the host's logged-in user reaches lms_cx pages as a linked employee."""
    client = host_app.test_client()
    client.post("/login", data={"email": "kasia@portal.example"})
    response = client.get("/learning/learn/")
    assert response.status_code == 200
    assert "Kasia Portal" in response.get_data(as_text=True)
    client.get("/learning/learn/")  # a second visit links, never duplicates
    with host_app.app_context():
        session = host_app.extensions["sqlalchemy"].session
        employees = session.scalars(sa.select(Employee)).all()
        user_id = session.scalar(sa.select(HostUser.id))
        assert [(e.email, e.host_user_id) for e in employees] == [
            ("kasia@portal.example", str(user_id))
        ]
        assert employees[0].roles == {"learner"}


def test_host_pages_keep_working_beside_lms_cx(host_app: Flask) -> None:
    """Test that the host's own routes and templates are untouched by lms_cx."""
    client = host_app.test_client()
    assert client.get("/").get_data(as_text=True) == "HR portal home"
    assert client.get("/nope").status_code == 404


def test_host_user_without_role_is_refused_manager_pages(host_app: Flask) -> None:
    """Test that a linked learner gets 403 on manager pages inside the host."""
    client = host_app.test_client()
    client.post("/login", data={"email": "kasia@portal.example"})
    assert client.get("/learning/manager/").status_code == 403


def test_second_sqlalchemy_instance_on_the_host_raises(host_app: Flask) -> None:
    """Test that Flask-SQLAlchemy refuses a second instance, so lms_cx must share the host's."""
    with pytest.raises(RuntimeError):
        SQLAlchemy(host_app)
