"""The app factory lists the capabilities (portal/capabilities.py); an app built without one, the charter
here, has none of its pages, menu entries, to-dos or reminders, and the rest works."""

import importlib
from datetime import date

import pytest
from flask import g

from portal import create_app, reminders
from portal.capabilities import CAPABILITIES, installed
from tests.conftest import AuthActions, app_config

WITHOUT_CHARTER = [name for name in CAPABILITIES if name != "charte"]


@pytest.fixture(scope="module")
def bare_app(app):
    """The app without the charter, on the test database (its tables stay: the schema comes from the
    migrations)."""
    return create_app({**app_config(), "CAPABILITIES": WITHOUT_CHARTER})


@pytest.fixture()
def bare_client(bare_app):
    with bare_app.app_context():
        yield bare_app.test_client()


def _no_charter_link(page: str) -> None:
    assert 'href="/charte' not in page
    assert ">Charte<" not in page


def test_every_capability_declares_itself_in_its_own_package():
    for name in CAPABILITIES:
        capability = importlib.import_module(f"{name}.capability").capability
        assert capability.name == name
        assert all(m.startswith(name + ".") for m in capability.models + capability.registers)
        assert all(b.startswith(name + ".") for b in capability.blueprints)


def test_the_full_app_has_the_charter(client, auth, make):
    assert any(rule.endpoint.startswith("charte.") for rule in client.application.url_map.iter_rules())
    auth.login(make.user(role="counsellor"))
    assert 'href="/charte/signatures"' in client.get("/").get_data(as_text=True)


def test_without_the_charter_its_pages_are_absent(bare_app, bare_client):
    assert not [rule for rule in bare_app.url_map.iter_rules() if rule.endpoint.startswith("charte.")]
    assert "charte" not in bare_app.blueprints
    for url in ("/charte", "/charte/signataires", "/charte/signatures", "/charte/mon-engagement"):
        assert bare_client.get(url).status_code == 404
    landing = bare_client.get("/")
    assert landing.status_code == 200
    _no_charter_link(landing.get_data(as_text=True))


def test_without_the_charter_the_api_publishes_no_signatory(bare_client, make):
    make.charter_signature()
    assert bare_client.get("/api/v1/signataires").status_code == 404
    assert "signataires" not in bare_client.get("/api/v1/").get_json()
    document = bare_client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/signataires" not in document["paths"] and "/api/v1/offres" in document["paths"]
    assert bare_client.get("/api/v1/offres").status_code == 200


def test_without_the_charter_a_counsellor_works_as_usual(bare_client, make):
    counsellor = make.user(role="counsellor")
    company = make.company(name="Forges de Thiers")
    AuthActions(bare_client).login(counsellor)
    for url in ("/", "/entreprises", f"/entreprises/{company.id}", "/indicateurs", "/offres", "/jeunes"):
        response = bare_client.get(url)
        assert response.status_code == 200, url
        _no_charter_link(response.get_data(as_text=True))
    assert "Signataire de la charte" not in bare_client.get("/entreprises").get_data(as_text=True)
    assert "Charte d'engagement" not in bare_client.get("/indicateurs").get_data(as_text=True)
    assert "Forges de Thiers" in bare_client.get(f"/entreprises/{company.id}").get_data(as_text=True)


def test_without_the_charter_an_employer_and_an_admin_work_as_usual(bare_client, make, caplog):
    employer = make.employer()
    AuthActions(bare_client).login(employer)
    for url in ("/", "/mon-entreprise", "/mes-offres"):
        response = bare_client.get(url)
        assert response.status_code == 200, url
        _no_charter_link(response.get_data(as_text=True))
    bare_client.post("/deconnexion", data={"csrf_token": _token(bare_client)})
    AuthActions(bare_client).login(make.user(role="admin"))
    home = bare_client.get("/")
    assert home.status_code == 200
    _no_charter_link(home.get_data(as_text=True))
    assert "en échec" not in caplog.text  # no to-do of the charter was even asked


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/mon-compte")


def test_without_the_charter_its_registrations_are_skipped(bare_app):
    from charte.reminders import charter_renewals

    with bare_app.app_context():
        assert not installed(charter_renewals)
        assert not installed("charte.nav")
        assert installed("crm.employers.providers") and installed("portal.home")
        report = dict(reminders.run_all(date(2026, 12, 1)))
        g.pop("_login_user", None)
    assert "charte-renouvellements" not in report
    assert "taches_a_echeance" in report


def test_without_the_charter_the_survey_asks_no_signatory(bare_app, make):
    from crm.surveys import queries as surveys
    from crm.surveys.rules import CHARTER

    make.charter_signature(make.company(name="Signataire SARL"))
    with bare_app.app_context():
        assert [r for r in surveys.respondents(date.today().year) if r.kind == CHARTER] == []
    assert [r for r in surveys.respondents(date.today().year) if r.kind == CHARTER]


def test_the_shell_imports_no_capability():
    """portal (but its API, which has its own rules) reaches the capabilities only through what they
    registered; an import inside a function counts too."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "portal"
    found = []
    for path in root.rglob("*.py"):
        if path.relative_to(root).parts[0] == "api":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(root)}: {n}" for n in names if n.split(".")[0] in ("crm", "charte")]
    assert found == []
