"""Young people's profiles: creation, bad input, consent, archive, autocomplete, access."""

from html import unescape

import pytest
from sqlalchemy import func, select

from crm.youth.models import YouthProfile
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.concurrency import conflict_message, form_values

PROFILE = {"first_name": "Inès", "last_name": "Garcia", "birth_date": "12/05/2010", "sex": "femme",
           "commune_code": "63125", "target_1": "15121", "target_2": "H2903", "mobility_mode": "transports",
           "max_commute_km": "15", "wanted_contracts": ["apprentissage", "cdd"], "programme": "cej",
           "education_level": "niveau3", "imilo_id": "IM123"}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(YouthProfile))


def test_counsellor_creates_a_minor_profile_with_targets(client, auth, make, csrf):
    auth.login(make.counsellor())
    response = client.post("/jeunes/nouveau", data=PROFILE | {"csrf_token": csrf("/jeunes/nouveau")})
    assert response.status_code == 303
    youth = db.session.scalar(select(YouthProfile))
    assert [(t.rome_code, t.appellation_code) for t in youth.targets] == [("H2904", "15121"), ("H2903", None)]
    assert youth.is_minor and youth.wanted_contracts == ["apprentissage", "cdd"]
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Inès Garcia" in page and "Mineur·e" in page and "Non recueilli" in page
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "YouthProfile")) == "youth.create"


def test_bad_input_is_explained_and_nothing_saved(client, auth, make, csrf):
    auth.login(make.counsellor())
    token = csrf("/jeunes/nouveau")
    for changes, message in [({"target_1": "Z9999"}, "Code ROME ou métier inconnu"),
                             ({"birth_date": "01/01/2030"}, "La date de naissance doit être dans le passé."),
                             ({"max_commute_km": "-3"}, "Entre 0 et 200 km."),
                             ({"commune_code": "99999"}, "Commune inconnue")]:
        response = client.post("/jeunes/nouveau", data=PROFILE | changes | {"csrf_token": token})
        assert response.status_code == 422
        page = unescape(response.get_data(as_text=True))
        assert message in page and 'value="Garcia"' in page
    assert count() == 0


def test_duplicate_by_imilo_id_is_refused(client, auth, make, csrf):
    make.youth(imilo_id="IM123")
    auth.login(make.counsellor())
    response = client.post("/jeunes/nouveau", data=PROFILE | {"csrf_token": csrf("/jeunes/nouveau")})
    assert response.status_code == 422 and "Ce profil existe déjà" in unescape(response.get_data(as_text=True))
    assert count() == 1


def test_consent_recorded_with_who_and_scope_then_withdrawn(client, auth, make, csrf):
    counsellor = make.counsellor()
    youth = make.youth(consent=False)
    auth.login(counsellor)
    url = f"/jeunes/{youth.id}"
    bad = client.post(f"{url}/consentement", data={"consent_on": "01/01/2099", "consent_scope": "profil",
                                                  "csrf_token": csrf(url)})
    assert bad.status_code == 422 and "ne peut pas être dans le futur" in bad.get_data(as_text=True)
    assert not youth.has_consent
    client.post(f"{url}/consentement", data={"consent_on": "05/01/2026", "consent_scope": "profil",
                                             "csrf_token": csrf(url)})
    assert youth.has_consent and youth.consent_recorded_by_id == counsellor.id
    client.post(f"{url}/consentement/retrait", data={"csrf_token": csrf(url)})
    assert not youth.has_consent and youth.consent_withdrawn_at is not None


def test_archive_removes_from_list(client, auth, make, csrf):
    youth = make.youth(last_name="Archivable")
    auth.login(make.counsellor())
    client.post(f"/jeunes/{youth.id}/archiver", data={"csrf_token": csrf("/jeunes")})
    assert youth.archived_at is not None
    assert "Archivable" not in client.get("/jeunes").get_data(as_text=True)
    assert "Archivable" in client.get("/jeunes?archives=1").get_data(as_text=True)


def test_autocomplete_for_staff_only(client, auth, make):
    make.youth(first_name="Maël", last_name="Dubreuil")
    auth.login(make.counsellor())
    data = client.get("/jeunes/autocompletion?q=dubr", headers={"Accept": "application/json"}).get_json()
    assert [r["label"] for r in data["results"]] == ["Maël Dubreuil"]
    auth.logout()
    auth.login(make.employer())
    assert client.get("/jeunes/autocompletion?q=dubr").status_code == 403


def test_other_roles_never_reach_young_people(client, auth, make):
    youth = make.youth()
    for user in (make.employer(), make.partner_user()):
        auth.login(user)
        assert client.get("/jeunes").status_code == 403
        assert client.get(f"/jeunes/{youth.id}").status_code == 403
        auth.logout()


def test_list_is_paginated_with_constant_queries(client, auth, make, count_queries):
    auth.login(make.counsellor())
    make.youth()
    with count_queries() as few:
        client.get("/jeunes")
    for _ in range(30):
        make.youth()
    with count_queries() as many:
        page = client.get("/jeunes").get_data(as_text=True)
    assert many.count == few.count
    assert "Page 1 sur 2" in page


@pytest.mark.parametrize("version", ["abc", "²", "١"])
def test_a_version_our_forms_never_send_is_refused_as_stale(client, auth, make, version):
    youth = make.youth(last_name="Vialatte")
    auth.login(make.counsellor())
    url = f"/jeunes/{youth.id}/modifier"
    data = form_values(client.get(url).get_data(as_text=True)) | {"last_name": "Piraté", "version": version}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert conflict_message(unescape(response.get_data(as_text=True))).startswith("Ce profil a été modifié entre-temps")
    db.session.expire_all()
    assert youth.last_name == "Vialatte"
