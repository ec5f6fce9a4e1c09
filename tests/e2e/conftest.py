"""Browser tests: the real application served over HTTP on 127.0.0.1, driven by the system Chromium.

- One server for the whole `tests/e2e` package, on a database of its own (a SQLite file, or a scratch
  PostgreSQL database next to TEST_DATABASE_URL's), migrated, with reference and demo data.
- One browser for the package, a fresh context (cookies, storage) per test.
- Without a browser the tests are skipped with the reason, except in CI (`CI=true`) where a missing
  browser is a failure: the proof must run there.
- Any 5xx answered during a test fails it, whatever the page showed.

Chromium comes from the system packages (`apt-get install chromium`); MAILLAGE_CHROMIUM may name
another executable.
"""

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask

from portal import demo
from portal.extensions import limiter
from tests.e2e.databases import make_app, prepare, scratch_database, serve

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _no_browser(reason: str) -> None:
    message = (f"Tests dans le navigateur impossibles : {reason}. Installez Chromium "
               f"(apt-get install chromium) et les outils de test (pip install -e '.[dev]').")
    if in_ci():
        pytest.fail(message + " En intégration continue, ces tests sont obligatoires.", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MAILLAGE_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: browser tests talk to their own server and database, over HTTP."""
    yield


# --- the server -------------------------------------------------------------------------------------


class _ErrorRecorder:
    """WSGI middleware noting every 5xx and every exception escaping the application."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.failures: list[str] = []

    def __call__(self, environ, start_response):
        where = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}"

        def recording_start_response(status, headers, exc_info=None):
            if status.startswith("5"):
                self.failures.append(f"{where} → {status}")
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, recording_start_response)
        except Exception as exc:
            self.failures.append(f"{where} → exception {exc!r}")
            raise


@dataclass
class LiveServer:
    app: Flask
    url: str
    database_url: str
    recorder: _ErrorRecorder
    sessions: dict[str, dict] = field(default_factory=dict)  # role -> Playwright storage state

    def reset_limits(self) -> None:
        with self.app.app_context():
            limiter.reset()

    def emails_to(self, recipient: str) -> list[str]:
        """Bodies of the e-mails queued for `recipient`, newest first (read from the outbox)."""
        from sqlalchemy import select

        from portal.extensions import db
        from portal.notifications.models import OutboxMessage

        with self.app.app_context():
            return list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == recipient)
                                           .order_by(OutboxMessage.id.desc())))

    def link_in_email(self, recipient: str, path_prefix: str) -> str:
        """The path of the newest link starting with `path_prefix` e-mailed to `recipient`."""
        for body in self.emails_to(recipient):
            found = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", body)
            if found:
                return found.group(1)
        raise AssertionError(f"aucun courriel à {recipient} ne contient de lien {path_prefix}…")


@pytest.fixture(scope="package")
def server() -> Iterator[LiveServer]:
    """The application served by werkzeug on a free port of 127.0.0.1, for the whole package."""
    with scratch_database("e2e") as database_url:
        uploads = tempfile.mkdtemp(prefix="maillage-e2e-uploads-")
        app = make_app(database_url, UPLOAD_FOLDER=uploads)
        prepare(app, demo=True)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns the report
        recorder = _ErrorRecorder(app.wsgi_app)
        app.wsgi_app = recorder
        try:
            with serve(app, "maillage-e2e") as url:
                yield LiveServer(app=app, url=url, database_url=database_url, recorder=recorder)
        finally:
            shutil.rmtree(uploads, ignore_errors=True)


# --- the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the package (skipped, or failed in CI, when there is none)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _no_browser("Playwright pour Python n'est pas installé")
    executable = chromium_path()
    if executable is None:
        _no_browser("Chromium est introuvable (ni MAILLAGE_CHROMIUM, ni chromium dans le PATH)")
    manager = sync_playwright().start()
    try:
        try:
            browser = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            _no_browser(f"Chromium ({executable}) ne démarre pas : {exc.message.splitlines()[0]}")
        yield browser
        browser.close()
    finally:
        manager.stop()


_CLIENT_ERROR = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


def _new_page(browser, server: LiveServer, viewport: dict, **options):
    context = browser.new_context(base_url=server.url, viewport=viewport, locale="fr-FR", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console_errors: list[str] = []

    def on_console(msg):
        # Refused answers (4xx) are part of the tests; scripts errors and CSP refusals are not.
        if msg.type == "error" and not _CLIENT_ERROR.match(msg.text):
            console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    page.console_errors = console_errors
    return context, page


@pytest.fixture()
def browser_page(browser, server):
    """A factory of pages, each in a fresh context: `browser_page(viewport=PHONE, bypass_csp=True)`."""
    contexts = []
    server.recorder.failures.clear()
    server.reset_limits()

    def factory(viewport: dict = DESKTOP, **options):
        context, page = _new_page(browser, server, viewport, **options)
        contexts.append(context)
        return page

    yield factory
    for context in contexts:
        context.close()
    failures = list(server.recorder.failures)
    assert not failures, "Le serveur a répondu par une erreur 5xx :\n" + "\n".join(failures)


@pytest.fixture()
def page(browser_page):
    """A desktop-sized page in a fresh context, with the Content-Security-Policy in force."""
    return browser_page()


# --- acting as a user --------------------------------------------------------------------------------

DEMO = {role: email for email, role, _name in demo.DEMO_ACCOUNTS}
DEMO_NAMES = {role: name for _email, role, name in demo.DEMO_ACCOUNTS}


@pytest.fixture()
def demo_password(server) -> str:
    return server.app.config["DEMO_PASSWORD"]


@pytest.fixture()
def login(demo_password):
    """`login(page, "admin")`: sign in through the login form as a demo account, land on the home page."""

    def _login(page, role: str, password: str | None = None):
        page.goto("/connexion")
        page.get_by_label("Adresse électronique").fill(DEMO[role])
        page.get_by_label("Mot de passe").fill(password or demo_password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: not url.rstrip("/").endswith("/connexion"))
        return page

    return _login


@pytest.fixture()
def as_role(browser_page, login, server):
    """`as_role("admin", viewport=PHONE)`: a page already signed in (the login form is gone through once
    per role and package, then its session cookie is reused), opened on the home page."""

    def _as_role(role: str | None, **options):
        if role is None:
            return browser_page(**options)
        if role not in server.sessions:
            first = login(browser_page(), role)
            server.sessions[role] = first.context.storage_state()
        return browser_page(storage_state=server.sessions[role], **options)

    return _as_role
