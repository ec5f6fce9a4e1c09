"""The open data API: data·inclusion payloads, OpenAPI document, tokens, rate limit, fuzzing."""

import pytest
from data_inclusion.schema import v1
from openapi_spec_validator import validate

from crm.directory import rules
from portal.api.models import ApiToken
from portal.extensions import db


def test_published_services_validate_against_the_data_inclusion_schema(client, make):
    partner = make.partner(name="Mobilité Solidaire", phone="04 73 51 00 00", siret=make.siret())
    make.directory_service(partner, name="Garage solidaire", phone="04 73 00 00 01", email="garage@mobilite-solidaire.fr",
                           publics_codes=rules.join_codes(["jeunes", "demandeurs-emploi"]),
                           zone_codes=rules.join_codes(["63430", "200070712", "63"]), fees="gratuit",
                           service_type="accompagnement", mobilisation_codes=rules.join_codes(["telephoner"]),
                           mobilisation_url="https://exemple.test/garage")
    make.directory_service(None, name="Atelier CV de la Mission Locale")
    make.directory_service(partner, name="Brouillon caché", status="brouillon")
    response = client.get("/api/v1/services?size=100")
    assert response.status_code == 200
    body = response.get_json()
    names = {item["nom"] for item in body["items"]}
    assert {"Garage solidaire", "Atelier CV de la Mission Locale"} <= names
    assert "Brouillon caché" not in names
    for item in body["items"]:
        v1.Service.model_validate(item)  # raises on any departure from the schema
    garage = next(i for i in body["items"] if i["nom"] == "Garage solidaire")
    assert garage["telephone"] == "+33473000001" and garage["zone_eligibilite"] == ["200070712", "63", "63430"]
    assert garage["courriel"] == "garage@mobilite-solidaire.fr"
    structures = client.get("/api/v1/structures").get_json()
    for item in structures["items"]:
        v1.Structure.model_validate(item)
    assert {"Mobilité Solidaire"} <= {s["nom"] for s in structures["items"]}


def test_one_service_and_unknown_ids(client, make):
    service = make.directory_service(name="Vélo-école")
    draft = make.directory_service(name="Pas encore", status="brouillon")
    assert client.get(f"/api/v1/services/{service.id}").get_json()["nom"] == "Vélo-école"
    missing = client.get(f"/api/v1/services/{draft.id}")
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert client.get("/api/v1/services?size=0").status_code == 400


def test_openapi_document_is_valid_and_describes_the_routes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert {"/api/v1/services", "/api/v1/services/{service_id}", "/api/v1/structures",
            "/api/v1/moi/services"} <= set(document["paths"])
    assert "Service" in document["components"]["schemas"]


def test_personal_token_gives_a_partner_its_drafts(client, auth, csrf, make):
    owner = make.partner_user()
    make.directory_service(owner.partner, name="Brouillon à moi", status="brouillon")
    make.directory_service(make.partner(), name="Brouillon d'un autre", status="brouillon")
    assert client.get("/api/v1/moi/services").status_code == 401
    assert client.get("/api/v1/moi/services", headers={"Authorization": "Bearer mlg_faux"}).status_code == 401

    auth.login(owner)
    page = client.post("/mon-organisation/jetons-api", data={"csrf_token": csrf("/mon-organisation/jetons-api"),
                                                             "name": "Tableur"})
    html = page.get_data(as_text=True)
    assert "Copiez ce jeton maintenant" in html
    clear = html.split('<code class="token">')[1].split("</code>")[0]
    auth.logout()
    stored = db.session.query(ApiToken).filter_by(user_id=owner.id).one()
    assert stored.token_hash != clear and clear.startswith("mlg_")

    response = client.get("/api/v1/moi/services", headers={"Authorization": f"Bearer {clear}"})
    assert response.status_code == 200
    names = [row["service"]["nom"] for row in response.get_json()]
    assert names == ["Brouillon à moi"]

    auth.login(owner)
    client.post(f"/mon-organisation/jetons-api/{stored.id}/revoquer", data={"csrf_token": csrf("/mon-organisation/jetons-api")})
    auth.logout()
    assert client.get("/api/v1/moi/services", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_token_page_refuses_an_empty_name(client, auth, csrf, make):
    auth.login(make.partner_user())
    response = client.post("/mon-organisation/jetons-api", data={"csrf_token": csrf("/mon-organisation/jetons-api"),
                                                                 "name": ""})
    assert response.status_code == 422 and "Information obligatoire" in response.get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_other_roles_have_no_token_pages(client, auth, make):
    auth.login(make.employer())
    assert client.get("/mon-organisation/jetons-api").status_code == 403
    assert client.get("/api/v1/moi/services").status_code == 403


def test_api_is_rate_limited(app, client):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.get("/api/v1/services").status_code for _ in range(4)]
    finally:
        app.config.pop("API_RATE_LIMIT")
    assert codes[:3] == [200, 200, 200] and codes[3] == 429


def test_schemathesis_finds_no_server_error(app, make):
    schemathesis = pytest.importorskip("schemathesis")
    make.directory_service(make.partner(), name="Service fuzzé")
    with app.test_client() as client:
        document = client.get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(document, config=None) if hasattr(schemathesis, "openapi") \
        else schemathesis.from_dict(document)
    failures = []
    for result in _run(schemathesis, schema, app):
        failures.extend(result)
    assert failures == []


def _checker(op, app, errors):
    """A hypothesis test calling one operation through the Flask app and noting its 5xx answers."""
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy())
    def check(case):
        response = case.call(app=app)
        if response.status_code >= 500:
            errors.append(f"{op.method.upper()} {op.path}: {response.status_code}")

    return check


def _run(schemathesis, schema, app):
    """Call every operation with generated data through the Flask app and collect 5xx answers."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    try:
        for operation in schema.get_all_operations():
            errors: list[str] = []
            _checker(operation.ok(), app, errors)()
            yield errors
    finally:
        app.config.pop("API_RATE_LIMIT", None)
