"""« Déposer un besoin de recrutement » without an account: SIRET, honeypot, e-mail link, invitation."""

import re
from html import unescape

from sqlalchemy import select

from crm.employers.models import Company
from crm.offers.models import Offer
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.factories import FORGER
from tests.factories import valid_siret as siret

FORM = {"company_name": "Forges du Lac", "contact_name": "Paul Roux", "contact_email": "paul@forges.test",
        "contact_phone": "04 73 80 00 00", "title": "Forgeron", "appellation_code": FORGER, "contract_type": "cdi",
        "hours_per_week": "35", "work_commune_code": "63430", "positions": "1", "education_level": ""}


def test_public_need_is_confirmed_then_published_with_an_invitation(client, auth, make, csrf):
    data = FORM | {"siret": siret(), "csrf_token": csrf("/deposer-un-besoin")}
    response = client.post("/deposer-un-besoin", data=data)
    assert "Merci, votre besoin est bien arrivé" in response.get_data(as_text=True)
    offer = db.session.scalar(select(Offer))
    assert offer.status == "brouillon" and offer.company.stage == "a_prospecter"
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "paul@forges.test"))
    path = re.search(r"https?://[^/\s]+(/deposer-un-besoin/confirmation/\S+)", mail.body).group(1)
    assert "Votre besoin est confirmé" in client.get(path).get_data(as_text=True)
    assert offer.status == "soumise" and offer.confirmed_at is not None
    auth.login(make.counsellor())
    client.post(f"/offres/{offer.id}/statut/publiee", data={"csrf_token": csrf(f"/offres/{offer.id}")})
    invited = db.session.scalar(select(User).where(User.email == "paul@forges.test"))
    assert invited.role == "employer" and invited.company_id == offer.company_id


def test_known_siret_reuses_the_company(client, make, csrf):
    company = make.company(siret=siret())
    client.post("/deposer-un-besoin", data=FORM | {"siret": company.siret, "csrf_token": csrf("/deposer-un-besoin")})
    assert db.session.scalar(select(Offer)).company_id == company.id


def test_bad_siret_is_explained_and_nothing_saved(client, csrf):
    response = client.post("/deposer-un-besoin", data=FORM | {"siret": "12345678901234",
                                                              "csrf_token": csrf("/deposer-un-besoin")})
    assert response.status_code == 422
    assert "clé de contrôle incorrecte" in unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(Offer)) is None and db.session.scalar(select(Company)) is None


def test_honeypot_keeps_nothing(client, csrf):
    response = client.post("/deposer-un-besoin", data=FORM | {"siret": siret(), "website": "http://spam.test",
                                                              "csrf_token": csrf("/deposer-un-besoin")})
    assert response.status_code == 200
    assert db.session.scalar(select(Offer)) is None


def test_forged_confirmation_link_is_refused(client):
    response = client.get("/deposer-un-besoin/confirmation/faux-jeton")
    assert response.status_code == 400 and "pas valable" in response.get_data(as_text=True)
