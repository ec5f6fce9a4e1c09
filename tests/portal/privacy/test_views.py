"""The DPO's page as an admin sees it, what others get, and what shows anywhere after an erasure."""

from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.youth.models import YouthProfile
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.portal.privacy.conftest import NAME


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _accesses(youth_id: int, what: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "privacy.access", AuditEvent.object_id == str(youth_id),
        AuditEvent.details["what"].as_string() == what))


def test_dpo_finds_sees_and_exports_a_young_person(admin_client, person):
    youth = person["youth"]
    page = _text(admin_client.get("/donnees-personnelles/?q=vercinge"))
    assert "Données personnelles" in page and f"{NAME[0]} {NAME[1]}" in page and "24 mois" in page
    page = _text(admin_client.get(f"/donnees-personnelles/jeunes/{youth.id}"))
    assert "Exporter toutes ses données" in page and f"/jeunes/{youth.id}/modifier" in page  # rectification
    assert "Effacer définitivement" in page
    response = admin_client.get(f"/donnees-personnelles/jeunes/{youth.id}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert "Conventions PMSMP" in book.sheetnames and book["Profil"]["B2"].value == NAME[0]
    assert _accesses(youth.id, "export_rgpd") == 1 and _accesses(youth.id, "dpo") == 1
    assert "Registre des traitements" in _text(admin_client.get("/donnees-personnelles/registre"))


def test_navigation_entry_for_admins(admin_client):
    assert "Données personnelles" in _text(admin_client.get("/donnees-personnelles/"))


@pytest.mark.parametrize("role", ["counsellor", "employer", "partner_user"])
def test_non_admins_are_refused(client, auth, make, person, role):
    auth.login(getattr(make, role)())
    youth_id = person["youth"].id
    for url in ("/donnees-personnelles/", f"/donnees-personnelles/jeunes/{youth_id}",
                f"/donnees-personnelles/jeunes/{youth_id}/export.xlsx", "/donnees-personnelles/registre"):
        assert client.get(url).status_code == 403, url
    token = _csrf_of(client)
    response = client.post(f"/donnees-personnelles/jeunes/{youth_id}/effacer",
                           data={"csrf_token": token, "reason": "x", "confirm": "y"})
    assert response.status_code == 403
    assert db.session.get(YouthProfile, youth_id).last_name == NAME[1]


def _csrf_of(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/mon-compte")


def test_unknown_young_person_is_404(admin_client, csrf):
    assert admin_client.get("/donnees-personnelles/jeunes/999999").status_code == 404
    assert admin_client.get("/donnees-personnelles/jeunes/999999/export.xlsx").status_code == 404
    response = admin_client.post("/donnees-personnelles/jeunes/999999/effacer",
                                 data={"csrf_token": csrf("/donnees-personnelles/"), "reason": "x", "confirm": "y"})
    assert response.status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"reason": "", "confirm": "y"}, "Indiquez le motif de l'effacement."),
    ({"reason": "Demande du jeune"}, "Cochez la case pour confirmer l'effacement."),
    ({"reason": "x" * 501, "confirm": "y"}, "500 caractères"),
])
def test_bad_erasure_input_is_explained_and_nothing_written(admin_client, person, csrf, data, message):
    youth = person["youth"]
    url = f"/donnees-personnelles/jeunes/{youth.id}"
    response = admin_client.post(url + "/effacer", data={"csrf_token": csrf(url), **data})
    assert response.status_code == 422 and message in _text(response)
    db.session.expire_all()
    assert db.session.get(YouthProfile, youth.id).last_name == NAME[1]


def test_after_erasure_nothing_shows_anywhere(client, auth, make, person, csrf):
    youth, company = person["youth"], person["company"]
    employer = make.employer(company_id=company.id)
    counsellor = make.counsellor()
    auth.login(counsellor)
    assert NAME[1] in _text(client.get(f"/candidatures/{person['positioning'].id}"))
    auth.logout()
    auth.login(employer)
    assert NAME[0] in _text(client.get(f"/candidatures/{person['positioning'].id}"))
    auth.logout()

    admin = make.admin()
    auth.login(admin)
    url = f"/donnees-personnelles/jeunes/{youth.id}"
    response = client.post(url + "/effacer", data={"csrf_token": csrf(url), "reason": "Demande écrite du jeune",
                                                   "confirm": "y"})
    assert response.status_code == 303
    page = _text(client.get(url))
    assert "Jeune anonymisé le" in page and "Demande écrite du jeune" in page and NAME[1] not in page
    auth.logout()

    auth.login(counsellor)
    seen = [
        client.get("/jeunes?q=vercingetorix"), client.get("/jeunes?q=IM-998877"), client.get("/jeunes"),
        client.get("/jeunes?archives=1"), client.get(f"/jeunes/{youth.id}"),
        client.get("/jeunes/autocompletion?q=zoe"), client.get("/suivis/jeunes/autocompletion?q=zoe"),
        client.get(f"/candidatures/{person['positioning'].id}"), client.get(f"/pmsmp/{person['placement'].id}"),
        client.get(f"/suivis/embauches/{person['hire'].id}"), client.get(f"/offres/{person['offer'].id}/candidats"),
    ]
    detail = _text(seen[4])
    assert seen[4].status_code == 200 and "Jeune anonymisé" in detail
    export = client.get("/jeunes/export.xlsx")
    exported = str([list(r) for r in load_workbook(BytesIO(export.data)).active.iter_rows(values_only=True)])
    auth.logout()
    auth.login(employer)
    employer_view = client.get(f"/candidatures/{person['positioning'].id}")
    for response in seen + [employer_view]:
        text = _text(response)
        assert NAME[1] not in text and "zoe.v@exemple.test" not in text and "06 12 34 56 78" not in text
    assert employer_view.status_code == 404  # consent withdrawn with the identity
    for secret in (NAME[1], "zoe.v@exemple.test", "IM-998877", "06 12 34 56 78"):
        assert secret not in exported


def test_views_of_a_young_person_are_logged(client, auth, make, person):
    youth = person["youth"]
    auth.login(make.counsellor())
    client.get(f"/jeunes/{youth.id}")
    client.get(f"/candidatures/{person['positioning'].id}")
    client.get(f"/pmsmp/{person['placement'].id}")
    client.get(f"/suivis/embauches/{person['hire'].id}")
    client.get("/jeunes/export.xlsx")
    for what in ("fiche", "candidature", "pmsmp", "embauche", "export_liste"):
        assert _accesses(youth.id, what) == 1, what
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.access").limit(1))
    assert NAME[1] not in event.summary and event.actor_id is not None


def test_dpo_page_explains_in_words_with_buttons_not_commands(admin_client):
    page = _text(admin_client.get("/donnees-personnelles/"))
    assert "Ce que Maillage traite, et combien de temps" in page
    assert "24 mois" in page and "30 jours" in page and "Dernier passage" not in page
    assert "Lire le registre des traitements" in page and "Voir les consultations et effacements" in page
    assert "Appliquer les durées de conservation maintenant" in page and 'data-confirm="' in page
    # a retention line of the register, in a table a DPO reads
    assert "<th scope=\"col\">Durée de conservation</th>" in page
    for shell_word in ("flask ", "reminders run", "YOUTH_RETENTION_MONTHS", "IMPORT_FILES_RETENTION_DAYS", "<code>"):
        assert shell_word not in page


def _inactive_youth(make):
    from datetime import datetime

    youth = make.youth(first_name="Ancien", last_name="Oublié")
    youth.created_at = youth.updated_at = datetime(2019, 1, 1)
    db.session.flush()
    return youth


def test_dpo_applies_retention_now_from_the_page(admin_client, make, csrf):
    old = _inactive_youth(make)
    recent = make.youth(first_name="Récente", last_name="Active")
    response = admin_client.post("/donnees-personnelles/conservation",
                                 data={"csrf_token": csrf("/donnees-personnelles/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/donnees-personnelles/")
    page = _text(admin_client.get("/donnees-personnelles/"))
    assert "Durées de conservation appliquées : 1 profil(s) anonymisé(s)" in page
    assert "Dernier passage : le " in page and "1 profil(s) anonymisé(s)" in page
    assert old.full_name == "Jeune anonymisé" and recent.last_name == "Active"


def test_retention_now_needs_the_form_token_and_an_admin(client, auth, make, admin_client):
    old = _inactive_youth(make)
    assert admin_client.post("/donnees-personnelles/conservation", data={}).status_code in (303, 400)
    assert old.last_name == "Oublié"
    for role in ("counsellor", "employer", "partner_user"):
        auth.logout()
        auth.login(getattr(make, role)())
        response = client.post("/donnees-personnelles/conservation", data={"csrf_token": _csrf_of(client)})
        assert response.status_code == 403, role
    assert old.last_name == "Oublié"
