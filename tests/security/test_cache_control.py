"""Personal data is never kept by a cache (issue 20 §5): every answer but the static files says
`Cache-Control: no-store`, pages, exports, PDFs and JSON alike, whatever their status.

The routes come from the URL map: each GET route is asked by a user it is meant for (a counsellor, else an
admin, an employer, a partner, else anyone), with the objects of a test world, so that exports and PDFs are
really produced.
"""

from crm.pmsmp import links
from crm.pmsmp.convention import signatories
from crm.pmsmp.models import Placement
from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from portal.extensions import db
from tests import factories as make
from tests.security.world import TOKEN_LINKS, build_worlds, fill_url, login, send

ROLES = ["counsellor", "admin", "employer", "partner"]
# Answers that hold personal data, which the walk must really obtain (200), not just be refused
PERSONAL = {"youth.export_youth", "offers.export_offers", "employers.export_companies", "youth.autocomplete_youth",
            "employers.autocomplete_companies", "pmsmp.placement_pdf", "pmsmp.pdf_by_link", "privacy.export_youth",
            "charte.download_certificate", "reporting.download_report", "api.my_services"}


def _roles(app, endpoint: str) -> list[str]:
    access = declared_access(app.view_functions[endpoint])
    return ["public"] if access is PUBLIC_ACCESS else [r for r in ROLES if r in access]


def _url(rule, side, sign_token: str) -> str:
    if rule.endpoint in ("pmsmp.sign_by_link", "pmsmp.pdf_by_link"):
        return rule.build({"token": sign_token}, append_unknown=False)[1]
    if rule.endpoint in TOKEN_LINKS:
        return rule.build({a: "inconnu" for a in rule.arguments}, append_unknown=False)[1]
    return fill_url(rule, side) if rule.arguments else rule.build({}, append_unknown=False)[1]


def test_every_get_route_answers_no_store(app):
    a, _ = build_worlds()
    placement = db.session.get(Placement, a.ids["placement"])
    who = signatories(placement)[0]
    sign_token = links.make_link_token(links.SIGN, placement.id, who.role, who.email)
    users = {"counsellor": a.counsellor, "admin": make.admin(), "employer": a.employer, "partner": a.partner_user}
    db.session.commit()
    clients = {role: login(app, user) for role, user in users.items()}
    clients["public"] = app.test_client()
    failures, reached = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods or rule.endpoint == "accounts.logout":
            continue
        role = _roles(app, rule.endpoint)[0]
        url = _url(rule, a, sign_token)
        response = send(clients[role], "GET", url)
        if response.status_code == 200:
            reached.add(rule.endpoint)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            failures.append(f"{role} GET {url} ({rule.endpoint}, {response.status_code}, {response.mimetype}) : "
                            f"Cache-Control {response.headers.get('Cache-Control')!r}")
    assert not failures, "réponses qu'un cache peut garder :\n" + "\n".join(failures)
    assert not PERSONAL - reached, f"non obtenues : {sorted(PERSONAL - reached)}"


def test_errors_and_unknown_pages_are_not_stored_but_static_files_are_cached(client):
    assert client.get("/nulle-part").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/offres?page=0").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
