"""Configuration classes; every secret comes from the environment."""

import os


def _database_url(value: str | None, default: str) -> str:
    """Normalise a DATABASE_URL so that PostgreSQL always goes through psycopg 3."""
    url = value or default
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = None
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
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # Login throttling: the sixth failure within the window is refused.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    INVITATION_MAX_AGE_DAYS = 7
    RESET_MAX_AGE_HOURS = 2
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Maillage <ne-pas-repondre@mission-locale-thiers.fr>")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Mission Locale Bassin Thiernois")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # defaults to instance/uploads
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Maillage-demo-2026")
    HSTS = False
    IS_PRODUCTION = False
    ALLOW_DEMO_SEED = True
    EMAIL_TEST_DOMAINS = True  # accept addresses under the reserved .test domain (demo accounts)
    # young people's profiles without activity for this many months are anonymised (RGPD retention)
    YOUTH_RETENTION_MONTHS = os.environ.get("YOUTH_RETENTION_MONTHS", "24")
    # uploaded import spreadsheets are deleted this many days after the import ended or was abandoned
    IMPORT_FILES_RETENTION_DAYS = os.environ.get("IMPORT_FILES_RETENTION_DAYS", "30")


class DevelopmentConfig(BaseConfig):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in instance/


class TestingConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = None


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    HSTS = True
    IS_PRODUCTION = True
    ALLOW_DEMO_SEED = False
    EMAIL_TEST_DOMAINS = False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
