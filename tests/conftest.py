"""Test fixtures: one app for the session, every test in a transaction that is rolled back.

TEST_DATABASE_URL picks the database (PostgreSQL in CI); by default a SQLite file in a temporary folder.
The schema is created by the Alembic migrations themselves (models and migrations must agree: see
tests/portal/test_migrations.py), and the reference data is loaded once.
"""

import functools
import os
import re
import tempfile
from contextlib import contextmanager

import pytest
from flask import Flask, g, request_started
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from portal import create_app
from portal.extensions import db, limiter
from tests import factories

_TMP = tempfile.mkdtemp(prefix="maillage-tests-")


def database_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or "sqlite:///" + os.path.join(_TMP, "test.db")


def is_postgres() -> bool:
    return database_url().startswith(("postgresql", "postgres"))


def app_config() -> dict:
    """The test application's settings: the testing configuration reads nothing else from the
    environment, whatever the shell running the suite holds (tests/portal/test_config.py)."""
    return {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "UPLOAD_FOLDER": os.path.join(_TMP, "uploads"),
        "SERVER_NAME": None,
    }


@functools.cache
def session_app() -> Flask:
    """The test application, built once: the `app` fixture sets up its database, and test modules read its
    URL map at collection time to make one test per endpoint (building it needs no database)."""
    return create_app(app_config())


@pytest.fixture(scope="session")
def app():
    app = session_app()
    with app.app_context():
        if is_postgres():
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        # The schema comes from the migrations only: a table or column without its migration fails the tests
        # that use it, and tests/portal/test_migrations.py says which migration is missing.
        upgrade()
        from portal.referentials.loader import load_all
        from portal.referentials.services import ensure_default_territory

        load_all()
        ensure_default_territory()
        db.session.commit()
    # Each test holds one app context, which the test client's requests reuse; clear `g` when a request
    # starts so that, as in production, nothing (logged-in user, CSRF token) leaks from one request or
    # client to the next.
    request_started.connect(_fresh_g, app)
    yield app
    request_started.disconnect(_fresh_g, app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _fresh_g(sender, **extra) -> None:
    for name in list(vars(g)):
        delattr(g, name)


class _ConnectionSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine by itself and would ignore the test's connection (each
    commit would then really commit): use the connection the session was given."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper=mapper, clause=clause, **kwargs)


@contextmanager
def rolled_back_transaction(app):
    """An app context whose database work runs inside a transaction rolled back at the end (services may
    commit: they then release a SAVEPOINT only)."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original_session = db.session
        db.session = db._make_scoped_session({"bind": connection, "join_transaction_mode": "create_savepoint",
                                              "class_": _ConnectionSession})
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original_session
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _transaction(app):
    """Run each test inside a transaction rolled back at the end."""
    with rolled_back_transaction(app):
        yield


@pytest.fixture()
def make(app):
    """Factories: make.user(role=...), make.company(...), make.partner(...)."""
    return factories


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password: str = factories.PASSWORD, follow_redirects: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        token = csrf_token(self.client, "/connexion")
        return self.client.post("/connexion", data={"email": email, "password": password, "csrf_token": token},
                                follow_redirects=follow_redirects)

    def logout(self):
        token = csrf_token(self.client, "/mon-compte")
        return self.client.post("/deconnexion", data={"csrf_token": token})


@pytest.fixture()
def auth(client):
    return AuthActions(client)


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/connexion") -> str:
    """A valid CSRF token for the client's session, read from a page that carries a form."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"pas de jeton CSRF sur {url}"
    return match.group(1) or match.group(2)


@pytest.fixture()
def csrf(client):
    return lambda url="/connexion": csrf_token(client, url)


@pytest.fixture()
def count_queries(app):
    """Context manager counting SQL statements: `with count_queries() as counter: ...; counter.count`."""
    @contextmanager
    def _count():
        class Counter:
            count = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return _count
