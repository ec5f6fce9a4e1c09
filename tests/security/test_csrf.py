"""CSRF on every state change: every endpoint accepting POST, posted without a token by a user allowed
there, answers the French CSRF page (400) and the database does not change."""

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from portal.errors import CSRF_MESSAGE
from tests import factories as make
from tests.security.world import TOKEN_LINKS, build_worlds, changed, fill_url, fingerprint, login, send

# the role tried on an endpoint: the first of these its audience allows
PREFERENCE = ("counsellor", "admin", "employer", "partner", "public")


def _post_rules(app):
    return [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"]


def _url(rule, side):
    if rule.endpoint in TOKEN_LINKS:
        # the CSRF check runs before the view looks at the link's token
        return rule.build(dict.fromkeys(rule.arguments, "jeton-quelconque"), append_unknown=False)[1]
    return fill_url(rule, side)


def test_every_post_without_token_is_refused_and_changes_nothing(app):
    a, _ = build_worlds()
    users = {"counsellor": a.counsellor, "admin": make.admin(), "employer": a.employer, "partner": a.partner_user}
    clients = {role: login(app, user) for role, user in users.items()}
    clients["public"] = app.test_client()
    # the message as the page shows it (Jinja escapes the apostrophes)
    shown = CSRF_MESSAGE.split(" (")[0].replace("'", "&#39;")
    failures = []
    rules = _post_rules(app)
    assert len(rules) > 50, "la carte des URL semble incomplète"
    for rule in rules:
        access = declared_access(app.view_functions[rule.endpoint])
        audience = {"public"} if access is PUBLIC_ACCESS else set(access)
        role = next(r for r in PREFERENCE if r in audience)
        url = _url(rule, a)
        before = fingerprint()
        response = send(clients[role], "POST", url, data={"name": "Essai sans jeton", "title": "Essai"})
        tables = changed(before, fingerprint())
        body = response.get_data(as_text=True)
        if response.status_code != 400 or shown not in body:
            failures.append(f"{role} POST {url} ({rule.endpoint}) : {response.status_code} sans la page CSRF")
        if tables:
            failures.append(f"{role} POST {url} ({rule.endpoint}) a modifié {tables}")
    assert not failures, "\n".join(failures)
