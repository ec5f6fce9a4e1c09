"""An employer posts a need → a counsellor publishes it, keeps a suggested candidate and proposes them → the
employer sees only the first name and initial, and answers → the counsellor reads the answer."""

import re

from playwright.sync_api import expect

TITLE = "Forgeron·ne en coutellerie (essai navigateur)"


def _choose(page, label: str, typed: str, option: re.Pattern) -> None:
    """Fill an autocomplete combobox with the keyboard and pick the first option matching `option`."""
    box = page.get_by_role("combobox", name=label)
    box.fill(typed)
    page.get_by_role("option").filter(has_text=option).first.click()


def test_need_published_matched_proposed_and_answered(as_role):
    employer = as_role("employer")
    employer.goto("/offres/nouvelle")
    employer.get_by_label("Intitulé du poste").fill(TITLE)
    _choose(employer, "Métier (ROME)", "forgeron", re.compile(r"Forgeron.*coutellerie", re.I))
    employer.get_by_label("Type de contrat").select_option(label="CDI")
    _choose(employer, "Commune du lieu de travail", "thiers", re.compile(r"^Thiers"))
    employer.get_by_role("button", name="Envoyer le besoin").click()
    expect(employer.get_by_role("status")).to_contain_text("Besoin enregistré")
    expect(employer.get_by_role("heading", level=1)).to_contain_text(TITLE)
    offer_path = re.sub(r"^https?://[^/]+", "", employer.url)
    assert re.fullmatch(r"/offres/\d+", offer_path), offer_path

    staff = as_role("counsellor")
    staff.goto(offer_path)
    staff.get_by_role("button", name="Publier", exact=True).click()
    expect(staff.get_by_role("status")).to_contain_text("Offre publiée.")
    staff.get_by_role("link", name="Candidats suggérés", exact=True).click()
    # one row per candidate; « Retenir » opens its small form in place
    row = (staff.locator("table.match-table tbody tr").filter(has_not_text="Consentement non recueilli")
           .filter(has=staff.locator("summary", has_text="Retenir")).first)
    expect(row).to_be_visible()
    full_name = row.get_by_role("rowheader").get_by_role("link").inner_text().strip()
    row.locator("summary", has_text="Retenir").click()
    row.get_by_role("button", name=re.compile(r"^Retenir ")).click()
    expect(staff.get_by_role("status")).to_contain_text(f"{full_name} est retenu·e")
    staff.goto(offer_path)
    candidate = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=full_name))
    candidate.locator("summary", has_text="Changer").click()
    candidate.get_by_label(re.compile("Ce que l’employeur lira")).fill("Motivé·e, disponible rapidement.")
    candidate.get_by_role("button", name="Proposer à l’employeur").click()
    expect(staff.locator(".flash-success")).to_be_visible()

    first_name, last_name = full_name.split(" ", 1)
    employer.goto("/mes-offres")
    employer.get_by_role("link", name=TITLE).click()
    row = employer.get_by_role("row").filter(has_text="À votre réponse")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(first_name)
    expect(employer.get_by_text(last_name)).to_have_count(0)  # an employer sees the initial only
    row.get_by_role("link").click()
    employer.get_by_label("Je souhaite rencontrer cette personne").check()
    employer.get_by_role("button", name="Envoyer ma réponse").click()
    expect(employer.get_by_role("status")).to_contain_text("Merci : votre réponse est transmise à la Mission Locale.")

    staff.goto(offer_path)
    answer = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=full_name))
    expect(answer).to_contain_text(re.compile(r"Réponse de l'employeur le .*souhaite rencontrer", re.S))
