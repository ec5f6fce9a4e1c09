"""Short pages (issue 16 §3): twenty ranked candidates fit in three screen heights at 1280×800, each row
acting through one button that opens its small form in place."""

import re

from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}


def _offer_with_twenty_candidates(server) -> int:
    """A published offer in Thiers and twenty consenting young people aiming at its job nearby."""
    from portal.extensions import db
    from tests import factories

    with server.app.app_context():
        company = factories.company(name="Forges de l'essai des pages courtes")
        offer = factories.offer(company_obj=company, title="Forgeron·ne (pages courtes)")
        for n in range(20):
            factories.youth(first_name=f"Candidat{n:02d}", last_name="Court")
        db.session.commit()
        return offer.id


def test_twenty_candidates_fit_in_three_screens(as_role, server):
    offer_id = _offer_with_twenty_candidates(server)
    page = as_role("counsellor", viewport=DESKTOP)
    page.goto(f"/offres/{offer_id}/candidats")
    rows = page.locator("table.match-table tbody tr")
    assert rows.count() >= 20
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * DESKTOP["height"], f"{height} px pour {rows.count()} candidats"
    # the reasons stay one click away, and a row's action opens its own small form in place
    row = rows.filter(has_text="Candidat00 Court")
    row.locator("summary", has_text="Détail du score").click()
    expect(row.locator(".match-reasons")).to_be_visible()
    row.locator("summary", has_text="Retenir").click()
    row.get_by_label(re.compile("Note pour Candidat00 Court")).fill("Vu au forum")
    row.get_by_role("button", name="Retenir Candidat00").click()
    expect(page.get_by_role("status")).to_contain_text("Candidat00 Court est retenu·e")
    # two more at once, ticked in the ranking
    page.goto(f"/offres/{offer_id}/candidats")
    for name in ("Candidat01 Court", "Candidat02 Court"):
        page.get_by_label(f"Choisir {name}").check()
    page.get_by_role("button", name="Retenir les candidats cochés").click()
    expect(page.get_by_role("status")).to_contain_text("2 candidat·e(s) retenu·e(s)")
    assert page.console_errors == []
