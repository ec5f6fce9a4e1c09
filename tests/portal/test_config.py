"""Configuration: what is read from the environment, by whom, and what the suite ignores of it."""

import json
import os
import subprocess
import sys

import pytest

from portal import ROOT, create_app
from portal.config import check_rate_limit_store, from_environment
from tests.conftest import _TMP, database_url

# What a developer's shell may hold (the README invites DEMO_PASSWORD for `make run`), set to values that
# would change results if the suite read them.
HOSTILE = {
    "MAILLAGE_ENV": "production",
    "DATABASE_URL": "postgresql://intrus@base-de-production.invalid/maillage",
    "DEMO_PASSWORD": "Mot-de-passe-du-shell-2026!",
    "SECRET_KEY": "clé-du-shell",
    "RATELIMIT_STORAGE_URI": "redis://ailleurs.invalid:6379",
    "MAIL_SERVER": "smtp.ailleurs.invalid",
    "MAIL_PORT": "2525",
    "MAIL_USERNAME": "intrus",
    "MAIL_PASSWORD": "secret",
    "MAIL_USE_TLS": "1",
    "MAIL_SENDER": "Intrus <intrus@ailleurs.invalid>",
    "PUBLIC_BASE_URL": "https://ailleurs.invalid",
    "ORGANISATION_NAME": "Une autre Mission Locale",
    "UPLOAD_FOLDER": "/tmp/ailleurs",
    "PROXY_FIX": "3",
    "YOUTH_RETENTION_MONTHS": "1",
    "IMPORT_FILES_RETENTION_DAYS": "1",
    "WEB_CONCURRENCY": "quatre",
    "FLASK_DEBUG": "1",  # read by Flask itself
}

SETTINGS = ["ENV_NAME", "TESTING", "DEBUG", "WEB_CONCURRENCY", "IS_PRODUCTION", "SQLALCHEMY_DATABASE_URI", "DEMO_PASSWORD", "SECRET_KEY",
            "RATELIMIT_STORAGE_URI", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
            "MAIL_SENDER", "PUBLIC_BASE_URL", "ORGANISATION_NAME", "UPLOAD_FOLDER", "PROXY_FIX",
            "YOUTH_RETENTION_MONTHS", "IMPORT_FILES_RETENTION_DAYS", "SESSION_COOKIE_SECURE", "ALLOW_DEMO_SEED"]

# Imports the suite's own fixtures module and builds the application exactly as the `app` fixture does.
BUILD_TEST_APP = f"""
import json
from portal import create_app
from tests.conftest import _TMP, app_config
app = create_app(app_config())
print(json.dumps({{"tmp": _TMP, "config": {{key: app.config[key] for key in {SETTINGS!r}}}}}))
"""


def _settings(config, tmp: str) -> dict:
    return {key: (config[key].replace(tmp, "<tmp>") if isinstance(config[key], str) else config[key])
            for key in SETTINGS}


def test_the_suite_reads_nothing_from_a_hostile_environment(app):
    """Modules imported and the test application built in a fresh process whose environment holds other
    values: the same settings as this run's application."""
    result = subprocess.run([sys.executable, "-c", BUILD_TEST_APP], cwd=ROOT, env={**os.environ, **HOSTILE},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    built = json.loads(result.stdout.strip().splitlines()[-1])
    hostile_run = _settings(built["config"], built["tmp"])
    assert hostile_run == _settings(app.config, _TMP)
    assert hostile_run["DEMO_PASSWORD"] == "Maillage-demo-2026"
    assert hostile_run["ENV_NAME"] == "testing" and hostile_run["MAIL_SERVER"] is None
    if not database_url().startswith("postgresql"):
        assert hostile_run["SQLALCHEMY_DATABASE_URI"] == "sqlite:///<tmp>/test.db"


def test_development_and_production_take_the_operators_settings_from_the_environment():
    # (a memory store: the rate limiter is one object for every application built in this process)
    environ = {**HOSTILE, "MAILLAGE_ENV": "development", "DATABASE_URL": "sqlite://",
               "RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "4"}
    development = create_app(environ=environ)
    assert development.config["ENV_NAME"] == "development"
    assert development.config["DEMO_PASSWORD"] == "Mot-de-passe-du-shell-2026!"
    assert development.config["MAIL_PORT"] == 2525 and development.config["MAIL_USE_TLS"] is True
    assert development.config["PUBLIC_BASE_URL"] == "https://ailleurs.invalid"
    assert development.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert development.config["PROXY_FIX"] == "3"
    # an override given to create_app wins over the environment
    assert create_app({"DEMO_PASSWORD": "Autre-2026!"}, environ=environ).config["DEMO_PASSWORD"] == "Autre-2026!"
    # the testing configuration ignores the environment even when asked for by MAILLAGE_ENV
    testing = create_app(environ={**HOSTILE, "MAILLAGE_ENV": "testing"})
    assert testing.config["DEMO_PASSWORD"] == "Maillage-demo-2026"
    assert testing.config["MAIL_SERVER"] is None


def test_empty_variables_keep_the_defaults():
    assert from_environment({"DEMO_PASSWORD": "", "MAIL_SERVER": "", "SECRET_KEY": ""}) == {}
    assert from_environment({"MAIL_USE_TLS": "non"}) == {"MAIL_USE_TLS": False}


@pytest.mark.parametrize("port", ["vingt-cinq", "25 ", "-1"])
def test_a_malformed_mail_port_is_refused_in_french(port):
    with pytest.raises(RuntimeError, match="MAIL_PORT doit être un numéro de port"):
        from_environment({"MAIL_PORT": port})


# --- production needs a rate-limit store shared by its workers ----------------------------------------

PRODUCTION = {"MAILLAGE_ENV": "production", "SECRET_KEY": "une-vraie-clé-secrète-de-production",
              "DATABASE_URL": "sqlite://"}


@pytest.mark.parametrize("environ", [
    pytest.param({}, id="workers-unknown"),
    pytest.param({"WEB_CONCURRENCY": "4"}, id="four-workers"),
    pytest.param({"RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "2"}, id="memory-said-aloud"),
])
def test_production_refuses_to_start_with_a_per_process_rate_limit_store(environ):
    with pytest.raises(RuntimeError) as refused:
        create_app(environ={**PRODUCTION, **environ})
    message = str(refused.value)
    assert message.startswith("RATELIMIT_STORAGE_URI doit désigner en production un stockage partagé")
    assert "redis://" in message and "WEB_CONCURRENCY=1" in message


@pytest.mark.parametrize("workers", ["quatre", "0", "-2", "1.5"])
def test_a_malformed_number_of_workers_is_refused_in_french(workers):
    with pytest.raises(RuntimeError, match="WEB_CONCURRENCY doit être un nombre de workers"):
        create_app(environ={**PRODUCTION, "WEB_CONCURRENCY": workers})


def test_production_with_one_worker_may_keep_its_limits_in_memory():
    app = create_app(environ={**PRODUCTION, "WEB_CONCURRENCY": "1"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://" and app.config["IS_PRODUCTION"]


@pytest.mark.parametrize("uri", ["redis://127.0.0.1:6379/0", "rediss://cache.example.fr:6380/1",
                                 "memcached://127.0.0.1:11211"])
@pytest.mark.parametrize("workers", [None, "4"])
def test_production_accepts_a_shared_store_whatever_the_workers(uri, workers):
    # checked on the settings alone: building an app would hand the shared limiter object a store
    check_rate_limit_store({"IS_PRODUCTION": True, "RATELIMIT_STORAGE_URI": uri, "WEB_CONCURRENCY": workers})


def test_development_keeps_its_limits_in_memory_whatever_the_workers():
    app = create_app(environ={"MAILLAGE_ENV": "development", "DATABASE_URL": "sqlite://", "WEB_CONCURRENCY": "4"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
