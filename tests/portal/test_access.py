"""Every endpoint declares who may use it, and the declaration is enforced, for every role."""

import pytest
from werkzeug.routing import IntegerConverter

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from tests.access_matrix import PUBLIC, max_access
from tests.conftest import csrf_token

ROLES = ["admin", "counsellor", "employer", "partner"]


def _endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = {}
        for name, converter in rule._converters.items():
            args[name] = 999999 if isinstance(converter, IntegerConverter) else "inconnu"
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        url = rule.build(args, append_unknown=False)[1]
        yield rule.endpoint, url, method


def _audience(app, endpoint):
    access = declared_access(app.view_functions[endpoint])
    return {PUBLIC} if access is PUBLIC_ACCESS else set(access)


def test_every_endpoint_declares_its_audience_within_design(app):
    undeclared = [e for e, _, _ in _endpoints(app) if declared_access(app.view_functions[e]) is None]
    assert undeclared == [], f"points d'accès sans règle : {undeclared}"
    for endpoint, _, _ in _endpoints(app):
        audience = _audience(app, endpoint)
        extra = audience - max_access(endpoint)
        assert not extra, f"{endpoint} ouvert à {extra}, que DESIGN.md §4 ne lui donne pas"


def _request(client, method, url, token):
    if method == "GET":
        response = client.get(url, headers={"Accept": "text/html"})
    else:
        response = client.open(url, method=method, data={"csrf_token": token}, headers={"Accept": "text/html"})
    # read and close streamed answers (exports) so that their request context ends here
    response.get_data()
    response.close()
    return response


def _refused(response) -> bool:
    """A 403 page in French, or the JSON error of an API endpoint."""
    if response.is_json:
        return response.get_json()["error"] == "Vous n'avez pas accès à cette page."
    return "Accès refusé" in response.get_data(as_text=True)


def test_anonymous_is_sent_to_login_on_every_private_page(app, client):
    token = csrf_token(client, "/connexion")
    for endpoint, url, method in _endpoints(app):
        response = _request(client, method, url, token)
        if PUBLIC in _audience(app, endpoint):
            assert response.status_code not in (401, 403), endpoint
        elif url.startswith("/api/"):
            # JSON API clients get 401 (token or session required), never a login page.
            assert response.status_code == 401, f"{endpoint} répond {response.status_code}"
        else:
            assert response.status_code == 302, f"{endpoint} répond {response.status_code}"
            assert "/connexion" in response.headers["Location"], endpoint


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_an_endpoint_not_given_to_it(app, client, auth, make, role):
    user = make.user(role)
    assert auth.login(user).status_code == 303
    token = csrf_token(client, "/mon-compte")
    for endpoint, url, method in _endpoints(app):
        if endpoint == "accounts.logout":
            continue
        response = _request(client, method, url, token)
        audience = _audience(app, endpoint)
        if role in audience or PUBLIC in audience:
            assert response.status_code != 403, f"{endpoint} refusé à {role} alors qu'il lui est ouvert"
            assert response.status_code < 500, f"{endpoint} : erreur {response.status_code} pour {role}"
        else:
            assert response.status_code == 403, f"{endpoint} répond {response.status_code} à {role}"
            assert _refused(response), endpoint


def test_undeclared_view_is_refused(app):
    """The guard refuses a view that declared nothing (the URL-map test would also fail on it)."""
    from flask import Flask

    from portal.access import init_app

    probe = Flask("probe")
    probe.config["SECRET_KEY"] = "x"
    from portal.extensions import login_manager

    login_manager.init_app(probe)
    init_app(probe)

    @probe.get("/sans-regle")
    def no_rule():
        return "ouvert"

    assert probe.test_client().get("/sans-regle").status_code == 403
