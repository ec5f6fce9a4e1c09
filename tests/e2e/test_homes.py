"""Each role's home is its to-do list: the demo data holds a to-do of every kind, and each item's link opens
the page where it is done."""

import re

import pytest
from playwright.sync_api import expect

# the to-dos each demo account must find on its home (the demo seeders hold one of each)
TODOS = {
    "employer": ["candidats", "conventions", "suivis", "charte", "offres-inactives", "besoins"],
    "partner": ["services-a-confirmer", "services-a-corriger", "conventions-echeance", "documents"],
    "counsellor": ["taches", "mises-en-relation", "difficultes", "pmsmp", "points-de-suivi"],
    "admin": ["rgpd", "moderation-charte", "moderation-annuaire"],
}


@pytest.mark.parametrize("role", list(TODOS))
def test_the_home_lists_the_demo_todos_with_working_links(as_role, role):
    page = as_role(role)
    page.goto("/")
    todos = page.locator("section.home-todos")
    expect(todos.get_by_role("heading", name=re.compile(r"^À faire"))).to_be_visible()
    links = []
    for key in TODOS[role]:
        item = todos.locator(f"#todo-{key}")
        expect(item).to_be_visible()
        count = int(re.sub(r"\D", "", item.locator("h3 .badge").inner_text()))
        rows = item.locator("ul a")
        assert count >= rows.count() >= 1, key
        links.append(rows.first.get_attribute("href"))
    for href in links:
        response = page.goto(href)
        assert response.status == 200, href
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.console_errors == []


def test_a_todo_done_leaves_the_home(as_role):
    """The employer answers a candidate from the home: the candidate leaves the to-do, the count drops."""
    page = as_role("employer")
    page.goto("/")
    item = page.locator("#todo-candidats")
    before = int(re.sub(r"\D", "", item.locator("h3 .badge").inner_text()))
    item.locator("ul a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Candidature de")
    page.get_by_label(re.compile("Je souhaite rencontrer", re.I)).check()
    page.get_by_role("button", name=re.compile("Envoyer", re.I)).click()
    expect(page.get_by_role("status")).to_contain_text("votre réponse est transmise")
    page.goto("/")
    if before == 1:
        expect(page.locator("section.home-done #todo-candidats")).to_be_visible()
    else:
        expect(page.locator("#todo-candidats h3 .badge")).to_have_text(str(before - 1))
