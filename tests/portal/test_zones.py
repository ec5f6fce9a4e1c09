"""Zones typed and read as names: communes, intercommunalités and départements (portal/referentials/zones.py)."""

import pytest

from portal.referentials import zones

THIERS, CC_THIERS, PUY_DE_DOME = "63430", "200070712", "63"


def test_places_read_as_names():
    assert zones.department_name("63") == "Puy-de-Dôme"
    assert zones.department_name("2A") == "Corse-du-Sud"
    assert zones.zone_text([THIERS, CC_THIERS, PUY_DE_DOME]) == (
        "Thiers (63300), CC Thiers Dore et Montagne, Puy-de-Dôme (département)")


def test_names_as_typed_give_the_codes_and_read_back():
    codes, errors = zones.parse("thiers ; cc thiers dore et montagne,\npuy de dome")
    assert (codes, errors) == ([THIERS, CC_THIERS, PUY_DE_DOME], [])
    assert zones.parse(zones.zone_text(codes)) == (codes, [])
    # codes typed as before are still understood, and a place named twice counts once
    assert zones.parse("63430 200070712, Thiers") == ([THIERS, CC_THIERS], [])


@pytest.mark.parametrize("typed, message", [
    ("Atlantide", "« Atlantide » : aucune commune, intercommunalité ou département de ce nom."),
    ("Beaumont", "« Beaumont » : plusieurs communes portent ce nom ; choisissez-la dans la liste ou ajoutez son "
                 "code postal"),
    ("Thiers (75001)", "« Thiers (75001) » : aucune commune de ce nom avec ce code postal."),
    ("Bretagne (département)", "« Bretagne » : aucun département de ce nom."),
])
def test_unknown_or_ambiguous_names_are_explained(typed, message):
    codes, errors = zones.parse(f"Thiers, {typed}")
    assert codes == [THIERS] and len(errors) == 1 and errors[0].startswith(message)


def test_a_commune_is_told_apart_by_its_postal_code():
    codes, errors = zones.parse("Beaumont (63110)")
    assert errors == [] and len(codes) == 1 and zones.place_label(codes[0]) == "Beaumont (63110)"


def test_autocomplete_by_name(client):
    results = client.get("/referentiels/zones?q=puy-de").get_json()["results"]
    assert results[0] == {"value": "63", "label": "Puy-de-Dôme (département)", "hint": "département",
                          "kind": "departement"}
    labels = [r["label"] for r in client.get("/referentiels/zones?q=thiers").get_json()["results"]]
    assert "CC Thiers Dore et Montagne" in labels and "Thiers (63300)" in labels
    assert client.get("/referentiels/zones?q=").get_json() == {"results": []}
    assert client.get("/referentiels/zones?q=" + "x" * 5000).status_code == 200
