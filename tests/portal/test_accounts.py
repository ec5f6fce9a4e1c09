"""Accounts: login and logout, throttling, invitations, password resets, "mon compte", CSRF failures."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, suppress
from urllib.parse import urlencode, urlparse

import pytest
import redis
import requests
from sqlalchemy import func, select

from portal import ROOT
from portal.accounts import tokens
from portal.accounts.models import User
from portal.accounts.views import LOGIN_FAILED, THROTTLED
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token, database_url
from tests.factories import PASSWORD

NEW_PASSWORD = "Nouveau-mot-2026!"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _post_login(client, email, password, ip="127.0.0.1"):
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


def _outbox_link(recipient: str) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"aucun courriel pour {recipient}"
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def _events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


# --- login and logout --------------------------------------------------------------------------------


@pytest.mark.parametrize("role, landmark", [
    ("admin", "communes du territoire"),
    ("counsellor", "Inviter un employeur ou un partenaire"),
    ("employer", "SIRET"),
    ("partner", "Avec la Mission Locale"),
])
def test_each_role_lands_on_its_own_home(client, auth, make, role, landmark):
    user = make.user(role, full_name="Camille Martin")
    response = auth.login(user)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = _text(client.get("/"))
    assert "Bonjour Camille Martin" in page
    assert landmark in page
    assert "Se déconnecter" in page
    if role == "employer":
        assert user.company.name in page
    if role == "partner":
        assert user.partner.name in page
    assert db.session.get(User, user.id).last_login_at is not None


def test_home_pages_differ_by_role(client, auth, make):
    """The admin's dashboard is not shown to a counsellor."""
    auth.login(make.counsellor())
    assert "communes du territoire" not in _text(client.get("/"))


def test_login_is_case_insensitive_on_email_and_follows_a_safe_next(client, make):
    user = make.counsellor(email="camille@exemple.test")
    token = csrf_token(client, "/connexion?next=/mon-compte")
    response = client.post("/connexion", data={"email": "  Camille@Exemple.TEST ", "password": PASSWORD,
                                               "next": "/mon-compte", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/mon-compte"
    assert user.last_login_at is not None


def _login_with_next(client, user, target):
    """Follow a link `/connexion?next=<target>`, then log in through its form."""
    page = client.get("/connexion?" + urlencode({"next": target}))
    assert page.status_code == 200
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"email": user.email, "password": PASSWORD, "next": target,
                                           "csrf_token": token})


# Known open-redirect payloads, as the `next` value reaches the form (the link carries them URL-encoded once
# more): each must lead home after a successful login, never elsewhere and never to an error.
OPEN_REDIRECTS = [
    pytest.param("//evil.example/x", id="double-slash"),
    pytest.param("///evil.example", id="triple-slash"),
    pytest.param("/\\evil.example", id="slash-backslash"),
    pytest.param("\\/evil.example", id="backslash-slash"),
    pytest.param("\\\\evil.example", id="double-backslash"),
    pytest.param("/\t/evil.example", id="tab"),
    pytest.param("/\n/evil.example", id="newline"),
    pytest.param("/\r/evil.example", id="carriage-return"),
    pytest.param("/\r\nSet-Cookie: session=volee", id="header-injection"),
    pytest.param("\t//evil.example", id="leading-tab"),
    pytest.param(" //evil.example", id="leading-space"),
    pytest.param("/\x0b/evil.example", id="vertical-tab"),
    pytest.param("/\x00/evil.example", id="nul"),
    pytest.param("/%09/evil.example", id="encoded-tab"),
    pytest.param("/%0A/evil.example", id="encoded-newline"),
    pytest.param("/%0d/evil.example", id="encoded-carriage-return"),
    pytest.param("/%2F/evil.example", id="encoded-slash"),
    pytest.param("%2F%2Fevil.example", id="encoded-double-slash"),
    pytest.param("/%5Cevil.example", id="encoded-backslash"),
    pytest.param("/%252F/evil.example", id="double-encoded-slash"),
    pytest.param("/%25%30%39/evil.example", id="double-encoded-tab"),
    pytest.param("https://evil.example/", id="absolute-url"),
    pytest.param("https:evil.example", id="scheme-without-slashes"),
    pytest.param("//user@evil.example", id="userinfo"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("JaVaScRiPt:alert(1)", id="javascript-mixed-case"),
    pytest.param("\tjavascript:alert(1)", id="javascript-leading-tab"),
    pytest.param("data:text/html,<script>alert(1)</script>", id="data-url"),
    pytest.param("evil.example", id="relative-host"),
    pytest.param("/" + "a" * 3000, id="too-long"),
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_never_redirects_off_site(client, make, target):
    user = make.counsellor()
    response = _login_with_next(client, user, target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "Bonjour" in _text(client.get("/"))
    assert user.last_login_at is not None


@pytest.mark.parametrize("target, location", [
    pytest.param("/mon-compte", "/mon-compte", id="page"),
    pytest.param("/comptes?q=Thiers&statut=actif", "/comptes?q=Thiers&statut=actif", id="query"),
    pytest.param("/comptes?q=caf%C3%A9", "/comptes?q=caf%C3%A9", id="encoded-query"),
    pytest.param("/comptes?q=café", "/comptes?q=caf%C3%A9", id="accented-query"),
    pytest.param("/mon-compte#mot-de-passe", "/mon-compte#mot-de-passe", id="fragment"),
    pytest.param("/comptes\\inviter", "/comptes/inviter", id="inner-backslash-as-slash"),
    pytest.param("/javascript:alert(1)", "/javascript:alert(1)", id="path-looking-like-a-scheme"),
])
def test_login_follows_a_local_next(client, make, target, location):
    response = _login_with_next(client, make.admin(), target)
    assert response.status_code == 303
    assert response.headers["Location"] == location


def test_logout_ends_the_session(client, auth, make):
    auth.login(make.counsellor())
    response = auth.logout()
    assert response.status_code == 303
    assert response.headers["Location"] == "/connexion"
    page = _text(client.get("/connexion"))
    assert "Vous êtes déconnecté·e." in page
    after = client.get("/mon-compte")
    assert after.status_code == 302 and "/connexion" in after.headers["Location"]


def test_anonymous_private_page_goes_to_login_with_next(client):
    response = client.get("/mon-compte")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")
    assert "Connectez-vous pour accéder à cette page." in _text(client.get(response.headers["Location"]))


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    user = make.counsellor()
    wrong = _post_login(client, user.email, "pas-le-bon-mot-de-passe")
    unknown = _post_login(client, "personne@exemple.test", "pas-le-bon-mot-de-passe")
    for response, email in ((wrong, user.email), (unknown, "personne@exemple.test")):
        page = _text(response)
        assert response.status_code == 401
        assert LOGIN_FAILED in page
        assert f'value="{email}"' in page
        assert "pas-le-bon-mot-de-passe" not in page
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", _text(wrong)) == strip.sub("", _text(unknown))
    assert user.last_login_at is None


def test_empty_login_form_says_what_is_missing(client):
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={"email": "", "password": "", "csrf_token": token})
    assert response.status_code == 422
    assert "Information obligatoire." in _text(response)


def test_account_without_password_cannot_log_in(client, make):
    invited = make.employer(password=None)
    response = _post_login(client, invited.email, "")
    assert response.status_code == 422
    response = _post_login(client, invited.email, PASSWORD)
    assert response.status_code == 401 and LOGIN_FAILED in _text(response)


def test_deactivated_account_is_refused_with_the_same_message(client, make):
    user = make.counsellor(active=False)
    response = _post_login(client, user.email, PASSWORD)
    assert response.status_code == 401
    assert LOGIN_FAILED in _text(response)


def test_deactivation_ends_an_open_session(app, client, auth, make):
    admin = make.admin()
    user = make.employer()
    auth.login(user)
    assert client.get("/mon-compte").status_code == 200
    admin_client = app.test_client()
    token = csrf_token(admin_client, "/connexion")
    admin_client.post("/connexion", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    token = csrf_token(admin_client, "/comptes")
    response = admin_client.post(f"/comptes/{user.id}/desactiver", data={"csrf_token": token})
    assert response.status_code == 303
    assert "a été désactivé" in _text(admin_client.get("/comptes"))
    assert db.session.get(User, user.id).active is False
    assert _events("account.deactivate") == 1
    after = client.get("/mon-compte")
    assert after.status_code == 302 and "/connexion" in after.headers["Location"]


def test_nobody_deactivates_their_own_account(client, auth, make):
    admin = make.admin()
    auth.login(admin)
    token = csrf_token(client, "/comptes")
    client.post(f"/comptes/{admin.id}/desactiver", data={"csrf_token": token})
    assert "Vous ne pouvez pas désactiver votre propre compte." in _text(client.get("/comptes"))
    assert admin.active is True


def test_counsellor_cannot_touch_an_admin_account(client, auth, make):
    other = make.admin()
    auth.login(make.counsellor())
    token = csrf_token(client, "/comptes")
    assert client.post(f"/comptes/{other.id}/desactiver", data={"csrf_token": token}).status_code == 404
    assert other.active is True


# --- sessions end ------------------------------------------------------------------------------------


def _copy_of_session(app, client):
    """Another browser given a copy of `client`'s session cookie (a stolen or forgotten one)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/mon-compte").status_code == 200
    return other


def _browser(app, user, password=PASSWORD):
    """A browser of its own, logged in as `user`."""
    browser = app.test_client()
    assert _post_login(browser, user.email, password).status_code == 303
    return browser


def _goes_to_login(browser) -> bool:
    response = browser.get("/mon-compte")
    return response.status_code == 302 and response.headers["Location"].startswith("/connexion")


def test_a_cookie_kept_from_before_logout_gets_the_login_page(app, client, auth, make):
    user = make.counsellor()
    auth.login(user)
    copy = _copy_of_session(app, client)
    phone = _browser(app, user)
    assert auth.logout().status_code == 303
    assert _goes_to_login(copy)
    assert _goes_to_login(phone)  # logging out ends every session of the account
    assert "Connectez-vous pour accéder à cette page." in _text(copy.get("/connexion"))
    assert auth.login(user).status_code == 303
    assert client.get("/mon-compte").status_code == 200


def test_changing_password_ends_the_other_sessions_and_keeps_this_one(app, client, auth, make):
    user = make.employer()
    auth.login(user)
    copy, phone = _copy_of_session(app, client), _browser(app, user)
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 303
    page = _text(client.get("/mon-compte"))
    assert "Votre mot de passe a été modifié. Vos autres sessions ont été fermées." in page
    assert _goes_to_login(copy) and _goes_to_login(phone)
    assert client.get("/mon-compte").status_code == 200


def test_a_refused_password_change_ends_no_session(app, client, auth, make):
    user = make.employer()
    auth.login(user)
    phone = _browser(app, user)
    assert _change(client, "pas-le-bon", NEW_PASSWORD).status_code == 422
    assert phone.get("/mon-compte").status_code == 200


def test_resetting_the_password_ends_every_open_session(app, client, make):
    user = make.counsellor()
    phone = _browser(app, user)
    _forgot(client, user.email)
    link = _outbox_link(user.email)
    token = csrf_token(client, link)
    assert client.post(link, data={"csrf_token": token, "password": NEW_PASSWORD,
                                   "password_confirm": NEW_PASSWORD}).status_code == 303
    assert _goes_to_login(phone)


def test_admin_logs_an_account_out_everywhere(app, client, auth, make):
    user = make.partner_user(email="partenaire@exemple.test")
    laptop, phone = _browser(app, user), _browser(app, user)
    auth.login(make.admin())
    page = _text(client.get("/comptes"))
    assert f'action="/comptes/{user.id}/deconnecter"' in page and "Déconnecter partout" in page
    token = csrf_token(client, "/comptes")
    response = client.post(f"/comptes/{user.id}/deconnecter", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/comptes"
    assert ("Toutes les sessions de partenaire@exemple.test sont fermées : il faudra se reconnecter."
            in _text(client.get("/comptes")))
    assert _goes_to_login(laptop) and _goes_to_login(phone)
    assert _events("account.logout_everywhere") == 1
    assert "Compte : déconnexion partout" in _text(client.get("/admin/journal"))
    assert client.get("/mon-compte").status_code == 200  # the admin's own session goes on
    assert _post_login(laptop, user.email, PASSWORD).status_code == 303  # the account itself is untouched


def test_logging_out_everywhere_is_for_admins_on_other_accounts(app, client, auth, make):
    employer = make.employer()
    phone = _browser(app, employer)
    auth.login(make.counsellor())
    assert "Déconnecter partout" not in _text(client.get("/comptes"))
    token = csrf_token(client, "/comptes")
    assert client.post(f"/comptes/{employer.id}/deconnecter", data={"csrf_token": token}).status_code == 403
    assert phone.get("/mon-compte").status_code == 200
    auth.logout()
    admin = make.admin()
    auth.login(admin)
    assert f'action="/comptes/{admin.id}/deconnecter"' not in _text(client.get("/comptes"))
    token = csrf_token(client, "/comptes")
    client.post(f"/comptes/{admin.id}/deconnecter", data={"csrf_token": token})
    assert "Pour fermer vos propres sessions, déconnectez-vous" in _text(client.get("/comptes"))
    assert client.get("/mon-compte").status_code == 200
    assert client.post("/comptes/999999/deconnecter", data={"csrf_token": token}).status_code == 404
    assert _events("account.logout_everywhere") == 0


def test_a_reactivated_account_does_not_get_its_old_sessions_back(app, client, auth, make):
    user = make.employer()
    phone = _browser(app, user)
    auth.login(make.admin())
    token = csrf_token(client, "/comptes")
    client.post(f"/comptes/{user.id}/desactiver", data={"csrf_token": token})
    client.post(f"/comptes/{user.id}/reactiver", data={"csrf_token": token})
    assert db.session.get(User, user.id).active is True
    assert _goes_to_login(phone)


def test_a_session_of_an_unknown_shape_is_logged_out(app, client, auth, make):
    """A session opened before session versions (the bare account id) or altered logs in again."""
    user = make.counsellor()
    for value in (str(user.id), f"{user.id}:", f"{user.id}:x", f"{user.id}:{'9' * 60}", "x:1"):
        with client.session_transaction() as session:
            session["_user_id"] = value
        assert _goes_to_login(client), value


# --- throttling --------------------------------------------------------------------------------------


def test_sixth_failure_on_one_account_from_several_addresses_is_throttled(client, make):
    user = make.counsellor()
    for i in range(5):
        assert _post_login(client, user.email, f"faux-{i}", ip=f"10.0.0.{i + 1}").status_code == 401
    response = _post_login(client, user.email, "faux-6", ip="10.0.0.99")
    page = _text(response)
    assert response.status_code == 429
    assert THROTTLED in page
    assert f'value="{user.email}"' in page
    assert "faux-6" not in page
    # even the right password is refused while the account is throttled
    assert _post_login(client, user.email, PASSWORD, ip="10.0.0.100").status_code == 429
    assert user.last_login_at is None
    # another account from a fresh address is not affected
    other = make.counsellor()
    assert _post_login(client, other.email, PASSWORD, ip="10.0.1.1").status_code == 303


def test_sixth_failure_from_one_address_on_several_accounts_is_throttled(client, make):
    for i in range(5):
        response = _post_login(client, f"inconnu{i}@exemple.test", "faux", ip="192.0.2.7")
        assert response.status_code == 401
    victim = make.counsellor()
    response = _post_login(client, victim.email, PASSWORD, ip="192.0.2.7")
    assert response.status_code == 429
    assert THROTTLED in _text(response)
    assert f'value="{victim.email}"' in _text(response)
    assert _post_login(client, victim.email, PASSWORD, ip="192.0.2.8").status_code == 303


def test_successful_logins_do_not_count_as_failures(app, make):
    user = make.counsellor()
    for _ in range(7):
        client = app.test_client()
        assert _post_login(client, user.email, PASSWORD, ip="198.51.100.1").status_code == 303
    client = app.test_client()
    for _ in range(4):
        assert _post_login(client, user.email, "faux", ip="198.51.100.1").status_code == 401
    assert _post_login(client, user.email, PASSWORD, ip="198.51.100.1").status_code == 303


SHARED_STORE = "redis://127.0.0.1:6379/0"  # Redis runs there on the developers' machines and in CI


@contextmanager
def _production_servers(count: int, folder):
    """`count` production servers of one gunicorn worker each, sharing the test database and SHARED_STORE,
    behind one (pretended) proxy so that each test may take a client address of its own."""
    env = {"PATH": os.defpath, "MAILLAGE_ENV": "production", "SECRET_KEY": "test-only-deux-serveurs",
           "DATABASE_URL": database_url(), "RATELIMIT_STORAGE_URI": SHARED_STORE, "PROXY_FIX": "1",
           "UPLOAD_FOLDER": str(folder)}
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    servers = []
    try:
        for n in range(count):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            log = open(folder / f"serveur-{n}.log", "w+")  # noqa: SIM115 (closed below)
            process = subprocess.Popen([gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level",
                                        "warning", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
            servers.append((f"http://127.0.0.1:{port}", process, log))
        for base, process, log in servers:
            for _ in range(600):
                assert process.poll() is None, (log.seek(0), log.read())[1][-3000:]
                with suppress(requests.ConnectionError):
                    if requests.get(base + "/healthz", timeout=30).status_code == 200:
                        break
                time.sleep(0.2)
        yield [base for base, _, _ in servers]
    finally:
        for _, process, log in servers:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def _login_attempt(base: str, email: str, address: str):
    """A wrong password posted to one server from `address`."""
    page = requests.get(base + "/connexion", headers={"X-Forwarded-For": address}, timeout=30)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    # production cookies are Secure: hand the session cookie over plain HTTP ourselves
    return requests.post(base + "/connexion", data={"email": email, "password": "faux", "csrf_token": token},
                         cookies={"session": page.cookies["session"]}, headers={"X-Forwarded-For": address},
                         allow_redirects=False, timeout=30)


def test_the_login_limit_holds_across_two_processes_sharing_a_store(tmp_path):
    """Each server alone sees at most three failures, yet the sixth is refused: they count in one place."""
    run = uuid.uuid4().hex
    email, address = f"inconnu-{run}@exemple.fr", f"2001:db8::{run[:4]}:{run[4:8]}:{run[8:12]}"
    store = redis.Redis.from_url(SHARED_STORE)
    try:
        with _production_servers(2, tmp_path) as (first, second):
            for base in (first, second, first, second, first):
                assert _login_attempt(base, email, address).status_code == 401
            refused = _login_attempt(second, email, address)
            assert refused.status_code == 429
            assert THROTTLED in refused.text
            assert _login_attempt(first, email, address).status_code == 429
    finally:
        for pattern in (f"*{email}*", f"*{address}*"):
            for key in store.scan_iter(match=pattern):
                store.delete(key)


def test_proxy_fix_reads_the_client_address_when_enabled():
    from portal import create_app

    proxied = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX": "1"})

    @proxied.get("/sonde-adresse")
    def probe():
        from flask import request
        return request.remote_addr

    from portal.access import public
    public(probe)
    response = proxied.test_client().get("/sonde-adresse", headers={"X-Forwarded-For": "203.0.113.9"},
                                         environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.get_data(as_text=True) == "203.0.113.9"
    direct = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    direct.add_url_rule("/sonde-adresse", "probe", probe)
    response = direct.test_client().get("/sonde-adresse", headers={"X-Forwarded-For": "203.0.113.9"},
                                        environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.get_data(as_text=True) == "10.0.0.1"


# --- invitations -------------------------------------------------------------------------------------


def _invite(client, **data):
    token = csrf_token(client, "/comptes/inviter")
    return client.post("/comptes/inviter", data={"csrf_token": token, **data})


@pytest.mark.parametrize("role", ["admin", "counsellor", "employer", "partner"])
def test_admin_invites_any_role(client, auth, make, role):
    auth.login(make.admin())
    data = {"email": "Nouvelle.Personne@Exemple.test", "full_name": "Nouvelle Personne", "role": role}
    if role == "employer":
        data["company_id"] = str(make.company(name="Plastiques du Forez").id)
    if role == "partner":
        data["partner_id"] = str(make.partner(name="CCAS de Thiers").id)
    response = _invite(client, **data)
    assert response.status_code == 303
    assert "Invitation envoyée à nouvelle.personne@exemple.test." in _text(client.get("/comptes"))
    user = db.session.scalar(select(User).where(User.email == "nouvelle.personne@exemple.test"))
    assert user.role == role and user.password_hash is None
    assert (user.company_id is not None) == (role == "employer")
    assert (user.partner_id is not None) == (role == "partner")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert message.subject == "Votre accès à Maillage"
    assert "/invitation/" in message.body
    assert _events("account.invite") == 1


def test_counsellor_invites_only_employers_and_partners(client, auth, make):
    auth.login(make.counsellor())
    page = _text(client.get("/comptes/inviter"))
    assert 'value="employer"' in page and 'value="partner"' in page
    assert 'value="admin"' not in page and 'value="counsellor"' not in page
    response = _invite(client, email="chef@exemple.test", full_name="Chef", role="admin")
    assert response.status_code == 422
    assert "n&#39;est pas un choix valide" in _text(response) or "choix" in _text(response)
    assert db.session.scalar(select(User).where(User.email == "chef@exemple.test")) is None
    company = make.company()
    assert _invite(client, email="rh@exemple.test", full_name="RH", role="employer",
                   company_id=str(company.id)).status_code == 303


def test_counsellor_cannot_invite_staff_through_the_service(make):
    from portal.accounts.services import invite_user
    from portal.errors import DomainError

    with pytest.raises(DomainError, match="Vous ne pouvez pas inviter"):
        invite_user(make.counsellor(), email="x@exemple.test", full_name="X", role="counsellor")


@pytest.mark.parametrize("role, field, message", [
    ("employer", "company_id", "Choisissez l&#39;entreprise de ce compte employeur."),
    ("partner", "partner_id", "Choisissez l&#39;organisation de ce compte partenaire."),
])
def test_employer_needs_a_company_and_partner_an_organisation(client, auth, make, role, field, message):
    auth.login(make.counsellor())
    response = _invite(client, email="sans@exemple.test", full_name="Dominique Sans", role=role)
    page = _text(response)
    assert response.status_code == 422
    assert message in page
    assert 'value="Dominique Sans"' in page and 'value="sans@exemple.test"' in page
    response = _invite(client, email="sans@exemple.test", full_name="Dominique Sans", role=role, **{field: "999999"})
    assert "inconnue" in _text(response)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_duplicate_email_is_refused_beside_the_field(client, auth, make):
    existing = make.employer()
    auth.login(make.admin())
    response = _invite(client, email=existing.email.upper(), full_name="Doublon", role="counsellor")
    page = _text(response)
    assert response.status_code == 422
    assert 'id="email-error"' in page
    assert "Un compte existe déjà avec cette adresse électronique." in page
    assert 'value="Doublon"' in page
    assert db.session.scalar(select(func.count()).select_from(User).where(User.full_name == "Doublon")) == 0


def test_invalid_email_is_refused(client, auth, make):
    auth.login(make.admin())
    response = _invite(client, email="pas-une-adresse", full_name="X", role="counsellor")
    assert response.status_code == 422
    assert "Adresse électronique invalide" in _text(response)


def _invited(client, auth, make, role="partner"):
    auth.login(make.admin())
    data = {"email": "invitee@exemple.test", "full_name": "Alex Invité", "role": role}
    if role == "partner":
        data["partner_id"] = str(make.partner().id)
    assert _invite(client, **data).status_code == 303
    auth.logout()
    return _outbox_link("invitee@exemple.test")


def _accept(client, link, password=NEW_PASSWORD, confirm=None, full_name="Alex Dupont"):
    token = csrf_token(client, link)
    return client.post(link, data={"csrf_token": token, "full_name": full_name, "password": password,
                                   "password_confirm": confirm or password})


def test_accepting_an_invitation_sets_the_password_and_logs_in(client, auth, make):
    link = _invited(client, auth, make)
    page = _text(client.get(link))
    assert "Activer mon compte" in page and "invitee@exemple.test" in page
    response = _accept(client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = _text(client.get("/"))
    assert "Bienvenue sur Maillage : votre compte est prêt." in home
    assert "Bonjour Alex Dupont" in home
    user = db.session.scalar(select(User).where(User.email == "invitee@exemple.test"))
    assert user.has_password and user.full_name == "Alex Dupont"
    assert _events("account.accept_invitation") == 1


def test_weak_password_on_invitation_keeps_the_name(client, auth, make):
    link = _invited(client, auth, make)
    response = _accept(client, link, password="court", full_name="Alex Tapé")
    page = _text(response)
    assert response.status_code == 422
    assert "Le mot de passe doit contenir au moins 12 caractères." in page
    assert 'value="Alex Tapé"' in page
    assert 'value="court"' not in page
    response = _accept(client, link, password="toutenminuscules", full_name="Alex Tapé")
    assert "majuscules, minuscules, chiffres et caractères spéciaux" in _text(response)
    response = _accept(client, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert "Les deux mots de passe ne sont pas identiques." in _text(response)
    user = db.session.scalar(select(User).where(User.email == "invitee@exemple.test"))
    assert user.password_hash is None


def test_used_invitation_link_is_refused(client, auth, make):
    link = _invited(client, auth, make)
    assert _accept(client, link).status_code == 303
    auth.logout()
    response = client.get(link)
    assert response.status_code == 400
    assert "Lien non valable" in _text(response)
    user = db.session.scalar(select(User).where(User.email == "invitee@exemple.test"))
    stored = user.password_hash
    response = _post_with_token(client, link, {"full_name": "Pirate", "password": "Autre-Mot-2026!",
                                               "password_confirm": "Autre-Mot-2026!"})
    assert response.status_code == 400
    assert user.password_hash == stored and user.full_name == "Alex Dupont"


def _post_with_token(client, link, data):
    token = csrf_token(client, "/connexion")
    return client.post(link, data={"csrf_token": token, **data})


def test_tampered_invitation_link_is_refused(client, auth, make):
    link = _invited(client, auth, make)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    response = client.get(tampered)
    assert response.status_code == 400
    assert "Ce lien n&#39;est pas valide" in _text(response)
    assert client.get("/invitation/" + "x" * 5000).status_code in (400, 404)
    response = _post_with_token(client, tampered, {"full_name": "X", "password": NEW_PASSWORD,
                                                   "password_confirm": NEW_PASSWORD})
    assert response.status_code == 400
    user = db.session.scalar(select(User).where(User.email == "invitee@exemple.test"))
    assert user.password_hash is None


def test_expired_invitation_link_is_refused(app, client, auth, make, monkeypatch):
    link = _invited(client, auth, make)
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE_DAYS", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "Ce lien a expiré. Demandez-en un nouveau." in _text(response)
    response = _post_with_token(client, link, {"full_name": "X", "password": NEW_PASSWORD,
                                               "password_confirm": NEW_PASSWORD})
    assert response.status_code == 400
    user = db.session.scalar(select(User).where(User.email == "invitee@exemple.test"))
    assert user.password_hash is None


def test_reset_token_does_not_open_an_invitation(client, make, app):
    user = make.employer(password=None)
    with app.test_request_context():
        token = tokens.make_token(user, tokens.RESET)
    assert client.get(f"/invitation/{token}").status_code == 400


def test_resend_invitation_gives_a_fresh_link(client, auth, make):
    invited = make.employer(password=None)
    auth.login(make.counsellor())
    token = csrf_token(client, "/comptes")
    assert client.post(f"/comptes/{invited.id}/reinviter", data={"csrf_token": token}).status_code == 303
    assert "Une nouvelle invitation a été envoyée" in _text(client.get("/comptes"))
    assert client.get(_outbox_link(invited.email)).status_code == 200


# --- password reset ----------------------------------------------------------------------------------


def _forgot(client, email):
    token = csrf_token(client, "/mot-de-passe-oublie")
    return client.post("/mot-de-passe-oublie", data={"csrf_token": token, "email": email})


def test_reset_request_answers_the_same_whether_the_email_exists_or_not(client, make):
    user = make.counsellor()
    known = _forgot(client, user.email)
    known_page = _text(client.get(known.headers["Location"]))
    unknown = _forgot(client, "personne@exemple.test")
    unknown_page = _text(client.get(unknown.headers["Location"]))
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert "Si un compte actif existe avec cette adresse" in known_page
    assert "Si un compte actif existe avec cette adresse" in unknown_page
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == [user.email]


def test_reset_link_works_once(client, make):
    user = make.counsellor()
    _forgot(client, user.email)
    link = _outbox_link(user.email)
    assert "Nouveau mot de passe" in _text(client.get(link))
    token = csrf_token(client, link)
    response = client.post(link, data={"csrf_token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert "Votre mot de passe a été modifié : vous pouvez vous connecter." in _text(client.get("/connexion"))
    assert _post_login(client, user.email, NEW_PASSWORD).status_code == 303
    second = client.get(link)
    assert second.status_code == 400
    assert "Ce lien a déjà été utilisé ou n&#39;est plus valable." in _text(second)


def test_reset_with_weak_password_changes_nothing(client, make):
    user = make.counsellor()
    stored = user.password_hash
    _forgot(client, user.email)
    link = _outbox_link(user.email)
    token = csrf_token(client, link)
    response = client.post(link, data={"csrf_token": token, "password": "faible", "password_confirm": "faible"})
    assert response.status_code == 422
    assert "au moins 12 caractères" in _text(response)
    assert user.password_hash == stored


def test_expired_reset_link_is_refused(app, client, make, monkeypatch):
    user = make.counsellor()
    _forgot(client, user.email)
    link = _outbox_link(user.email)
    monkeypatch.setitem(app.config, "RESET_MAX_AGE_HOURS", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "Ce lien a expiré" in _text(response)


def test_reset_for_a_deactivated_account_sends_nothing(client, make):
    user = make.counsellor(active=False)
    assert _forgot(client, user.email).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_reset_request_with_invalid_email_keeps_it(client):
    response = _forgot(client, "pas une adresse")
    assert response.status_code == 422
    assert 'value="pas une adresse"' in _text(response)


# --- mon compte --------------------------------------------------------------------------------------


def _change(client, current, new, confirm=None):
    token = csrf_token(client, "/mon-compte")
    return client.post("/mon-compte", data={"csrf_token": token, "current_password": current,
                                            "new_password": new, "new_password_confirm": confirm or new})


def test_change_password(client, auth, make):
    user = make.employer()
    auth.login(user)
    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    assert "Votre mot de passe a été modifié." in _text(client.get("/mon-compte"))
    auth.logout()
    assert auth.login(user.email, NEW_PASSWORD).status_code == 303
    assert _events("account.change_password") == 1


@pytest.mark.parametrize("current, new, confirm, message", [
    ("pas-le-bon", NEW_PASSWORD, None, "Le mot de passe actuel est incorrect."),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "?", "Les deux mots de passe ne sont pas identiques."),
    (PASSWORD, "faible", None, "Le mot de passe doit contenir au moins 12 caractères."),
    (PASSWORD, PASSWORD, None, "Le nouveau mot de passe doit être différent de l&#39;actuel."),
])
def test_change_password_refusals(client, auth, make, current, new, confirm, message):
    user = make.employer()
    stored = user.password_hash
    auth.login(user)
    response = _change(client, current, new, confirm)
    assert response.status_code == 422
    assert message in _text(response)
    assert user.password_hash == stored
    assert _events("account.change_password") == 0


# --- CSRF --------------------------------------------------------------------------------------------


def test_login_without_csrf_token_keeps_the_email_and_can_be_resent(client, make):
    user = make.counsellor()
    client.get("/connexion")
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    page = _text(response)
    assert response.status_code == 400
    assert "Le formulaire a expiré ou n&#39;a pas pu être vérifié" in page
    assert f'value="{user.email}"' in page
    assert PASSWORD not in page
    assert "Adresse électronique" in page
    # the page carries a fresh token and asks for the password again: resending it logs in
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post("/connexion", data={"csrf_token": match.group(1), "email": user.email,
                                               "password": PASSWORD})
    assert response.status_code == 303


def test_invite_without_csrf_token_keeps_what_was_typed(client, auth, make):
    auth.login(make.admin())
    response = client.post("/comptes/inviter", data={"email": "perdu@exemple.test", "full_name": "Jeanne Perdue",
                                                    "role": "counsellor"})
    page = _text(response)
    assert response.status_code == 400
    assert 'value="perdu@exemple.test"' in page and 'value="Jeanne Perdue"' in page
    assert "Prénom et nom" in page
    assert db.session.scalar(select(User).where(User.email == "perdu@exemple.test")) is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/comptes/inviter", data={"csrf_token": token, "email": "perdu@exemple.test",
                                                    "full_name": "Jeanne Perdue", "role": "counsellor"})
    assert response.status_code == 303
    assert db.session.scalar(select(User).where(User.email == "perdu@exemple.test")) is not None


def test_csrf_failure_on_json_gives_json(client):
    response = client.post("/connexion", data={"email": "a@b.fr"}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "jeton de sécurité" in response.get_json()["error"]


# --- account list ------------------------------------------------------------------------------------


def test_account_list_is_paginated_with_a_constant_number_of_queries(client, auth, make, count_queries):
    auth.login(make.admin())
    for _ in range(5):
        make.employer()
    with count_queries() as few:
        client.get("/comptes")
    for _ in range(30):
        make.partner_user()
    with count_queries() as many:
        page = _text(client.get("/comptes"))
    assert page.count("<tr>") - 1 == 25  # header row + 25 accounts
    assert "Page 1 sur 2" in page
    assert many.count == few.count


def test_account_list_filters_and_scope(client, auth, make):
    make.admin(email="chef@exemple.test")
    make.employer(email="rh@forges.test", full_name="Rémi Forges")
    make.partner_user(email="ccas@thiers.test", password=None)
    auth.login(make.counsellor())
    page = _text(client.get("/comptes"))
    assert "rh@forges.test" in page and "ccas@thiers.test" in page
    assert "chef@exemple.test" not in page  # a counsellor sees the accounts they may invite only
    for q in ("Rémi", "forges", "RH@FORGES"):
        page = _text(client.get("/comptes?q=" + q))
        assert "rh@forges.test" in page and "ccas@thiers.test" not in page, q
    assert "rh@forges.test" not in _text(client.get("/comptes?q=%25"))
    page = _text(client.get("/comptes?statut=invite"))
    assert "ccas@thiers.test" in page and "rh@forges.test" not in page
    assert "Invitation en attente" in page
