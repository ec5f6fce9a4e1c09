"""Every endpoint declares who may use it, and the declaration is enforced, for every role.

One test per endpoint and per role (`employer-GET-/entreprises/<company_id>`), so that one failure hides
none of the others. The endpoints are read at collection time from the URL map of the session's app
(tests/conftest.py `session_app`, built before its database is set up).

The module's tests share one transaction, rolled back at its end, and one logged-in client per role (as
each role's loop did before the tests were split): some 1,300 tests paying a login each would take ten
times as long. The requests use unknown ids, so they change nothing another test reads.
"""

import re

import pytest
from werkzeug.routing import IntegerConverter

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from portal.extensions import limiter
from tests import factories
from tests.access_matrix import PUBLIC, max_access
from tests.conftest import AuthActions, csrf_token, rolled_back_transaction, session_app

ROLES = ["admin", "counsellor", "employer", "partner"]


def _endpoints(app):
    """(endpoint, url, method) of every rule but the static files, its arguments filled with unknown ids."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = {}
        for name, converter in rule._converters.items():
            args[name] = 999999 if isinstance(converter, IntegerConverter) else "inconnu"
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        url = rule.build(args, append_unknown=False)[1]
        yield rule.endpoint, url, method


def _collected():
    """(endpoint, url, method, readable path) of every rule, in URL-map order."""
    app = session_app()
    paths = {rule.endpoint: [] for rule in app.url_map.iter_rules()}
    for rule in app.url_map.iter_rules():
        paths[rule.endpoint].append(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule.rule))
    seen: dict[str, int] = {}
    for endpoint, url, method in _endpoints(app):
        n = seen[endpoint] = seen.get(endpoint, -1) + 1
        yield endpoint, url, method, paths[endpoint][n]


ENDPOINTS = [pytest.param(e, u, m, id=f"{m}-{path}") for e, u, m, path in _collected()]
# logging out would end the test's session: the anonymous test covers that endpoint
BY_ROLE = [pytest.param(role, *p.values, id=f"{role}-{p.id}") for role in ROLES for p in ENDPOINTS
           if p.values[0] != "accounts.logout"]


@pytest.fixture(scope="module")
def _transaction(app):
    """Overrides the per-test transaction of tests/conftest.py: one for the whole module."""
    with rolled_back_transaction(app):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits():
    limiter.reset()


@pytest.fixture(scope="module")
def clients(app, _transaction):
    """role -> a test client logged in with that role, and a CSRF token of its session (`client.token`);
    "anonymous" -> a client without an account."""
    made = {}

    def get(role: str):
        if role not in made:
            client = made[role] = app.test_client()
            if role == "anonymous":
                client.token = csrf_token(client, "/connexion")
            else:
                assert AuthActions(client).login(factories.user(role)).status_code == 303
                client.token = csrf_token(client, "/mon-compte")
        return made[role]

    return get


def _audience(app, endpoint):
    access = declared_access(app.view_functions[endpoint])
    return {PUBLIC} if access is PUBLIC_ACCESS else set(access)


@pytest.mark.parametrize(("endpoint", "url", "method"), ENDPOINTS)
def test_endpoint_declares_its_audience_within_design(app, endpoint, url, method):
    assert declared_access(app.view_functions[endpoint]) is not None, f"point d'accès sans règle : {endpoint}"
    extra = _audience(app, endpoint) - max_access(endpoint)
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


@pytest.mark.parametrize(("endpoint", "url", "method"),
                         [pytest.param(*p.values, id=f"anonymous-{p.id}") for p in ENDPOINTS])
def test_anonymous_is_sent_to_login_on_every_private_page(app, clients, endpoint, url, method):
    client = clients("anonymous")
    response = _request(client, method, url, client.token)
    if PUBLIC in _audience(app, endpoint):
        assert response.status_code not in (401, 403), endpoint
    elif url.startswith("/api/"):
        # JSON API clients get 401 (token or session required), never a login page.
        assert response.status_code == 401, f"{endpoint} répond {response.status_code}"
    else:
        assert response.status_code == 302, f"{endpoint} répond {response.status_code}"
        assert "/connexion" in response.headers["Location"], endpoint


@pytest.mark.parametrize(("role", "endpoint", "url", "method"), BY_ROLE)
def test_no_role_reaches_an_endpoint_not_given_to_it(app, clients, role, endpoint, url, method):
    client = clients(role)
    response = _request(client, method, url, client.token)
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
