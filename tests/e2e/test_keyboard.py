"""Keyboard only: login, a form with errors, a list with filters, the autocomplete combobox."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO


def _focused(page) -> str:
    """A readable name of the focused element: its label, its text or its id."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "(rien)";
        const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : "";
        return label || el.getAttribute("aria-label") || el.textContent.trim() || el.id;
    }""")


def _tab_until(page, name: str, limit: int = 25) -> list[str]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(_focused(page))
        if seen[-1] == name:
            return seen
    raise AssertionError(f"« {name} » jamais atteint au clavier ; ordre de tabulation : {seen}")


def test_login_with_the_keyboard_only(page, demo_password):
    page.goto("/connexion")
    page.keyboard.press("Tab")
    assert _focused(page) == "Aller au contenu", "le lien d'évitement doit être le premier arrêt"
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    order = _tab_until(page, "Adresse électronique")
    assert len(order) <= 2, f"le champ adresse doit suivre de près le lien d'évitement : {order}"
    page.keyboard.type(DEMO["counsellor"])
    page.keyboard.press("Tab")
    assert _focused(page) == "Mot de passe"
    page.keyboard.type(demo_password)
    page.keyboard.press("Tab")
    assert _focused(page) == "Se connecter"
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == "Mot de passe"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Karim Benali")


def test_form_with_errors_moves_focus_to_the_error_summary(as_role):
    page = as_role("counsellor")
    page.goto("/comptes/inviter")
    _tab_until(page, "Adresse électronique")
    page.keyboard.type("pas-une-adresse")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_contain_text("Le formulaire contient")
    # The summary's links lead to the fields; what was typed is still there.
    page.keyboard.press("Tab")
    link = page.locator(".error-summary a").first
    expect(link).to_be_focused()
    target = link.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_label("Adresse électronique")).to_have_value("pas-une-adresse")
    expect(page.get_by_label("Adresse électronique")).to_have_attribute("aria-invalid", "true")
    error_id = page.get_by_label("Adresse électronique").get_attribute("aria-describedby")
    assert error_id and page.locator(f"#{error_id.split()[-1]}").inner_text().strip()


def test_accounts_list_filtered_with_the_keyboard(as_role):
    page = as_role("admin")
    page.goto("/comptes")
    rows = page.locator("tbody tr")
    for email in DEMO.values():
        expect(rows.filter(has_text=email)).to_have_count(1)
    # as a keyboard user does: the skip link first, past the admin's long menu
    _tab_until(page, "Aller au contenu", limit=3)
    page.keyboard.press("Enter")
    _tab_until(page, "Rôle")
    page.keyboard.press("ArrowDown")  # "Tous" → "Administration"
    page.keyboard.press("ArrowDown")  # → "Conseiller·ère"
    expect(page.get_by_label("Rôle")).to_have_value("counsellor")
    _tab_until(page, "Filtrer")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"role=counsellor"))
    # Typing starts once the filtered page has loaded, as a person waits for it (typed into a page still
    # loading, the keys after the first went astray once in CI).
    page.wait_for_load_state("load")
    # Only counsellors now (other tests may have added accounts of other roles).
    expect(rows.filter(has_text=DEMO["counsellor"])).to_have_count(1)
    expect(rows.filter(has_text=DEMO["admin"])).to_have_count(0)
    expect(rows.filter(has_text=DEMO["employer"])).to_have_count(0)
    assert all("Conseiller·ère" in text for text in rows.all_inner_texts())
    expect(page.get_by_label("Rôle")).to_have_value("counsellor")
    # A search that finds nobody says so.
    page.get_by_label("Nom ou adresse").focus()
    page.keyboard.type("personne-inconnue")
    expect(page.get_by_label("Nom ou adresse")).to_have_value("personne-inconnue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("cell", name="Aucun compte ne correspond à ces critères.")).to_be_visible()


def test_territory_autocomplete_chosen_with_the_keyboard(as_role):
    page = as_role("admin")
    response = page.goto("/admin/territoire")
    # The enhancement works under the real policy: scripts from the site only, none inline.
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    box = page.get_by_role("combobox", name=re.compile("Commune"))
    box.focus()
    page.keyboard.type("thie", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    thiers = listbox.get_by_role("option").filter(has_text=re.compile(r"^Thiers\b"))
    expect(thiers.first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_contain_text("flèches haut et bas")
    options = listbox.get_by_role("option").all_inner_texts()
    index = next(i for i, text in enumerate(options) if re.match(r"Thiers\b", text) and "hors territoire" not in text)
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(rf"-{index}$"))
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value(re.compile(r"^Thiers"))
    expect(page.locator("#commune-value")).to_have_value("63430")
    page.keyboard.press("Enter")  # the list is closed: Enter submits the form
    expect(page.get_by_text("Thiers fait déjà partie du territoire.").first).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    # The page came back with the chosen commune still shown by its name, not its code.
    expect(page.get_by_role("combobox", name=re.compile("Commune"))).to_have_value(re.compile(r"^Thiers"))
    assert page.console_errors == [], page.console_errors
