"""axe-core (vendored in static/vendor/axe-core/) on every page reachable now, for each role: no
`serious` or `critical` violation.

A capability adds its pages to PAGES, one line each: (role, path). `None` is a visitor without account.
"""

import re
from collections import defaultdict

import pytest

from tests.e2e.axe import axe_violations as _axe_violations
from tests.e2e.axe import blocking as _blocking
from tests.e2e.axe import report as _report
from tests.e2e.conftest import PHONE

PAGES: list[tuple[str | None, str]] = [
    (None, "/"),
    (None, "/connexion"),
    (None, "/mot-de-passe-oublie"),
    (None, "/page-qui-n-existe-pas"),
    ("admin", "/"),
    ("admin", "/mon-compte"),
    ("admin", "/comptes"),
    ("admin", "/comptes?role=employer&statut=actif"),
    ("admin", "/comptes/inviter"),
    ("admin", "/admin/territoire"),
    ("admin", "/admin/journal"),
    ("admin", "/admin/journal?du=pas-une-date"),
    ("admin", "/page-qui-n-existe-pas"),
    ("counsellor", "/"),
    ("counsellor", "/mon-compte"),
    ("counsellor", "/comptes"),
    ("counsellor", "/comptes/inviter"),
    ("employer", "/"),
    ("employer", "/mon-compte"),
    ("partner", "/"),
    ("partner", "/mon-compte"),
    # capabilities
    (None, "/charte"),
    (None, "/charte/signer"),
    (None, "/charte/signataires"),
    (None, "/deposer-un-besoin"),
    ("admin", "/prospection/etapes"),
    ("admin", "/suivis/parametres"),
    ("counsellor", "/entreprises"),
    ("counsellor", "/entreprises/nouvelle"),
    ("counsellor", "/prospection"),
    ("counsellor", "/taches?pour=tous"),
    ("counsellor", "/offres"),
    ("counsellor", "/offres/nouvelle"),
    ("counsellor", "/jeunes"),
    ("counsellor", "/jeunes/nouveau"),
    ("counsellor", "/suivis"),
    ("counsellor", "/suivis/embauches"),
    ("counsellor", "/suivis/embauches/nouvelle"),
    ("counsellor", "/partenaires"),
    ("counsellor", "/partenaires/nouveau"),
    ("counsellor", "/partenaires/conventions"),
    ("counsellor", "/annuaire"),
    ("counsellor", "/annuaire/gestion"),
    ("counsellor", "/pmsmp/"),
    ("counsellor", "/pmsmp/nouvelle"),
    ("counsellor", "/charte/signatures"),
    ("counsellor", "/evenements/1"),  # the demo's first event, with its young participants
    ("counsellor", "/enquetes"),
    ("counsellor", "/enquetes/1"),  # the demo's survey: figures without the comments
    ("admin", "/enquetes/1"),  # with the comments
    ("admin", "/enquetes/nouvelle"),
    ("employer", "/mon-entreprise"),
    ("employer", "/mon-entreprise/modifier"),
    ("employer", "/mes-offres"),
    ("employer", "/offres/nouvelle"),
    ("employer", "/suivis/recrutements"),
    ("employer", "/pmsmp/"),
    ("employer", "/charte/mon-engagement"),
    ("employer", "/annuaire"),
    ("partner", "/mon-organisation"),
    ("partner", "/annuaire"),
    ("partner", "/annuaire/gestion"),
    ("partner", "/offres-publiees"),
]

# Pages in a state a GET cannot reach: (role, path, what to do there).
STATES = [
    (None, "/connexion", "submit"),           # errors on every field
    ("counsellor", "/comptes/inviter", "submit"),
    ("admin", "/mon-compte", "submit"),
    ("admin", "/admin/territoire", "autocomplete"),  # the combobox list open
]


def _visit(page, path: str) -> None:
    response = page.goto(path)
    # 422: a page shown again with the errors of its form or filters.
    expected = (404,) if "page-qui-n-existe-pas" in path else (200, 422)
    assert response.status in expected, f"{path} : HTTP {response.status} (attendu {expected})"
    landed = re.sub(r"^https?://[^/]+", "", page.url)
    assert landed == path, f"{path} : redirigé vers {landed}"


def _roles(items) -> list[str | None]:
    return list(dict.fromkeys(item[0] for item in items))


@pytest.mark.parametrize("role", _roles(PAGES), ids=lambda r: r or "visiteur")
def test_no_serious_violation_on_main_pages(as_role, role):
    page = as_role(role, bypass_csp=True)  # axe is injected: for this audit only
    found = defaultdict(list)
    unreachable = []
    for path in [p for r, p in PAGES if r == role]:
        try:
            _visit(page, path)
        except AssertionError as exc:
            unreachable.append(str(exc))
            continue
        found[f"{role or 'visiteur'} {path}"] = _blocking(_axe_violations(page))
    found = {k: v for k, v in found.items() if v}
    assert not found, "Violations d'accessibilité graves ou critiques :" + _report(found)
    assert not unreachable, "Pages de la liste inaccessibles pour ce rôle :\n" + "\n".join(unreachable)


@pytest.mark.parametrize(("role", "path", "action"), STATES, ids=lambda x: str(x or "visiteur"))
def test_no_serious_violation_on_pages_in_error_or_open_states(as_role, role, path, action):
    page = as_role(role, bypass_csp=True)
    _visit(page, path)
    if action == "submit":
        page.locator("main form.stacked-form button[type=submit]").first.click()
        page.locator(".error-summary").first.wait_for()
    elif action == "autocomplete":
        page.get_by_role("combobox").first.fill("thie")
        page.get_by_role("listbox").first.wait_for()
    found = _blocking(_axe_violations(page))
    assert not found, "Violations d'accessibilité graves ou critiques :" + _report({f"{path} ({action})": found})


def test_no_serious_violation_on_a_phone(browser_page, as_role):
    page = browser_page(viewport=PHONE, is_mobile=True, bypass_csp=True)
    _visit(page, "/connexion")
    found = {"téléphone /connexion": _blocking(_axe_violations(page))}
    page = as_role("employer", viewport=PHONE, is_mobile=True, bypass_csp=True)
    _visit(page, "/")
    found["téléphone /"] = _blocking(_axe_violations(page))
    found = {k: v for k, v in found.items() if v}
    assert not found, "Violations d'accessibilité graves ou critiques :" + _report(found)


def test_axe_is_really_run_and_catches_a_serious_violation(browser_page, server):
    """The audit itself must be able to fail: a page with an unlabelled field and poor contrast."""
    page = browser_page(bypass_csp=True)
    page.goto("/connexion")
    page.evaluate("""() => {
        const input = document.createElement("input");
        input.type = "text";
        document.querySelector("main").appendChild(input);
        const p = document.createElement("p");
        p.textContent = "Texte illisible";
        p.style.color = "#eeeeee";
        document.querySelector("main").appendChild(p);
    }""")
    ids = {v["id"] for v in _blocking(_axe_violations(page))}
    assert {"label", "color-contrast"} <= ids
    assert "Chaque élément de formulaire doit avoir une étiquette" in _report(
        {"essai": [v for v in _axe_violations(page) if v["id"] == "label"]})
