"""The shared service directory searched by a partner, with the keyboard and the commune autocomplete."""

import re

from playwright.sync_api import expect


def test_partner_searches_the_directory_and_opens_a_service(as_role):
    page = as_role("partner")
    page.goto("/annuaire")
    titles = page.locator("h2.result-title")
    expect(titles.first).to_be_visible()
    everything = titles.count()
    first = titles.first.inner_text().strip()
    organisation = first.split(" – ")[-1]

    page.get_by_label("Mots-clés").fill(organisation)
    page.get_by_label("Mots-clés").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(titles.filter(has_text=first)).to_have_count(1)
    found = titles.all_inner_texts()
    assert 0 < len(found) <= everything
    assert sum(organisation in t for t in found) >= 1

    # A commune chosen in the list orders services by distance from it, and is kept in the form.
    commune = page.get_by_role("combobox", name="Commune du ou de la jeune")
    commune.fill("thiers")
    page.get_by_role("option").filter(has_text=re.compile(r"^Thiers")).first.click()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text(re.compile(r"Services accessibles depuis\s+Thiers"))).to_be_visible()
    expect(page.get_by_label("Mots-clés")).to_have_value(organisation)

    page.get_by_role("link", name=first).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first)

    page.goto("/annuaire?q=zzzz-aucun-service")
    expect(page.get_by_text("Aucun service ne correspond à cette recherche.")).to_be_visible()
    assert page.console_errors == []


def test_partner_names_a_service_zone_with_the_autocomplete(as_role):
    """Places are chosen by name, one after another in the same box; no code is ever typed."""
    page = as_role("partner")
    page.goto("/annuaire/services/nouveau")
    zone = page.get_by_role("combobox", name="Zone d'éligibilité")
    suggestions = page.get_by_role("listbox", name="Zone d'éligibilité").get_by_role("option")
    zone.fill("puy-de")
    suggestions.filter(has_text="Puy-de-Dôme (département)").click()
    expect(zone).to_have_value("Puy-de-Dôme (département), ")
    zone.press_sequentially("cc thiers")
    expect(suggestions.first).to_have_text(re.compile(r"^CC Thiers Dore et Montagne"))
    zone.press("ArrowDown")
    zone.press("Enter")
    expect(zone).to_have_value("Puy-de-Dôme (département), CC Thiers Dore et Montagne, ")
    assert page.console_errors == []
