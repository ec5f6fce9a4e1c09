"""« Déposer un besoin » is reachable without an account from the public home, the charter pages and the login
page; its e-mail field is an e-mail input that keeps what was typed when it is wrong."""

import re

import pytest

from tests.crm.offers.test_public_need import FORM
from tests.factories import valid_siret as siret

NEED_LINK = 'href="/deposer-un-besoin"'


@pytest.mark.parametrize("path", ["/", "/connexion", "/charte", "/charte/signataires", "/charte/signer"])
def test_public_pages_link_to_the_need_form(client, make, path):
    make.charter_version()
    page = client.get(path).get_data(as_text=True)
    assert NEED_LINK in page, path
    assert client.get("/deposer-un-besoin").status_code == 200


def test_signed_in_people_are_not_sent_to_the_public_form(client, auth, make):
    make.charter_version()
    auth.login(make.employer())
    assert NEED_LINK not in client.get("/charte").get_data(as_text=True)


def test_the_contact_email_is_an_email_input(client):
    page = client.get("/deposer-un-besoin").get_data(as_text=True)
    field = re.search(r"<input[^>]*name=\"contact_email\"[^>]*>", page).group(0)
    assert 'type="email"' in field and 'autocomplete="email"' in field


def test_a_wrong_email_is_refused_beside_it_keeping_what_was_typed(client, csrf):
    data = FORM | {"siret": siret(), "contact_email": "paul@@forges", "csrf_token": csrf("/deposer-un-besoin")}
    response = client.post("/deposer-un-besoin", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Adresse électronique invalide" in page
    field = re.search(r"<input[^>]*name=\"contact_email\"[^>]*>", page).group(0)
    assert 'value="paul@@forges"' in field and 'aria-invalid="true"' in field
