"""The capabilities register their datasets with the API: one nobody registered is absent (404, not in the index
nor the OpenAPI document), and the others answer as before."""

import pytest
from openapi_spec_validator import validate

from portal.api.registry import DATASETS


@pytest.fixture
def without_charter(monkeypatch):
    monkeypatch.delitem(DATASETS, "signataires")


def test_every_dataset_is_registered_by_its_capability():
    assert {"services", "structures", "offres", "signataires"} <= set(DATASETS)


def test_an_unregistered_dataset_is_absent(client, make, without_charter):
    make.charter_signature()
    response = client.get("/api/v1/signataires")
    assert response.status_code == 404 and "error" in response.get_json()
    index = client.get("/api/v1/").get_json()
    assert "signataires" not in index and index["offres"] == "/api/v1/offres"
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert "/api/v1/signataires" not in document["paths"] and "/api/v1/offres" in document["paths"]
    assert not {"Signataire", "PageSignataires"} & set(document["components"]["schemas"])
    assert client.get("/api/v1/offres").status_code == 200

