"""Concurrent edits of a directory service: a partner's stale save is refused with the counsellor's change
shown, nothing typed is lost, and saving again knowingly goes through (portal/concurrency.py)."""

import pytest

from portal.extensions import db
from tests.concurrency import conflict_message as _conflict
from tests.concurrency import edited_meanwhile, form_values
from tests.concurrency import page_text as _text


def test_service_second_save_on_stale_version_shows_the_other_change(client, auth, csrf, make):
    partner = make.partner(name="Mobilité Solidaire")
    owner = make.partner_user(partner_id=partner.id, full_name="Chloé Vernière")
    bruno = make.counsellor(full_name="Bruno Faure")
    service = make.directory_service(partner, name="Garage solidaire", phone="04 73 80 00 01")
    url = f"/annuaire/services/{service.id}/modifier"
    loaded_version = service.version
    stale = edited_meanwhile(client, auth, url, owner, bruno, {"phone": "04 73 99 99 99"})
    assert stale["version"] == str(loaded_version)
    response = client.post(url, data=stale | {"opening_hours": "Du lundi au vendredi, 9 h - 17 h",
                                              "csrf_token": csrf(url)})
    page = _text(response)
    assert response.status_code == 422
    message = _conflict(page)
    assert message.startswith("Ce service a été modifié entre-temps par Bruno Faure le ")
    assert "Téléphone (enregistré : « 04 73 99 99 99 » ; votre saisie : « 04 73 80 00 01 »)" in message
    assert "Horaires d'accueil (enregistré : « vide » ; votre saisie : « Du lundi au vendredi, 9 h - 17 h »)" \
        in message
    assert "Zone" not in message  # typed as names, stored as codes: not compared
    assert 'value="Du lundi au vendredi, 9 h - 17 h"' in page  # nothing the partner typed is lost
    db.session.expire_all()
    assert (service.phone, service.opening_hours) == ("04 73 99 99 99", None)
    # Having seen the change, the partner saves again, knowingly: the form now carries the current version.
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(service.version)
    assert client.post(url, data=again).status_code == 303
    db.session.expire_all()
    assert (service.phone, service.opening_hours) == ("04 73 80 00 01", "Du lundi au vendredi, 9 h - 17 h")


@pytest.mark.parametrize("version", ["abc", "1.0", "-1", "²", "١", "99999999999999999999999"])
def test_a_version_our_forms_never_send_is_refused_as_stale(client, auth, make, version):
    service = make.directory_service(name="Garage solidaire")
    auth.login(make.counsellor())
    url = f"/annuaire/services/{service.id}/modifier"
    data = form_values(client.get(url).get_data(as_text=True)) | {"name": "Piraté", "version": version}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert _conflict(_text(response)).startswith("Ce service a été modifié entre-temps")
    db.session.expire_all()
    assert service.name == "Garage solidaire"
