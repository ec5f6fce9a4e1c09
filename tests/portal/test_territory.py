"""The territory admin page: add or remove a commune or a whole EPCI, audited, admins only."""

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.referentials.models import Commune, TerritoryCommune
from tests.conftest import csrf_token

THIERS = "63430"
RIOM = "63300"
CC_THIERS = "200070712"
RIOM_AGGLO = "200070753"  # CA Riom Limagne et Volcans, outside the default territory


def _codes() -> set[str]:
    return set(db.session.scalars(select(TerritoryCommune.insee_code)))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _post(client, url, **data):
    token = csrf_token(client, "/admin/territoire")
    return client.post(url, data={"csrf_token": token, **data})


@pytest.fixture()
def admin_client(client, auth, make):
    auth.login(make.admin())
    return client


def test_page_lists_the_territory_by_epci(admin_client):
    page = admin_client.get("/admin/territoire").get_data(as_text=True)
    assert "45 communes dans 3 intercommunalités." in page
    assert "CC Thiers Dore et Montagne" in page
    assert "<td>Thiers</td>" in page
    assert '<th scope="col">Code INSEE</th>' in page


@pytest.mark.parametrize("typed", [RIOM, "Riom", "  riom ", "RIOM"])
def test_add_a_commune_by_code_or_name(admin_client, typed):
    response = _post(admin_client, "/admin/territoire/communes", commune=typed)
    assert response.status_code == 303
    assert "Riom a été ajoutée au territoire." in admin_client.get("/admin/territoire").get_data(as_text=True)
    assert RIOM in _codes() and len(_codes()) == 46
    event = _events("territory.add_commune")[0]
    assert event.object_id == RIOM and "Riom" in event.summary


def test_add_a_commune_by_postal_code(admin_client):
    assert _post(admin_client, "/admin/territoire/communes", commune="63000").status_code == 303
    assert "63113" in _codes()  # Clermont-Ferrand, the only commune with this postal code
    # five digits that are an INSEE code designate that commune (the autocomplete sends INSEE codes)
    assert _post(admin_client, "/admin/territoire/communes", commune=RIOM).status_code == 303
    assert RIOM in _codes()


def test_shared_postal_code_or_name_asks_to_choose(admin_client):
    for typed in ("63550", "Saint-Rémy"):
        response = _post(admin_client, "/admin/territoire/communes", commune=typed)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Plusieurs communes correspondent" in page
    assert len(_codes()) == 45


@pytest.mark.parametrize("typed, message", [
    ("99999", "Commune inconnue : choisissez-la dans la liste proposée."),
    ("Atlantide", "Commune inconnue : choisissez-la dans la liste proposée."),
    (THIERS, "Thiers fait déjà partie du territoire."),
    ("", "Information obligatoire."),
    ("x" * 300, "200 caractères au maximum."),
])
def test_add_commune_refusals_are_shown_beside_the_field(admin_client, typed, message):
    before = _codes()
    response = _post(admin_client, "/admin/territoire/communes", commune=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message.replace("'", "&#39;") in page
    assert 'id="commune-error"' in page
    if typed.strip():
        assert f'value="{typed}"' in page
    assert _codes() == before
    assert _events("territory.add_commune") == []


def test_remove_a_commune(admin_client):
    response = _post(admin_client, f"/admin/territoire/communes/{THIERS}/retirer")
    assert response.status_code == 303
    assert "Thiers a été retirée du territoire." in admin_client.get("/admin/territoire").get_data(as_text=True)
    assert THIERS not in _codes() and len(_codes()) == 44
    assert _events("territory.remove_commune")[0].object_id == THIERS


def test_remove_a_commune_outside_the_territory(admin_client):
    _post(admin_client, f"/admin/territoire/communes/{RIOM}/retirer")
    page = admin_client.get("/admin/territoire").get_data(as_text=True)
    assert "Cette commune ne fait pas partie du territoire." in page
    assert len(_codes()) == 45
    _post(admin_client, "/admin/territoire/communes/inconnue/retirer")
    assert len(_codes()) == 45


def test_add_a_whole_epci_by_siren_or_name(admin_client):
    members = db.session.scalar(select(func.count()).select_from(Commune).where(Commune.epci_siren == RIOM_AGGLO))
    response = _post(admin_client, "/admin/territoire/epci", epci="CA Riom Limagne et Volcans")
    assert response.status_code == 303
    assert f"{members} commune(s) ajoutée(s) au territoire." in admin_client.get("/admin/territoire").get_data(
        as_text=True)
    assert len(_codes()) == 45 + members
    assert _events("territory.add_epci")[0].object_id == RIOM_AGGLO


def test_add_an_epci_partly_present_adds_the_missing_communes(admin_client):
    cc_eda = "246301097"  # CC Entre Dore et Allier: 10 of its communes are in the default territory
    members = db.session.scalar(select(func.count()).select_from(Commune).where(Commune.epci_siren == cc_eda))
    assert _post(admin_client, "/admin/territoire/epci", epci=cc_eda).status_code == 303
    assert len(_codes()) == 45 + members - 10


@pytest.mark.parametrize("typed, message", [
    ("123456789", "Intercommunalité inconnue : choisissez-la dans la liste proposée."),
    (CC_THIERS, "Toutes les communes de CC Thiers Dore et Montagne font déjà partie du territoire."),
    ("", "Information obligatoire."),
])
def test_add_epci_refusals(admin_client, typed, message):
    response = _post(admin_client, "/admin/territoire/epci", epci=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'id="epci-error"' in page
    assert len(_codes()) == 45


def test_remove_a_whole_epci(admin_client):
    response = _post(admin_client, f"/admin/territoire/epci/{CC_THIERS}/retirer")
    assert response.status_code == 303
    assert "30 commune(s) retirée(s) du territoire." in admin_client.get("/admin/territoire").get_data(as_text=True)
    assert len(_codes()) == 15
    assert _events("territory.remove_epci")[0].object_id == CC_THIERS
    _post(admin_client, f"/admin/territoire/epci/{CC_THIERS}/retirer")
    assert "Aucune commune de CC Thiers Dore et Montagne ne fait partie du territoire." in admin_client.get(
        "/admin/territoire").get_data(as_text=True)


def test_changes_show_in_the_autocomplete(admin_client):
    _post(admin_client, "/admin/territoire/communes", commune=RIOM)
    results = admin_client.get("/referentiels/communes?q=riom").get_json()["results"]
    assert results[0]["value"] == RIOM and results[0]["in_territory"] is True


@pytest.mark.parametrize("role", ["counsellor", "employer", "partner"])
def test_only_admins_edit_the_territory(client, auth, make, role):
    auth.login(make.user(role))
    assert client.get("/admin/territoire").status_code == 403
    token = csrf_token(client, "/mon-compte")
    for url, data in (("/admin/territoire/communes", {"commune": RIOM}),
                      (f"/admin/territoire/communes/{THIERS}/retirer", {}),
                      ("/admin/territoire/epci", {"epci": RIOM_AGGLO}),
                      (f"/admin/territoire/epci/{CC_THIERS}/retirer", {})):
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 403
        assert "Accès refusé" in response.get_data(as_text=True)
    assert len(_codes()) == 45


def test_post_without_csrf_changes_nothing(admin_client):
    response = admin_client.post(f"/admin/territoire/communes/{THIERS}/retirer")
    assert response.status_code == 400
    assert THIERS in _codes()
