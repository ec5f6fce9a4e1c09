"""Reference data and its autocompletes: accent- and case-insensitive, territory first, never a 500."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.referentials.models import Commune, Epci, NafCode, RomeAppellation, RomeCode, TerritoryCommune
from portal.referentials.services import DEFAULT_TERRITORY, default_territory_codes

THIERS = "63430"
SAINT_REMY = "63393"  # Saint-Rémy-sur-Durolle


def _results(client, url):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 200, url
    assert response.is_json
    return response.get_json()["results"]


def test_reference_tables_cover_france():
    counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
              for m in (Commune, Epci, RomeCode, RomeAppellation, NafCode)}
    assert counts["commune"] > 34000
    assert counts["epci"] > 1200
    assert counts["rome_code"] > 500
    assert counts["rome_appellation"] > 10000
    assert counts["naf_code"] == 732
    thiers = db.session.get(Commune, THIERS)
    assert thiers.name == "Thiers" and "63300" in thiers.postal_codes
    assert thiers.epci_siren == DEFAULT_TERRITORY[0][0]
    assert 45.8 < thiers.latitude < 45.9 and 3.5 < thiers.longitude < 3.6


def test_loading_twice_adds_nothing():
    from portal.referentials.loader import load_all

    report = load_all()
    assert all(inserted == 0 and updated == 0 for inserted, updated in report.values()), report


def test_default_territory_is_the_45_communes_of_design():
    codes = default_territory_codes()
    assert len(codes) == len(set(codes)) == 45
    assert THIERS in codes
    epcis = [db.session.get(Commune, c).epci_siren for c in codes]
    assert [epcis.count(siren) for siren, _ in DEFAULT_TERRITORY] == [30, 10, 5]
    stored = set(db.session.scalars(select(TerritoryCommune.insee_code)))
    assert stored == set(codes)


def test_thie_gives_thiers_first(client):
    results = _results(client, "/referentiels/communes?q=thie")
    assert results[0]["value"] == THIERS
    assert results[0]["label"] == "Thiers (63300)"
    assert results[0]["in_territory"] is True
    assert "Thiers Dore et Montagne" in results[0]["hint"]


def test_territory_communes_come_first(client):
    results = _results(client, "/referentiels/communes?q=saint")
    flags = [r["in_territory"] for r in results]
    assert flags[0] is True
    assert flags == sorted(flags, reverse=True)
    outside = [r for r in results if not r["in_territory"]]
    assert all("hors territoire" in r["hint"] for r in outside)


@pytest.mark.parametrize("query", ["SAINT REMY", "saint-rémy", "Saint Rémy sur", "st remy"[:0] + "SAINT-REMY-SUR-DUR"])
def test_commune_search_ignores_accents_case_and_hyphens(client, query):
    results = _results(client, "/referentiels/communes?q=" + query)
    assert SAINT_REMY in [r["value"] for r in results]


def test_postal_code_and_insee_code(client):
    by_postal = _results(client, "/referentiels/communes?q=63300")
    assert by_postal[0]["value"] == THIERS
    # 63300 is Thiers' postal code and Riom's INSEE code: both are found, Thiers (in the territory) first
    assert "63300" in {r["value"] for r in by_postal}
    for r in by_postal:
        commune = db.session.get(Commune, r["value"])
        assert "63300" in commune.postal_codes.split() or commune.insee_code == "63300"
    assert _results(client, "/referentiels/communes?q=63550")[0]["value"] == SAINT_REMY
    by_insee = _results(client, "/referentiels/communes?q=63430")
    assert by_insee[0]["value"] == THIERS


def test_territory_only_flag(client):
    results = _results(client, "/referentiels/communes?q=saint&territoire=1")
    assert results and all(r["in_territory"] for r in results)


def test_chaudronn_gives_the_h2902_appellations(client):
    results = _results(client, "/referentiels/appellations?q=chaudronn")
    assert results[0]["label"] == "Chaudronnier / Chaudronnière"
    assert results[0]["rome"] == "H2902"
    assert "H2902" in results[0]["hint"]
    h2902 = [r for r in results if r["rome"] == "H2902"]
    assert len(h2902) >= 10
    assert all("chaudronn" in r["label"].lower() for r in results)


def test_appellations_by_rome_code(client):
    results = _results(client, "/referentiels/appellations?q=h2902")
    assert results and all(r["rome"] == "H2902" for r in results)


def test_rome_codes(client):
    results = _results(client, "/referentiels/rome?q=chaudronnier")
    assert "H2902" in [r["value"] for r in results]


@pytest.mark.parametrize("query", ["coutel", "COUTELLERIE", "25.71", "2571", "25.71Z"])
def test_naf_by_label_or_code(client, query):
    results = _results(client, "/referentiels/naf?q=" + query)
    assert results[0]["value"] == "25.71Z"
    assert results[0]["label"].startswith("25.71Z – Fabrication de coutellerie")


def test_epci_by_name_or_siren(client):
    assert _results(client, "/referentiels/epci?q=thiers dore")[0]["value"] == "200070712"
    assert _results(client, "/referentiels/epci?q=200070712")[0]["label"] == "CC Thiers Dore et Montagne"


@pytest.mark.parametrize("endpoint, code, label", [
    ("communes", THIERS, "Thiers (63300)"),
    ("communes", "2a004", "Ajaccio (20000)"),
    ("naf", "25.71z", "25.71Z – Fabrication de coutellerie"),
    ("rome", "h2902", "H2902 – Chaudronnier / Chaudronnière"),
    ("epci", "200070712", "CC Thiers Dore et Montagne"),
])
def test_code_lookup(client, endpoint, code, label):
    results = _results(client, f"/referentiels/{endpoint}?code={code}")
    assert len(results) == 1
    assert results[0]["label"] == label


def test_code_lookup_of_an_appellation(client):
    appellation = db.session.scalars(select(RomeAppellation).where(RomeAppellation.rome_code == "H2902")).first()
    results = _results(client, f"/referentiels/appellations?code={appellation.code}")
    assert results[0]["value"] == appellation.code and results[0]["rome"] == "H2902"


@pytest.mark.parametrize("endpoint", ["communes", "epci", "appellations", "rome", "naf"])
@pytest.mark.parametrize("query", [
    "a" * 10_000, "' OR 1=1 --", "%_%", "%", "_", "\\", "'; DROP TABLE commune; --", "é" * 300, "\x00", "63 300",
    "", "   ", "25.", "2a", "🙂",
])
def test_hostile_queries_answer_a_json_list(client, endpoint, query):
    results = _results(client, f"/referentiels/{endpoint}?q=" + query)
    assert isinstance(results, list)
    if query.strip(" '%_\\;-") == "" or "1=1" in query:
        assert results == [] or endpoint == "communes" and query.strip() == ""


@pytest.mark.parametrize("endpoint", ["communes", "epci", "appellations", "rome", "naf"])
@pytest.mark.parametrize("code", ["", "x" * 10_000, "' OR 1=1 --", "%", "99999"])
def test_unknown_or_hostile_codes_answer_an_empty_list(client, endpoint, code):
    assert _results(client, f"/referentiels/{endpoint}?code=" + code) == []


def test_like_wildcards_are_not_wildcards(client):
    assert _results(client, "/referentiels/communes?q=th%25rs") == []
    assert THIERS not in [r["value"] for r in _results(client, "/referentiels/communes?q=t_iers")]
    assert _results(client, "/referentiels/appellations?q=chaud%25nier") == []


def test_autocomplete_is_public_and_limited_in_size(client):
    results = _results(client, "/referentiels/communes?q=sa")
    assert 0 < len(results) <= 10
    assert set(results[0]) == {"value", "label", "hint", "in_territory"}
