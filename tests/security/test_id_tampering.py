"""No object of another company or organisation is reachable by changing an id in a URL (DESIGN.md §4:
it answers 404, not 403), and a refused POST changes nothing; staff reach every object.

The URLs come from the URL map: a new object URL whose argument the tests cannot fill fails here with the
endpoint's name (tests/security/world.py says which object fills which argument).
"""

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from tests.security.world import (
    PERSONAL_KINDS,
    PLAIN_ARGS,
    SHARED_WHEN_PUBLISHED,
    TOKEN_LINKS,
    arg_kind,
    build_worlds,
    changed,
    fill_url,
    fingerprint,
    login,
    methods,
    object_rules,
    rolled_back,
    send,
)

# Views that refuse (403) or hide (404) an object the user may see because of its state, and the world's
# object is not in that state: the checks that a user does reach an object skip the refusal for them.
STATE_DEPENDENT = {
    "offers.edit_my_need",  # only while the need is submitted, and the world's offer is published
    "charte.renew_signature",  # only a signature due for renewal
    "pmsmp.assess_placement", "pmsmp.assessment_pdf",  # only once the convention has started and been assessed
    "pmsmp.cancel_placement", "pmsmp.validate_placement", "pmsmp.resend_link",  # not on a draft convention
}


def _audience(app, endpoint):
    access = declared_access(app.view_functions[endpoint])
    return {"public"} if access is PUBLIC_ACCESS else set(access)


def _kinds(rule):
    return {arg_kind(rule.endpoint, arg) for arg in rule.arguments if (rule.endpoint, arg) not in PLAIN_ARGS}


def _try(client, method, url):
    """The answer to `method url`; for a POST, also the tables it changed (then undone)."""
    if method == "GET":
        return send(client, "GET", url), []
    with rolled_back():
        before = fingerprint()
        response = send(client, method, url, data={"csrf_token": client.token})
        return response, changed(before, fingerprint())


def test_every_object_url_can_be_filled(app):
    """A new object URL fails here until tests/security/world.py knows which object fills it."""
    a, _ = build_worlds()
    failures = []
    for rule in object_rules(app):
        if rule.endpoint not in TOKEN_LINKS:
            try:
                fill_url(rule, a)
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures)


def test_foreign_objects_answer_404_and_change_nothing(app):
    a, b = build_worlds()
    clients = {"employer": login(app, a.employer), "partner": login(app, a.partner_user)}
    failures = []
    for rule in object_rules(app):
        if rule.endpoint in TOKEN_LINKS:
            continue
        audience = _audience(app, rule.endpoint)
        for role, client in clients.items():
            expected = 404 if role in audience or "public" in audience else 403
            url = fill_url(rule, b, SHARED_WHEN_PUBLISHED.get((rule.endpoint, role)))
            for method in methods(rule):
                response, tables = _try(client, method, url)
                if response.status_code != expected:
                    failures.append(f"{role} {method} {url} ({rule.endpoint}) : {response.status_code}, "
                                    f"attendu {expected}")
                if tables:
                    failures.append(f"{role} {method} {url} ({rule.endpoint}) a modifié {tables}")
    assert not failures, "objets d'autrui atteignables :\n" + "\n".join(failures)


def test_own_objects_are_reached(app):
    """The other side of the coin: the same URLs with the requester's own objects are not refused, so the
    404s above come from scoping, not from an object nobody can see."""
    a, _ = build_worlds()
    clients = {"employer": login(app, a.employer), "partner": login(app, a.partner_user)}
    failures = []
    for rule in object_rules(app):
        if rule.endpoint in TOKEN_LINKS or rule.endpoint in STATE_DEPENDENT or "GET" not in rule.methods:
            continue
        audience = _audience(app, rule.endpoint)
        for role, client in clients.items():
            if role not in audience:
                continue
            response = send(client, "GET", fill_url(rule, a))
            if response.status_code not in (200, 302, 303):
                failures.append(f"{role} GET {rule.endpoint} (son propre objet) : {response.status_code}")
    assert not failures, "\n".join(failures)


def test_staff_reach_every_object_but_not_others_personal_ones(app):
    """A counsellor reaches every company's and organisation's objects (never 404 nor 500), but not another
    counsellor's saved searches and imports, which answer 404 and change nothing."""
    a, b = build_worlds()
    client = login(app, a.counsellor)
    failures = []
    for rule in object_rules(app):
        if rule.endpoint in TOKEN_LINKS:
            continue
        audience = _audience(app, rule.endpoint)
        if "counsellor" not in audience:
            continue
        personal = bool(_kinds(rule) & PERSONAL_KINDS)
        url = fill_url(rule, b)
        for method in methods(rule):
            response, tables = _try(client, method, url)
            status = response.status_code
            if personal and (status != 404 or tables):
                failures.append(f"{method} {url} ({rule.endpoint}) : {status} sur l'objet personnel d'un autre "
                                f"conseiller, tables modifiées {tables}")
            elif not personal and (status >= 500 or status in (403, 404) and rule.endpoint not in STATE_DEPENDENT):
                failures.append(f"{method} {url} ({rule.endpoint}) : {status}")
    assert not failures, "\n".join(failures)
