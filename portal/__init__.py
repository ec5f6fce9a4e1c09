"""Maillage: the application shell.

`create_app` builds the application without side effects on the database: migrations, reference data
and demo data are loaded by CLI commands (see portal/cli.py).
"""

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import access, capabilities, errors, security, templating
from portal.cli import register_cli
from portal.config import CONFIGS, _database_url, check_rate_limit_store, from_environment
from portal.extensions import csrf, db, limiter, login_manager, migrate
from portal.requests import CleanRequest
from portal.text import is_digits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the application for MAILLAGE_ENV (production unless told otherwise), with the settings of
    the environment (`environ`, os.environ by default; the testing configuration reads none) and then
    the overrides of `config`."""
    environ = os.environ if environ is None else environ
    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
        instance_path=os.path.join(ROOT, "instance"),
    )
    env = (config or {}).get("ENV_NAME") or environ.get("MAILLAGE_ENV", "production")
    if env not in CONFIGS:
        raise RuntimeError(f"MAILLAGE_ENV inconnu : {env!r} (attendu : {', '.join(CONFIGS)})")
    app.config.from_object(CONFIGS[env])
    if app.config["READS_ENVIRONMENT"]:
        app.config.update(from_environment(environ))
    app.config["ENV_NAME"] = env
    if config:
        app.config.update(config)

    app.request_class = CleanRequest
    _check_config(app)
    _configure_logging(app)
    _trust_proxy(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    access.init_app(app)
    _register_blueprints(app)


    register_cli(app)
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY doit être défini dans l'environnement en production.")
    check_rate_limit_store(app.config)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        os.makedirs(app.instance_path, exist_ok=True)
        uri = "sqlite:///" + os.path.join(app.instance_path, "maillage.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(uri, uri)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # The pages run short queries whose estimated cost can still pass jit_above_cost: compiling them
        # costs more (30-40 ms measured on the follow-up queue) than it saves.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", "-c jit=off")
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")


def _trust_proxy(app: Flask) -> None:
    """Behind N reverse proxies (PROXY_FIX=N), take the client address and scheme from X-Forwarded-*:
    login throttling counts per real client address, not per proxy."""
    hops = str(app.config.get("PROXY_FIX") or "0")
    if not is_digits(hops):
        raise RuntimeError(f"PROXY_FIX doit être un nombre de mandataires (reçu : {hops!r}).")
    if int(hops):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(hops), x_proto=int(hops), x_host=int(hops))


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _register_blueprints(app: Flask) -> None:
    capabilities.register(app)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):  # noqa: ARG001
    """SQLite: enforce foreign keys and let SQLAlchemy manage transactions (SAVEPOINT support)."""
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")
