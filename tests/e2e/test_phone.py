"""Phone first for everyone who is not staff (issue 16 §2): every GET page an employer, a partner, a person
coming by a personal link or the public can reach is read at 375×812 without horizontal scroll, with controls at
least 44 px high, inputs typed for what they ask (email, tel, date), and without a serious or critical axe
violation.

The pages come from the URL map, not from a list: every GET rule whose declared audience names the role (or
is public), its ids filled with demo rows that the role may open (the first that answers 200), its personal
links signed from the demo rows. Answers that are not HTML (spreadsheets, PDF, JSON) are left out.
"""

from collections.abc import Callable

import pytest
from sqlalchemy import select

from charte.models import CharterSignature
from charte.services import confirmation_token
from crm.directory.models import DirectoryService
from crm.employers.models import Company, Contact, Event
from crm.followup.answers import make_answer_token
from crm.followup.models import CheckIn, Hire
from crm.matching.models import Positioning
from crm.offers import services as offer_services
from crm.offers.models import Offer
from crm.partners.models import Convention, ConventionDocument, PartnerOrganisation
from crm.pmsmp import links, signing
from crm.pmsmp.models import Placement
from crm.surveys.models import Survey, SurveyInvitation
from crm.surveys.services import answer_token as survey_answer_token
from crm.youth.models import YouthProfile
from portal.access import PUBLIC, declared_access
from portal.accounts import tokens
from portal.accounts.models import User
from portal.extensions import db
from tests.e2e.axe import axe_violations, blocking, report
from tests.e2e.conftest import DEMO

PHONE_812 = {"width": 375, "height": 812}
TABLET = {"width": 768, "height": 1024}

# URL argument -> the table whose rows fill it (the view decides, by answering 200, which row the role may open).
ARG_MODELS = {
    "company_id": Company,
    "offer_id": Offer,
    "positioning_id": Positioning,
    "placement_id": Placement,
    "check_in_id": CheckIn,
    "signature_id": CharterSignature,
    "partner_id": PartnerOrganisation,
    "convention_id": Convention,
    "document_id": ConventionDocument,
    "service_id": DirectoryService,
    "youth_id": YouthProfile,
    "hire_id": Hire,
    "event_id": Event,
    "contact_id": Contact,
    "survey_id": Survey,
}
# Objects nobody but their owner opens, and the demo has none: their pages are not walked.
NO_DEMO_ROWS = {"job_id"}


def _first_placement_awaiting(role_filter: Callable) -> Placement | None:
    for p in db.session.scalars(select(Placement).order_by(Placement.id)):
        if role_filter(p):
            return p
    return None


def _sign_token() -> str:
    p = _first_placement_awaiting(lambda p: signing.missing_signatories(p)) or db.session.scalars(
        select(Placement).order_by(Placement.id)).first()
    who = (signing.missing_signatories(p) or signing.signatories(p))[0]
    return links.make_link_token(links.SIGN, p.id, who.role, who.email)


def _assessment_token() -> str:
    p = _first_placement_awaiting(lambda p: p.assessment is None and p.status == "validee") or db.session.scalars(
        select(Placement).order_by(Placement.id)).first()
    return links.make_link_token(links.ASSESS, p.id, "tuteur", p.tutor_email)


def _answer_token() -> str:
    check_in = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).first()
    return make_answer_token(check_in, "employer")


def _invitation_token() -> str:
    user = db.session.scalars(select(User).where(User.email == DEMO["employer"])).one()
    return tokens.make_token(user, tokens.INVITATION)


def _reset_token() -> str:
    user = db.session.scalars(select(User).where(User.email == DEMO["employer"])).one()
    return tokens.make_token(user, tokens.RESET)


def _charter_confirmation_token() -> str:
    signature = db.session.scalars(select(CharterSignature).order_by(CharterSignature.id)).first()
    return confirmation_token(signature)


def _need_confirmation_token() -> str:
    # a need already published: the link shows its page and changes nothing
    offer = db.session.scalars(select(Offer).where(Offer.status == "publiee").order_by(Offer.id)).first()
    return offer_services.CONFIRM_LINK.sign({"offer": offer.id})


def _survey_token() -> str | None:
    invitation = db.session.scalars(select(SurveyInvitation).order_by(SurveyInvitation.answered_at.is_not(None),
                                                                      SurveyInvitation.id)).first()
    return survey_answer_token(invitation) if invitation else None


# Personal links (the token is the proof): a valid token signed from the demo rows.
TOKEN_LINKS: dict[str, Callable[[], str | None]] = {
    "accounts.accept_invitation": _invitation_token,
    "accounts.reset_password": _reset_token,
    "charte.confirm_signature": _charter_confirmation_token,
    "offers.confirm_need": _need_confirmation_token,
    "followup.answer_by_link": _answer_token,
    "pmsmp.sign_by_link": _sign_token,
    "pmsmp.assess_by_link": _assessment_token,
    "pmsmp.pdf_by_link": _sign_token,  # a PDF: left out once its answer is seen
    "surveys.answer_by_link": _survey_token,
}
# Rules that answer something else than a page whatever their arguments.
NOT_PAGES = ("/api/", "/referentiels/", "/healthz")


def _audience(app, endpoint: str) -> set[str]:
    access = declared_access(app.view_functions[endpoint])
    return {"public"} if access is PUBLIC else set(access or ())


def _rules_for(app, role: str | None) -> list:
    """GET rules the role reaches: its own, and the public ones (a visitor: the public ones only)."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith(NOT_PAGES):
            continue
        audience = _audience(app, rule.endpoint)
        # a signed-in role also gets the public home: it is theirs
        own = {"public"} if role is None else {role}
        if audience & own or (role is not None and rule.endpoint == "home.index"):
            found.append(rule)
    return found


def _is_page(response) -> bool:
    return response.status in (200, 400, 422) and response.headers.get("content-type", "").startswith("text/html")


def _fill(page, app, rule) -> str | None:
    """The rule's path for this role with demo rows, or None when no demo row gives a page. With two ids
    (a contact of a company), the last one names the row and the row gives the other (contact.company_id)."""
    if rule.arguments & NO_DEMO_ROWS:
        return None
    with app.app_context():
        if rule.endpoint in TOKEN_LINKS or not rule.arguments:
            if rule.endpoint in TOKEN_LINKS:
                token = TOKEN_LINKS[rule.endpoint]()
                if token is None:
                    return None
                path = rule.build({"token": token}, append_unknown=False)[1]
            else:
                path = rule.rule
            return path if _is_page(page.request.get(path, max_redirects=0)) else None
        for arg in rule.arguments:
            assert arg in ARG_MODELS, (f"{rule.endpoint} : dites dans tests/e2e/test_phone.py (ARG_MODELS) quelle "
                                       f"table remplit l'argument « {arg} »")
        *parents, last = [arg for arg in rule.rule.replace(">", "<").split("<")[1::2]]
        last = last.split(":")[-1]
        parents = [p.split(":")[-1] for p in parents]
        model = ARG_MODELS[last]
        candidates = [{last: row.id, **{p: getattr(row, p) for p in parents}}
                      for row in db.session.scalars(select(model).order_by(model.id).limit(200))]
    for values in candidates:
        path = rule.build(values, append_unknown=False)[1]
        response = page.request.get(path, max_redirects=0)
        if response.status == 200:
            return path if _is_page(response) else None
    return None


def _widest(page) -> list[str]:
    """The elements sticking out past the viewport's right edge, outermost first (to say what to fix)."""
    return page.evaluate("""() => {
        const out = [];
        const width = document.documentElement.clientWidth;
        for (const el of document.querySelectorAll("body *")) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1 && !(el.parentElement && out.some(o => o.el === el.parentElement))) {
                const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
                out.push({el, text: name + " (" + Math.round(r.right) + " px)"});
            }
        }
        return out.slice(0, 6).map(o => o.text);
    }""")


def _small_targets_and_wrong_types(page) -> list[str]:
    """Controls a finger cannot hit (under 44 px high) and inputs whose type does not fit what they ask."""
    return page.evaluate("""() => {
        const found = [];
        const name = el => el.tagName.toLowerCase() + (el.name ? "[name=" + el.name + "]" : "") +
            " « " + (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30) + " »";
        const targets = "main input, main select, main textarea, main button, main .button, main .pagination a, " +
            "header a, header button";
        for (const el of document.querySelectorAll(targets)) {
            if (["hidden", "checkbox", "radio"].includes(el.type)) continue;
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || el.closest(".visually-hidden, .skip-link, .honeypot")) continue;
            if (r.height < 43.5) found.push(name(el) + " : " + Math.round(r.height) + " px de haut");
        }
        const types = [[/(^|_)e?mail$/, "email"], [/(^|_)(phone|telephone)$/, "tel"], [/(_on|_date|^date)$/, "date"]];
        for (const el of document.querySelectorAll("main input[name]")) {
            for (const [pattern, type] of types) {
                if (pattern.test(el.name) && el.type !== type && el.type !== "hidden") {
                    found.push(name(el) + " : type « " + el.type + " », attendu « " + type + " »");
                }
            }
        }
        return found;
    }""")


@pytest.mark.parametrize("role", ["employer", "partner", None], ids=lambda r: r or "public-et-liens")
def test_every_page_reachable_outside_staff_fits_a_phone(as_role, server, role):
    page = as_role(role, viewport=PHONE_812, is_mobile=True, has_touch=True, bypass_csp=True)
    overflowing, violations, visited, fingers = [], {}, [], []
    for rule in _rules_for(server.app, role):
        path = _fill(page, server.app, rule)
        if path is None:
            continue
        page.goto(path)
        visited.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_812["width"]:
            overflowing.append(f"{rule.endpoint} {path[:70]} : {width} px — " + ", ".join(_widest(page)))
        fingers += [f"{path[:60]} : {problem}" for problem in _small_targets_and_wrong_types(page)]
        found = blocking(axe_violations(page))
        if found:
            violations[f"{role or 'visiteur'} {rule.endpoint}"] = found
    print(f"{role}: {len(visited)} pages", *visited, sep="\n  ")
    assert len(visited) >= 5, f"trop peu de pages visitées : {visited}"
    assert not overflowing, "Pages plus larges que le téléphone (375 px) :\n" + "\n".join(overflowing)
    assert not fingers, "Commandes trop petites pour le doigt ou champs mal typés :\n" + "\n".join(fingers)
    assert not violations, "Violations d'accessibilité graves ou critiques sur téléphone :" + report(violations)


@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_every_staff_page_fits_a_768_px_tablet(as_role, server, role):
    page = as_role(role, viewport=TABLET)
    overflowing, visited = [], 0
    for rule in _rules_for(server.app, role):
        path = _fill(page, server.app, rule)
        if path is None:
            continue
        page.goto(path)
        visited += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > TABLET["width"]:
            overflowing.append(f"{rule.endpoint} {path[:70]} : {width} px — " + ", ".join(_widest(page)))
    assert visited >= 20, f"trop peu de pages visitées : {visited}"
    assert not overflowing, "Pages plus larges que la tablette (768 px) :\n" + "\n".join(overflowing)
