"""Buttons look like what they do (issue 16 §4): the primary action is blue, a secondary one plain, a
destructive one red and it asks before acting (app.js reads data-confirm: the CSP forbids inline scripts)."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from crm.employers.models import Company
from portal.extensions import db


def _company_id(server, name: str) -> int:
    with server.app.app_context():
        return db.session.scalar(select(Company.id).where(Company.name == name))


def _background(locator) -> tuple[int, ...]:
    css = locator.evaluate("el => getComputedStyle(el).backgroundColor")
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


def test_danger_and_secondary_buttons_do_not_look_like_the_primary_one(as_role, server):
    page = as_role("counsellor")
    page.goto(f"/entreprises/{_company_id(server, 'Coutellerie Dumas & Fils')}")
    main = page.locator("main")
    primary = main.locator(".button:not(.button-secondary):not(.button-danger)").first
    secondary = main.locator("button.button-secondary").first  # a <button>: `button.button` used to outrank it
    danger = main.get_by_role("button", name="Archiver")
    for button in (primary, secondary, danger):
        expect(button).to_be_visible()
    colours = {"principal": _background(primary), "secondaire": _background(secondary), "danger": _background(danger)}
    assert len(set(colours.values())) == 3, f"trois boutons, trois fonds attendus : {colours}"
    red, green, blue = colours["danger"]
    assert red > 150 and green < 80 and blue < 80, f"le bouton de danger doit être rouge : {colours['danger']}"
    assert min(colours["secondaire"]) > 230, f"le bouton secondaire doit être sobre (fond clair) : {colours['secondaire']}"


def test_a_destructive_button_asks_first_and_cancelling_changes_nothing(as_role, server):
    page = as_role("counsellor")
    path = f"/entreprises/{_company_id(server, 'Coutellerie Dumas & Fils')}"
    page.goto(path)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("main").get_by_role("button", name="Archiver").click()
    expect(page.locator("main").get_by_role("button", name="Archiver")).to_be_visible()
    assert asked == ["Archiver cette entreprise ?"]
    assert page.url.endswith(path)
    expect(page.locator("main")).not_to_contain_text("Désarchiver")
