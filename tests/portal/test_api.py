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


LISTS = ["/api/v1/services", "/api/v1/structures", "/api/v1/offres", "/api/v1/signataires"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("query", "named"), [
    ("page=abc", "« page » doit être un nombre entier de 1 à 10\u202f000 (reçu : « abc »)"),
    ("page=-1", "« page » doit être un nombre entier de 1 à 10\u202f000 (reçu : « -1 »)"),
    ("page=0", "« page »"), ("page=1.5", "« page »"), ("page=10001", "« page »"), ("page=", "« page »"),
    ("page=%EF%BC%91", "« page »"),  # a full-width digit one: a digit to Python, not to a client
    ("page=99999999999999999999999999", "(reçu : « 99999999999999999999… »)"),
    ("size=101", "« size » doit être un nombre entier de 1 à 100 (reçu : « 101 »)"),
    ("size=null", "« size »"), ("size=+5", "« size »"),
    ("size=10&size=20", "« size » est donné plusieurs fois"),
])
def test_bad_paging_is_a_french_problem_naming_the_parameter(client, url, query, named):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and body["title"] == "Paramètres de pagination invalides"
    assert named in body["detail"] and [e["parametre"] for e in body["erreurs"]] == [query.split("=")[0]]


def test_good_paging_is_accepted_and_both_bad_parameters_are_named(client):
    assert client.get("/api/v1/services?page=0001&size=100").get_json()["size"] == 100
    body = client.get("/api/v1/offres?page=x&size=0").get_json()
    assert [e["parametre"] for e in body["erreurs"]] == ["page", "size"]


def test_openapi_document_declares_the_problem_answers(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for url in LISTS:
        answer = document["paths"][url]["get"]["responses"]["400"]
        assert answer["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Probleme"}
    assert {"type", "title", "status", "detail"} <= set(document["components"]["schemas"]["Probleme"]["required"])


@pytest.mark.parametrize(("method", "url", "allowed"), [
    ("POST", "/api/v1/services", {"GET", "HEAD", "OPTIONS"}),
    ("DELETE", "/api/v1/offres/1", {"GET", "HEAD", "OPTIONS"}),
    ("TRACE", "/api/v1/", {"GET", "HEAD", "OPTIONS"}),
    ("PUT", "/connexion", {"GET", "HEAD", "OPTIONS", "POST"}),
])
def test_method_not_allowed_says_which_are(client, method, url, allowed):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_schemathesis_with_all_its_checks_finds_nothing(app, make):
    """The whole API through schemathesis' own engine, as its command line runs it: every phase (examples,
    coverage, fuzzing, stateful) and every check (server errors, conformance of statuses, content types, headers
    and bodies, negative data rejected, positive data accepted, undeclared methods, authentication...), with a
    bounded number of examples and a fixed seed so that the suite stays fast and repeatable."""
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis import engine
    from schemathesis.engine import events

    make.directory_service(make.partner(), name="Service fuzzé")
    make.offer()
    make.charter_signature()
    # hypothesis' health checks judge the machine's speed, not the API: off, as they were before
    config = schemathesis.Config.from_dict({"seed": 20, "checks": {"enabled": True}, "suppress-health-check": ["all"],
                                            "generation": {"max-examples": 10, "mode": "all", "database": "none"}})
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
        failures, phases = [], set()
        for event in engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                failures.extend(_failures(event.recorder))
            elif isinstance(event, events.NonFatalError | events.FatalError):
                failures.append(f"erreur du moteur : {event}")
            elif isinstance(event, events.PhaseFinished):
                phases.add(event.phase.name.value)
    finally:
        app.config.pop("API_RATE_LIMIT", None)
    assert failures == []
    assert {"coverage", "fuzzing", "stateful"} <= phases


def _failures(recorder) -> list[str]:
    found = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is not None:
                case = recorder.cases[case_id].value
                found.append(f"{check.name} : {check.failure_info.failure.title} — {case.method} {case.formatted_path} "
                             f"requête={case.query} en-têtes={case.headers}")
    return found
