"""E-mails a newcomer can see (issue 18 §7): the admins' « Courriels envoyés » page, the console in
development, and links on the address the server is really reached at."""

import re
from html import unescape

from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.services import queue
from tests.crm.offers.test_public_need import FORM
from tests.factories import valid_siret


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _invite(client, auth, make, csrf, email="nina@exemple.test"):
    auth.login(make.admin())
    client.post("/comptes/inviter", data={"csrf_token": csrf("/comptes/inviter"), "email": email,
                                          "full_name": "Nina Reçue", "role": "counsellor"})


def test_admins_read_every_message_and_its_link_in_development(app, client, auth, make, csrf, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SHOW_BODIES", True)
    _invite(client, auth, make, csrf)
    page = _text(client.get("/admin/courriels"))
    assert "Courriels envoyés" in page and "nina@exemple.test" in page and "Votre accès à Maillage" in page
    assert "En attente d'envoi" in page
    assert re.search(r'<a href="http://127\.0\.0\.1:5000/invitation/[^"]+"', page)  # a link one clicks
    assert "Votre accès à Maillage" not in _text(client.get("/admin/courriels?q=zzz"))
    assert "Aucun courriel ne correspond à cette recherche." in _text(client.get("/admin/courriels?q=zzz"))


def test_elsewhere_the_page_shows_no_body_nor_personal_link(app, client, auth, make, csrf, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SHOW_BODIES", False)
    _invite(client, auth, make, csrf)
    page = _text(client.get("/admin/courriels?q=NINA"))
    assert "Votre accès à Maillage" in page and "/invitation/" not in page


def test_counsellors_do_not_reach_the_outbox(client, auth, make):
    auth.login(make.counsellor())
    assert client.get("/admin/courriels").status_code == 403


def test_development_prints_each_committed_message_and_forgets_rolled_back_ones(app, client, make, csrf, capsys,
                                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_CONSOLE", True)
    client.post("/deposer-un-besoin", data=FORM | {"siret": valid_siret(), "csrf_token": csrf("/deposer-un-besoin")})
    printed = capsys.readouterr().err
    assert "Courriel à paul@forges.test — Confirmez votre besoin de recrutement" in printed
    assert "/deposer-un-besoin/confirmation/" in printed and "/admin/courriels" in printed
    with app.test_request_context("/"):
        queue("jamais@exemple.test", "Jamais envoyé", "offer_new_need.txt", offer=make.offer())
        db.session.rollback()
    assert "jamais@exemple.test" not in capsys.readouterr().err


def test_links_follow_the_address_the_server_is_reached_at_when_none_is_configured(app, client, csrf, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    base = "http://localhost:5057"  # the session cookie is for localhost
    token = csrf("/deposer-un-besoin")
    client.post("/deposer-un-besoin", base_url=base, data=FORM | {"siret": valid_siret(), "csrf_token": token})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "paul@forges.test"))
    assert f"{base}/deposer-un-besoin/confirmation/" in mail.body


def test_a_configured_public_address_wins(app, client, csrf, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://maillage.example.org/")
    client.post("/deposer-un-besoin", base_url="http://localhost:5057",
                data=FORM | {"siret": valid_siret(), "csrf_token": csrf("/deposer-un-besoin")})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "paul@forges.test"))
    assert "https://maillage.example.org/deposer-un-besoin/confirmation/" in mail.body


def test_the_demo_data_keeps_the_console_readable(app, capsys, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_CONSOLE", True)
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert "page « Courriels envoyés » (compte admin, /admin/courriels)" in result.output
    assert "Courriel à" not in capsys.readouterr().err + result.output
    assert db.session.scalar(select(func.count(OutboxMessage.id))) > 100  # all waiting on the page
