"""Concurrent edits of a partner organisation and of a convention: a stale save is refused with the other
person's change shown, nothing typed is lost, and saving again knowingly goes through (portal/concurrency.py)."""

import pytest

from portal.extensions import db
from tests.concurrency import conflict_message as _conflict
from tests.concurrency import edited_meanwhile, form_values
from tests.concurrency import page_text as _text


def _two_counsellors(make):
    return make.counsellor(full_name="Alice Martin"), make.counsellor(full_name="Bruno Faure")


def test_partner_second_save_on_stale_version_shows_the_other_change(client, auth, csrf, make):
    partner = make.partner(name="Association des Brayauds", phone="04 73 80 00 01")
    alice, bruno = _two_counsellors(make)
    url = f"/partenaires/{partner.id}/modifier"
    stale = edited_meanwhile(client, auth, url, alice, bruno, {"phone": "04 73 99 99 99"})
    assert stale["version"] == "1"
    response = client.post(url, data=stale | {"name": "Roues Libres Thiers", "csrf_token": csrf(url)})
    page = _text(response)
    assert response.status_code == 422
    message = _conflict(page)
    assert message.startswith("Cette organisation a été modifiée entre-temps par Bruno Faure le ")
    assert "Téléphone (enregistré : « 04 73 99 99 99 » ; votre saisie : « 04 73 80 00 01 »)" in message
    assert "Nom de l'organisation (enregistré : « Association des Brayauds » ; votre saisie : « Roues Libres " \
           "Thiers »)" in message
    assert "référent" not in message  # no referent on either side: « Aucun » is the empty value, not a change
    assert 'value="Roues Libres Thiers"' in page  # nothing Alice typed is lost
    db.session.expire_all()
    assert (partner.name, partner.phone) == ("Association des Brayauds", "04 73 99 99 99")
    # Having seen the change, Alice saves again, knowingly: the form now carries the current version.
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(partner.version)
    assert client.post(url, data=again).status_code == 303
    db.session.expire_all()
    assert (partner.name, partner.phone) == ("Roues Libres Thiers", "04 73 80 00 01")  # her values, knowingly


def test_convention_second_save_on_stale_version_shows_the_other_change(client, auth, csrf, make):
    convention = make.convention(title="Mobilité des jeunes", objectives="Dix permis financés")
    alice, bruno = _two_counsellors(make)
    url = f"/partenaires/conventions/{convention.id}/modifier"
    loaded_version = convention.version
    stale = edited_meanwhile(client, auth, url, alice, bruno, {"objectives": "Douze permis financés"})
    assert stale["version"] == str(loaded_version)
    response = client.post(url, data=stale | {"title": "Mobilité et permis", "csrf_token": csrf(url)})
    page = _text(response)
    assert response.status_code == 422
    message = _conflict(page)
    assert message.startswith("Cette convention a été modifiée entre-temps par Bruno Faure le ")
    assert "Objectifs (enregistré : « Douze permis financés » ; votre saisie : « Dix permis financés »)" in message
    assert 'value="Mobilité et permis"' in page
    db.session.expire_all()
    assert (convention.title, convention.objectives) == ("Mobilité des jeunes", "Douze permis financés")
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(convention.version)
    assert client.post(url, data=again).status_code == 303
    db.session.expire_all()
    assert (convention.title, convention.objectives) == ("Mobilité et permis", "Dix permis financés")


@pytest.mark.parametrize("version", ["abc", "1.0", "-1", "²", "١", "99999999999999999999999"])
def test_a_version_our_forms_never_send_is_refused_as_stale(client, auth, csrf, make, version):
    partner = make.partner(name="Association des Brayauds")
    convention = make.convention(partner, title="Mobilité des jeunes")
    auth.login(make.counsellor())
    for url, field, obj in ((f"/partenaires/{partner.id}/modifier", "name", partner),
                            (f"/partenaires/conventions/{convention.id}/modifier", "title", convention)):
        data = form_values(client.get(url).get_data(as_text=True)) | {field: "Piraté", "version": version}
        response = client.post(url, data=data)
        assert response.status_code == 422, url
        assert "modifiée entre-temps" in _conflict(_text(response))
        db.session.expire_all()
        assert getattr(obj, field) != "Piraté"
