"""The conventions list's search (« Jeune ou entreprise »): a convention is found by its young person's name or
i-milo identifier, or by its company's name, SIRET, commune or current contacts, through its own derived search
text (crm/pmsmp/search.py); whatever changes those (a form, an erasure), the list finds the new words only."""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from crm.employers import services as employers
from crm.pmsmp.models import Placement
from portal.extensions import db
from tests.concurrency import form_values
from tests.conftest import csrf_token


def _found(client, q: str) -> set[str]:
    """The references of the conventions the list shows for `?q=`."""
    response = client.get("/pmsmp/?q=" + quote(q))
    assert response.status_code == 200, q
    return set(re.findall(r"PMSMP-\d{5}", response.get_data(as_text=True)))


def _submit(client, url: str, **changes) -> None:
    values = form_values(client.get(url).get_data(as_text=True)) | changes
    response = client.post(url, data=values)
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture()
def two(make):
    """Two conventions: Léa Vialatte at Forges Chazeau (contact Éric Roux), Hugo Brun at Salaisons Fayet."""
    counsellor = make.counsellor()
    chazeau = make.company(name="Forges Chazeau")
    employers.add_contact(counsellor, chazeau, full_name="Éric Roux")
    first = make.placement(actor=counsellor, company=chazeau,
                           youth=make.youth(first_name="Léa", last_name="Vialatte", imilo_id="7013189"))
    second = make.placement(actor=counsellor, company=make.company(name="Salaisons Fayet"),
                            youth=make.pmsmp_youth(first_name="Hugo", last_name="Brun"))
    return counsellor, first, second


def test_a_convention_is_found_by_its_young_person_or_its_company(client, auth, two):
    counsellor, first, second = two
    auth.login(counsellor)
    for q in ("vialatte", "Léa Vialatte", "VIALATTÉ", "7013189", "chazeau", "Forges Chaz", first.company.siret, "roux"):
        assert _found(client, q) == {first.reference}, q
    assert _found(client, "fayet") == {second.reference}
    assert _found(client, "thiers") == {first.reference, second.reference}  # both companies' commune
    assert _found(client, "azeau") == set()  # words are found by their beginning
    # a phrase is found in the young person's words or in the company's, never across both
    assert _found(client, "vialatte forges") == set()


def test_what_the_forms_change_changes_what_finds_the_convention(client, auth, two):
    counsellor, first, _ = two
    contact = first.company.contacts[0]
    auth.login(counsellor)

    _submit(client, f"/entreprises/{first.company_id}/modifier", name="Coutellerie Dumas")
    _submit(client, f"/jeunes/{first.youth_id}/modifier", last_name="Chabrier")
    _submit(client, f"/entreprises/{first.company_id}/contacts/{contact.id}/modifier", full_name="Nadia Berger")

    for q in ("dumas", "coutelerie", "chabrier", "berger"):  # « coutelerie »: doubled letters, as the companies'
        assert _found(client, q) == {first.reference}, q
    for q in ("chazeau", "vialatte", "roux"):
        assert _found(client, q) == set(), q


def test_an_anonymised_young_persons_conventions_are_found_by_the_company_only(client, auth, make, two):
    counsellor, first, _ = two
    auth.login(make.admin())
    response = client.post(f"/donnees-personnelles/jeunes/{first.youth_id}/effacer",
                           data={"csrf_token": csrf_token(client, "/mon-compte"), "reason": "Demande écrite",
                                 "confirm": "y"})
    assert response.status_code == 303
    auth.logout()
    auth.login(counsellor)

    assert _found(client, "vialatte") == _found(client, "7013189") == set()
    assert _found(client, "chazeau") == {first.reference}
    assert _found(client, "jeune anonymise") == {first.reference}  # the words the young person now bears
    assert db.session.scalar(select(Placement.search_text).where(Placement.id == first.id)).startswith(
        " jeune anonymise|")


def test_bad_searches_answer_a_page(client, auth, two):
    counsellor, first, second = two
    auth.login(counsellor)
    assert _found(client, "chazeau" + "!" * 5000) == {first.reference}  # the box keeps 80 characters
    assert _found(client, "x" * 5000) == set()
    # LIKE's wildcards are searched as punctuation, never as wildcards
    for q in ("ch%eau", "chaz_au", "%%azeau", "'; drop table placement; --"):
        assert _found(client, q) == set(), q
    # punctuation alone is no word: every convention, as before
    for q in ("!!!", "%", "_", "\\"):
        assert _found(client, q) == {first.reference, second.reference}, q
