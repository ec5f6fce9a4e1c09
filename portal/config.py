"""Configuration: defaults in classes, what an operator sets read from the environment at start-up.

Every secret comes from the environment, and only when the application is built (`create_app`), never
when this module is imported; the testing configuration reads none of it.
"""

from collections.abc import Mapping
from typing import Any

from portal.text import is_digits

# environment variable -> configuration key (text values)
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "WEB_CONCURRENCY": "WEB_CONCURRENCY",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_SENDER": "MAIL_SENDER",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "ORGANISATION_NAME": "ORGANISATION_NAME",
    "UPLOAD_FOLDER": "UPLOAD_FOLDER",
    "DEMO_PASSWORD": "DEMO_PASSWORD",
    "PROXY_FIX": "PROXY_FIX",
    "YOUTH_RETENTION_MONTHS": "YOUTH_RETENTION_MONTHS",
    "IMPORT_FILES_RETENTION_DAYS": "IMPORT_FILES_RETENTION_DAYS",
    "INDICATORS_MAX_AGE_MINUTES": "INDICATORS_MAX_AGE_MINUTES",
}


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings given through the environment (variables set and not empty)."""
    settings: dict[str, Any] = {key: environ[name] for name, key in ENVIRONMENT_SETTINGS.items()
                                if environ.get(name)}
    if environ.get("MAIL_PORT"):
        if not is_digits(environ["MAIL_PORT"]):
            raise RuntimeError(f"MAIL_PORT doit être un numéro de port (reçu : {environ['MAIL_PORT']!r}).")
        settings["MAIL_PORT"] = int(environ["MAIL_PORT"])
    if "MAIL_USE_TLS" in environ:
        settings["MAIL_USE_TLS"] = environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    return settings


def _database_url(value: str | None, default: str) -> str:
    """Normalise a DATABASE_URL so that PostgreSQL always goes through psycopg 3."""
    url = value or default
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class BaseConfig:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    WTF_I18N_ENABLED = False  # WTForms speaks French through Form.Meta.locales
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Login throttling counts failures here: in production, a store every worker shares (Redis), unless a
    # single worker runs (WEB_CONCURRENCY=1, which gunicorn reads as its number of workers).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    WEB_CONCURRENCY: str | None = None
    # Login throttling: the sixth failure within the window is refused.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    INVITATION_MAX_AGE_DAYS = 7
    RESET_MAX_AGE_HOURS = 2
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_SENDER = "Maillage <ne-pas-repondre@mission-locale-thiers.fr>"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    ORGANISATION_NAME = "Mission Locale Bassin Thiernois"
    UPLOAD_FOLDER: str | None = None  # defaults to instance/uploads
    DEMO_PASSWORD = "Maillage-demo-2026"
    PROXY_FIX = "0"
    HSTS = False
    IS_PRODUCTION = False
    ALLOW_DEMO_SEED = True
    EMAIL_TEST_DOMAINS = True  # accept addresses under the reserved .test domain (demo accounts)
    # young people's profiles without activity for this many months are anonymised (RGPD retention)
    YOUTH_RETENTION_MONTHS = "24"
    # uploaded import spreadsheets are deleted this many days after the import ended or was abandoned
    IMPORT_FILES_RETENTION_DAYS = "30"
    # the indicators' figures are kept this many minutes, with the time they were counted (0: counted on every page)
    INDICATORS_MAX_AGE_MINUTES = "10"
    READS_ENVIRONMENT = True


def check_rate_limit_store(config: Mapping[str, Any]) -> None:
    """Refuse a production whose workers would each count login failures in their own memory: with
    four workers, the sixth wrong password would become the twenty-first."""
    workers = config.get("WEB_CONCURRENCY")
    if workers is not None and not (is_digits(str(workers)) and int(workers) > 0):
        raise RuntimeError(f"WEB_CONCURRENCY doit être un nombre de workers (reçu : {workers!r}).")
    per_process = "memory://" in str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if config.get("IS_PRODUCTION") and per_process and str(workers) != "1":
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI doit désigner en production un stockage partagé par tous les workers, "
            "par exemple redis://127.0.0.1:6379/0 : avec memory://, chaque worker compte ses propres échecs "
            "de connexion et la limite est multipliée par le nombre de workers. memory:// n'est accepté "
            "qu'avec un seul worker, déclaré par WEB_CONCURRENCY=1.")


class DevelopmentConfig(BaseConfig):
    SECRET_KEY = "dev-only-not-secret"
    # unset: links use the address the server is really reached at (`make run PORT=...` sets it)
    PUBLIC_BASE_URL: str | None = None
    # every e-mail is printed on the console once its transaction commits, and readable in full on the
    # admins' « Courriels envoyés » page (in production that page shows neither bodies nor links)
    MAIL_CONSOLE = True
    MAIL_SHOW_BODIES = True


class TestingConfig(BaseConfig):
    """The tests' settings are all here or in the fixtures: whatever the shell of the person running the
    suite holds (DEMO_PASSWORD, DATABASE_URL, MAIL_SERVER...) changes no result."""

    TESTING = True
    DEBUG = False  # Flask would otherwise take FLASK_DEBUG from the shell
    SECRET_KEY = "test-only-not-secret"
    WTF_CSRF_ENABLED = True
    READS_ENVIRONMENT = False
    INDICATORS_MAX_AGE_MINUTES = "0"  # a test reads the figures of its own facts; the snapshot tests turn it on


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    IS_PRODUCTION = True
    ALLOW_DEMO_SEED = False
    EMAIL_TEST_DOMAINS = False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
