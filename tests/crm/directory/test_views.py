"""Directory: search, partners keeping their services, counsellors' review, access."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.directory import rules
from crm.directory.models import DirectoryService
from portal.audit.models import AuditEvent
from portal.extensions import db

LEZOUX = "63195"  # CC Entre Dore et Allier
MOBILITY = "mobilite--etre-accompagne-dans-son-parcours-mobilite"


def _form(service: DirectoryService, csrf_token: str, **changes) -> dict:
    data = {"csrf_token": csrf_token, "name": service.name, "description": service.description,
            "thematiques": service.thematiques, "publics": service.publics, "reception_modes": service.reception_modes,
            "zone": " ".join(service.zone), "commune_code": service.commune_code or "",
            "update_frequency": service.update_frequency, "phone": service.phone or ""}
    data.update(changes)
    return data


def _titles(html: str) -> list[str]:
    return re.findall(r'class="result-title"><a href="[^"]+">([^<]+)</a>', html)


def test_partner_edit_is_reviewed_then_found_from_entre_dore_et_allier_with_distance(client, auth, csrf, make):
    partner = make.partner(name="Mobilité Solidaire")
    owner = make.partner_user(partner_id=partner.id)
    counsellor = make.counsellor()
    service = make.directory_service(partner, name="Garage solidaire", zone_codes=rules.join_codes(["63430"]),
                                     thematiques_codes=rules.join_codes(["numerique--acceder-a-une-connexion-internet"]))

    auth.login(owner)
    url = f"/annuaire/services/{service.id}/modifier"
    response = client.post(url, data=_form(service, csrf(url), name="Garage et prêt de scooters",
                                           thematiques=[MOBILITY], zone="246301097 200070712",
                                           phone="04 73 00 00 01"))
    assert response.status_code == 303
    db.session.refresh(service)
    assert service.name == "Garage solidaire"  # substantial change waits for review
    assert service.phone == "04 73 00 00 01"  # practical detail shows at once
    assert service.awaiting_review and service.pending_changes["name"] == "Garage et prêt de scooters"
    search = f"/annuaire?thematique=mobilite&commune={LEZOUX}"
    assert "Garage et prêt de scooters" not in client.get(search).get_data(as_text=True)

    auth.logout()
    auth.login(counsellor)
    page = client.get(f"/annuaire/services/{service.id}").get_data(as_text=True)
    assert "En attente de validation par un conseiller" in page and "Garage et prêt de scooters" in page
    assert client.post(f"/annuaire/services/{service.id}/valider",
                       data={"csrf_token": csrf("/annuaire")}).status_code == 303
    db.session.refresh(service)
    assert service.name == "Garage et prêt de scooters" and service.review_state is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directory.approve_change",
                                                      AuditEvent.object_id == str(service.id))) is not None

    html = client.get("/annuaire?q=mobilit%C3%A9&commune=" + LEZOUX).get_data(as_text=True)
    assert "Garage et prêt de scooters" in _titles(html)
    assert re.search(r"Garage et prêt de scooters.*?à \d+,\d km", html, re.S)  # Lezoux → Thiers ≈ 15 km
    assert "Mis à jour le " + date.today().strftime("%d/%m/%Y") in html


def test_partner_cannot_edit_another_organisations_service(client, auth, csrf, make):
    other = make.directory_service(make.partner())
    auth.login(make.partner_user())
    url = f"/annuaire/services/{other.id}/modifier"
    assert client.get(url).status_code == 404
    token = csrf("/annuaire")
    assert client.post(url, data=_form(other, token, name="Piraté")).status_code == 404
    for action in ("archiver", "confirmer"):
        assert client.post(f"/annuaire/services/{other.id}/{action}", data={"csrf_token": token}).status_code == 404
    db.session.refresh(other)
    assert other.name != "Piraté" and other.status == "publie"


def test_draft_of_another_organisation_is_invisible(client, auth, make):
    draft = make.directory_service(make.partner(), status="brouillon")
    auth.login(make.partner_user())
    assert client.get(f"/annuaire/services/{draft.id}").status_code == 404
    auth.logout()
    auth.login(make.employer())
    assert client.get(f"/annuaire/services/{draft.id}").status_code == 404


def test_employer_reads_published_services_but_cannot_create(client, auth, make):
    service = make.directory_service(name="Atelier CV")
    auth.login(make.employer())
    assert "Atelier CV" in client.get(f"/annuaire/services/{service.id}").get_data(as_text=True)
    assert client.get("/annuaire/services/nouveau").status_code == 403
    assert client.get("/annuaire/gestion").status_code == 403


def test_first_publication_needs_a_counsellor(client, auth, csrf, make):
    owner = make.partner_user()
    auth.login(owner)
    data = {"csrf_token": csrf("/annuaire/services/nouveau"), "name": "Permis solidaire",
            "description": "Aide au financement du permis de conduire.", "thematiques": [MOBILITY],
            "publics": ["jeunes"], "reception_modes": ["en-presentiel"], "zone": "63",
            "commune_code": "63430", "update_frequency": "annuelle"}
    assert client.post("/annuaire/services/nouveau", data=data).status_code == 303
    service = db.session.scalar(select(DirectoryService).where(DirectoryService.name == "Permis solidaire"))
    assert service.status == "brouillon" and service.partner_id == owner.partner_id
    client.post(f"/annuaire/services/{service.id}/soumettre", data={"csrf_token": csrf("/annuaire")})
    db.session.refresh(service)
    assert service.awaiting_review and service.status == "brouillon"
    assert client.post(f"/annuaire/services/{service.id}/valider",
                       data={"csrf_token": csrf("/annuaire")}).status_code == 403
    assert "Permis solidaire" not in _titles(client.get("/annuaire?q=permis").get_data(as_text=True))


def test_counsellor_rejects_with_a_reason_shown_to_the_partner(client, auth, csrf, make):
    partner = make.partner()
    service = make.directory_service(partner, status="brouillon", review_state="a_valider")
    auth.login(make.counsellor())
    url = f"/annuaire/services/{service.id}/refuser"
    response = client.post(url, data={"csrf_token": csrf("/annuaire"), "note": ""})
    assert response.status_code == 422 and "Information obligatoire" in response.get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf("/annuaire"), "note": "Précisez les horaires."})
    db.session.refresh(service)
    assert service.review_state is None and service.review_note == "Précisez les horaires."
    auth.logout()
    auth.login(make.partner_user(partner_id=partner.id))
    assert "Précisez les horaires." in client.get(f"/annuaire/services/{service.id}").get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"zone": "63430 99999"}, "Code inconnu dans la zone d&#39;éligibilité : 99999"),
    ({"zone": "63 123456789"}, "Code inconnu dans la zone d&#39;éligibilité : 123456789"),
    ({"thematiques": []}, "Choisissez au moins une thématique."),
    ({"publics": ["tous-publics", "jeunes"]}, "Tous publics"),
    ({"reception_modes": ["en-presentiel"], "commune_code": ""}, "Un service en présentiel indique sa commune."),
    ({"mobilisation_url": "javascript:alert(1)"}, "Adresse web invalide"),
])
def test_bad_service_input_is_explained_and_nothing_saved(client, auth, csrf, make, changes, message):
    service = make.directory_service(name="Avant")
    auth.login(make.counsellor())
    url = f"/annuaire/services/{service.id}/modifier"
    response = client.post(url, data=_form(service, csrf(url), name="Après", **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'value="Après"' in html  # what was typed is kept
    db.session.refresh(service)
    assert service.name == "Avant"


def test_search_by_category_selects_its_sub_themes_and_zone_filters(client, auth, make):
    make.directory_service(name="Vélos", thematiques_codes=rules.join_codes(["mobilite--mobilite-douce-partagee-collective"]),
                           zone_codes=rules.join_codes(["246301097"]))
    make.directory_service(name="Ordinateurs", thematiques_codes=rules.join_codes(["numerique--acquerir-un-equipement"]))
    make.directory_service(name="Ailleurs", zone_codes=rules.join_codes(["75056"]), commune_code="75056")
    make.directory_service(name="Au téléphone", zone_codes=rules.join_codes(["75056"]), commune_code=None,
                           reception_codes=rules.join_codes(["a-distance"]))
    auth.login(make.employer())
    titles = _titles(client.get(f"/annuaire?thematique=mobilite&commune={LEZOUX}").get_data(as_text=True))
    assert "Vélos" in titles and "Au téléphone" in titles
    assert "Ordinateurs" not in titles and "Ailleurs" not in titles
    assert titles.index("Vélos") < titles.index("Au téléphone")  # on-site by distance, then remote


def test_stale_services_are_flagged_and_sink(client, auth, make):
    make.directory_service(name="Ancien", updated_on=date.today() - timedelta(days=400))
    make.directory_service(name="Récent")
    auth.login(make.counsellor())
    html = client.get("/annuaire?thematique=mobilite").get_data(as_text=True)
    titles = _titles(html)
    assert titles.index("Récent") < titles.index("Ancien")
    assert "À actualiser" in html


def test_unknown_commune_in_search_is_explained(client, auth, make):
    auth.login(make.counsellor())
    html = client.get("/annuaire?commune=99999").get_data(as_text=True)
    assert "Commune inconnue" in html


def test_search_queries_do_not_grow_with_results(client, auth, make, count_queries):
    auth.login(make.counsellor())
    for i in range(3):
        make.directory_service(name=f"Petit {i}", partner_obj=make.partner())
    with count_queries() as few:
        client.get(f"/annuaire?commune={LEZOUX}")
    for i in range(30):
        make.directory_service(name=f"Grand {i}", partner_obj=make.partner())
    with count_queries() as many:
        html = client.get(f"/annuaire?commune={LEZOUX}").get_data(as_text=True)
    assert "Page 1 sur 2" in html
    assert many.count == few.count


def test_manage_list_is_paginated_with_constant_queries(client, auth, make, count_queries):
    auth.login(make.counsellor())
    for i in range(2):
        make.directory_service(make.partner(), name=f"A {i}")
    with count_queries() as few:
        client.get("/annuaire/gestion")
    for i in range(30):
        make.directory_service(make.partner(), name=f"B {i}")
    with count_queries() as many:
        html = client.get("/annuaire/gestion").get_data(as_text=True)
    assert html.count("<tr>") == 26 and "Page 1 sur" in html
    assert many.count == few.count


def test_partner_names_the_zone_and_reads_it_back_in_words(client, auth, csrf, make):
    owner = make.partner_user()
    auth.login(owner)
    data = {"csrf_token": csrf("/annuaire/services/nouveau"), "name": "Covoiturage solidaire",
            "description": "Trajets partagés vers l'emploi.", "thematiques": [MOBILITY], "publics": ["jeunes"],
            "reception_modes": ["a-distance"], "update_frequency": "annuelle",
            "zone": "Thiers (63300), CC Entre Dore et Allier, Puy-de-Dôme (département)"}
    assert client.post("/annuaire/services/nouveau", data=data).status_code == 303
    service = db.session.scalar(select(DirectoryService).where(DirectoryService.name == "Covoiturage solidaire"))
    assert sorted(service.zone) == ["246301097", "63", "63430"]
    form = client.get(f"/annuaire/services/{service.id}/modifier").get_data(as_text=True)
    typed = re.search(r'name="zone"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="zone"', form)
    assert sorted((typed[1] or typed[2]).split(", ")) == [
        "CC Entre Dore et Allier", "Puy-de-Dôme (département)", "Thiers (63300)"]
    assert "code INSEE" not in form and "SIREN" not in form
    detail = client.get(f"/annuaire/services/{service.id}").get_data(as_text=True)
    assert "Puy-de-Dôme (département)" in detail and "CC Entre Dore et Allier" in detail


def test_an_unknown_place_name_is_explained_and_what_was_typed_kept(client, auth, csrf, make):
    service = make.directory_service(name="Avant")
    auth.login(make.counsellor())
    url = f"/annuaire/services/{service.id}/modifier"
    response = client.post(url, data=_form(service, csrf(url), zone="Thiers, Atlantide"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "« Atlantide » : aucune commune, intercommunalité ou département de ce nom." in html
    assert 'value="Thiers, Atlantide"' in html


def test_counsellor_validates_the_ticked_services_at_once(client, auth, csrf, make):
    one = make.directory_service(name="Permis solidaire", status="brouillon", review_state="a_valider")
    two = make.directory_service(name="Garage solidaire", status="brouillon", review_state="a_valider")
    left = make.directory_service(name="Atelier vélo", status="brouillon", review_state="a_valider")
    auth.login(make.counsellor())
    page = client.get("/annuaire/gestion?a_valider=1").get_data(as_text=True)
    assert page.count('name="service_ids"') >= 3 and "Valider les services cochés" in page
    token = csrf("/annuaire/gestion")
    response = client.post("/annuaire/services/valider", data={"csrf_token": token,
                                                               "service_ids": [one.id, two.id]},
                           follow_redirects=True)
    assert "2 service(s) validé(s)" in response.get_data(as_text=True)
    assert (one.status, two.status, left.status) == ("publie", "publie", "brouillon")


def test_bulk_validation_is_all_or_nothing_and_for_staff_only(client, auth, csrf, make):
    waiting = make.directory_service(name="Permis solidaire", status="brouillon", review_state="a_valider")
    archived = make.directory_service(name="Ancien service", status="archive")
    auth.login(make.counsellor())
    token = csrf("/annuaire/gestion")
    refused = client.post("/annuaire/services/valider", follow_redirects=True,
                          data={"csrf_token": token, "service_ids": [waiting.id, archived.id]})
    assert "Rien n&#39;a été validé. « Ancien service » : Un service archivé ne peut pas être publié." in \
        refused.get_data(as_text=True)
    assert waiting.status == "brouillon" and waiting.awaiting_review
    none = client.post("/annuaire/services/valider", data={"csrf_token": token}, follow_redirects=True)
    assert "Cochez au moins un service à valider." in none.get_data(as_text=True)
    gone = client.post("/annuaire/services/valider", follow_redirects=True,
                       data={"csrf_token": token, "service_ids": [waiting.id, 999999]})
    assert "n&#39;existe plus" in gone.get_data(as_text=True) and waiting.status == "brouillon"
    auth.logout()
    auth.login(make.partner_user(partner_id=waiting.partner_id))
    forbidden = client.post("/annuaire/services/valider", data={"csrf_token": csrf("/annuaire"),
                                                                "service_ids": [waiting.id]})
    assert forbidden.status_code == 403 and waiting.status == "brouillon"
