"""Signing in, in a real browser, as each demo account; the Content-Security-Policy stays in force."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO, DEMO_NAMES, PHONE

# What each role's own home page shows, and what it must not (another role's home).
HOMES = {
    "admin": ("Tableau de bord", ["Gérer les comptes", "Journal d'audit", "communes du territoire"]),
    "counsellor": ("Accueil", ["Raccourcis", "Inviter un employeur ou un partenaire"]),
    "employer": ("Accueil", ["Coutellerie Dumas & Fils", "Avec la Mission Locale"]),
    "partner": ("Accueil", ["Mobilité Solidaire Livradois-Forez", "Avec la Mission Locale"]),
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_demo_account_lands_on_its_own_home_page(page, login, role):
    login(page, role)
    title, texts = HOMES[role]
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title(f"{title} · Maillage")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {DEMO_NAMES[role]}")
    for text in texts:
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=DEMO_NAMES[role])).to_be_visible()
    expect(header.get_by_role("button", name="Se déconnecter")).to_be_visible()
    others = [t for r, (_title, ts) in HOMES.items() if r != role for t in ts[:1]]
    for text in others:
        expect(page.get_by_text(text, exact=True)).to_have_count(0)
    assert page.console_errors == []


def test_logout_comes_back_to_the_login_page(page, login, server):
    login(page, "counsellor")
    page.get_by_role("button", name="Se déconnecter").click()
    # logging out ends every session of the account, the one other tests reuse as well (issue 20 §4)
    server.sessions.pop("counsellor", None)
    expect(page).to_have_url(re.compile(r"/connexion$"))
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté·e.")
    page.goto("/comptes")
    expect(page).to_have_url(re.compile(r"/connexion\?next="))
    expect(page.get_by_text("Connectez-vous pour accéder à cette page.")).to_be_visible()


def test_wrong_password_shows_the_french_message_and_keeps_the_email(page):
    page.goto("/connexion")
    page.get_by_label("Adresse électronique").fill(DEMO["employer"])
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.").first).to_be_visible()
    expect(page.get_by_label("Adresse électronique")).to_have_value(DEMO["employer"])
    expect(page.get_by_label("Mot de passe")).to_have_value("")
    expect(page.get_by_label("Mot de passe")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title("Connexion · Maillage")


def test_next_page_is_honoured_after_login(page, demo_password):
    page.goto("/comptes?role=employer")
    expect(page).to_have_url(re.compile(r"/connexion\?next="))
    page.get_by_label("Adresse électronique").fill(DEMO["admin"])
    page.get_by_label("Mot de passe").fill(demo_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/comptes\?role=employer$"))
    expect(page.get_by_role("cell", name=DEMO["employer"])).to_be_visible()
    expect(page.get_by_role("cell", name=DEMO["partner"])).to_have_count(0)


@pytest.mark.parametrize("role", ["admin", "employer"])
def test_login_and_home_on_a_phone(browser_page, login, role):
    page = browser_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/connexion")
    _assert_fits_the_screen(page)
    login(page, role)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {DEMO_NAMES[role]}")
    _assert_fits_the_screen(page)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()


def _assert_fits_the_screen(page):
    """Nothing wider than the phone: no horizontal scrolling of the page, no element cut off
    (tables scroll inside their own wrapper, by design)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"la page déborde sur téléphone : {width} px de large pour {PHONE['width']} px"
    outside = page.evaluate("""() => [...document.querySelectorAll("body *")].filter(el => {
        if (el.closest(".table-wrapper, .visually-hidden, .skip-link, [hidden]")) return false;
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && (r.left < -1 || r.right > window.innerWidth + 1);
    }).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " « " +
                 el.textContent.trim().slice(0, 40) + " »")""")
    assert outside == [], "éléments coupés par le bord de l'écran : " + ", ".join(outside)
