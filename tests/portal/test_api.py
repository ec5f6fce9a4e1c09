"""The open data API: data·inclusion payloads, OpenAPI document, tokens, rate limit, fuzzing."""

from datetime import datetime

import pytest
from data_inclusion.schema import v1
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import select

from crm.directory import rules
from crm.offers.models import Offer
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
            "/api/v1/moi/services", "/api/v1/offres", "/api/v1/offres/{offer_id}",
            "/api/v1/signataires"} <= set(document["paths"])
    assert {"Service", "Offre", "Signataire", "PageOffres", "PageSignataires"} <= set(document["components"]["schemas"])


def _conforms(document: dict, schema_name: str, body) -> None:
    """Validate a body against a component of the served OpenAPI document (JSON Schema 2020-12)."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert errors == []


def test_published_offers_give_public_fields_only(client, make):
    company = make.company(name="Coutellerie du Bourg")
    published = make.offer(company, title="Polisseur·se", contact_name="Jeanne Secrète",
                           contact_email="jeanne.secrete@exemple.test", contact_phone="04 73 11 22 33",
                           description="Texte interne pour les candidats", published_at=datetime(2026, 3, 2, 9, 0))
    make.offer(company, title="Encore soumise", status="soumise")
    make.offer(make.company(archived_at=datetime(2026, 1, 1)), title="Entreprise archivée")
    document = client.get("/api/v1/openapi.json").get_json()
    response = client.get("/api/v1/offres")
    body = response.get_json()
    _conforms(document, "PageOffres", body)
    assert [o["titre"] for o in body["items"]] == ["Polisseur·se"] and body["total"] == 1
    item = body["items"][0]
    assert item["entreprise"] == "Coutellerie du Bourg" and item["commune"] == {"code_insee": "63430",
                                                                                 "nom": "Thiers"}
    assert item["contrat"]["libelle"] == "CDI" and item["code_rome"] == published.rome_code
    assert item["date_publication"] == "2026-03-02" and item["date_debut"] == "2026-09-01"
    text = response.get_data(as_text=True)
    assert "Secrète" not in text and "jeanne" not in text and "04 73" not in text and "interne" not in text
    one = client.get(f"/api/v1/offres/{published.id}").get_json()
    _conforms(document, "Offre", one)
    assert one == item
    hidden = db.session.scalar(select(Offer).where(Offer.title == "Encore soumise"))
    assert client.get(f"/api/v1/offres/{hidden.id}").status_code == 404
    assert client.get("/api/v1/offres/99999999999").status_code == 404
    assert client.get("/api/v1/offres?page=0").status_code == 400


def test_signatories_are_active_and_consenting_only_without_the_signatory_person(client, make):
    version = make.charter_version()
    listed = make.charter_signature(make.company(name="Forges Thiernoises"), version)
    make.charter_signature(make.company(name="Discrète SARL"), version, public_consent=False)
    make.charter_signature(make.company(name="En attente SAS"), version, status="en_attente")
    make.charter_signature(make.company(name="Retirée SA"), version, status="retiree")
    document = client.get("/api/v1/openapi.json").get_json()
    response = client.get("/api/v1/signataires")
    body = response.get_json()
    _conforms(document, "PageSignataires", body)
    assert [s["entreprise"] for s in body["items"]] == ["Forges Thiernoises"]
    assert body["items"][0]["engagements"] == [c.label for c in listed.commitments]
    text = response.get_data(as_text=True)
    assert listed.signatory_name not in text and listed.signatory_email not in text


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
    make.offer()
    make.charter_signature()
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
