"""Scratch databases for tests that need a whole database of their own (browser tests, backups).

A SQLite file in a temporary folder, or, when TEST_DATABASE_URL points to PostgreSQL, a database
created next to it on the same server and dropped afterwards (the session test database is never
touched).
"""

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from portal import create_app
from portal.config import _database_url
from portal.extensions import db


def _postgres_base() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return _database_url(url, url) if url and url.startswith("postgres") else None


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    base = _postgres_base()
    if base is None:
        folder = tempfile.mkdtemp(prefix=f"maillage-{name}-")
        try:
            yield "sqlite:///" + os.path.join(folder, f"{name}.db")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    url = make_url(base)
    database = f"{url.database}_{name}_{os.getpid()}"[:63]
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def own_session() -> Iterator[None]:
    """A plain session for another app: tests/conftest.py binds db.session to the test transaction."""
    saved = db.session
    db.session = db._make_scoped_session({})
    try:
        yield
    finally:
        # Sessions are closed by each app context's teardown.
        db.session = saved


def make_app(url: str, **config) -> Flask:
    """The real application (testing configuration) on the given database."""
    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": None, **config})


@contextmanager
def serve(app: Flask, name: str) -> Iterator[str]:
    """Serve `app` with werkzeug on a free port of 127.0.0.1 in a thread; yield its base URL."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()
        with app.app_context():
            db.engine.dispose()


def prepare(app: Flask, *, demo: bool = True) -> None:
    """Migrate (the migrations alone make the schema), load reference data, seed the demo."""
    from flask_migrate import upgrade

    from portal.referentials.loader import load_all
    from portal.referentials.services import ensure_default_territory

    with app.app_context():
        upgrade()
        load_all()
        ensure_default_territory()
        db.session.commit()
        if demo:
            # Through the command `make run` uses, so that a seeder needing a request fails here too.
            result = app.test_cli_runner().invoke(args=["demo", "seed"])
            if result.exit_code != 0:
                raise RuntimeError(f"« flask demo seed » a échoué : {result.output.strip()} {result.exception!r}")


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, read through a connection of its own."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            metadata = MetaData()
            metadata.reflect(connection)
            names = sorted(inspect(connection).get_table_names())
            return {name: sorted((tuple(row) for row in connection.execute(select(metadata.tables[name]))), key=repr)
                    for name in names}
    finally:
        engine.dispose()
