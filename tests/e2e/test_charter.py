"""The charter signed from its public page, on a phone: confirmed by the e-mailed link, validated by a
counsellor, then listed publicly."""

import re

from playwright.sync_api import expect
from stdnum import luhn

from tests.e2e.conftest import PHONE

COMPANY = "Boulangerie des Couteliers"
EMAIL = "marie.fabre@boulangerie-couteliers.test"


def _siret() -> str:
    """A valid SIRET: Luhn over the SIREN and over the whole number."""
    siren = "85555555" + luhn.calc_check_digit("85555555")
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def test_charter_signed_from_the_public_page_then_validated_and_listed(browser_page, as_role, server):
    page = browser_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/charte")
    page.get_by_role("link", name="Signer la charte").click()
    expect(page).to_have_url(re.compile(r"/charte/signer$"))
    # Sent empty first: every mistake is said in French, nothing is recorded.
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.locator(".error-summary").first).to_be_visible()
    expect(page.locator(".error-message").first).to_contain_text("Information obligatoire")

    page.get_by_label("SIRET de l'établissement").fill(_siret())
    page.get_by_label("Raison sociale").fill(COMPANY)
    commune = page.get_by_role("combobox", name="Commune de l'établissement")
    commune.fill("thiers")
    page.get_by_role("option").filter(has_text=re.compile(r"^Thiers")).first.click()
    page.get_by_label("Prénom et nom du signataire").fill("Marie Fabre")
    page.get_by_label("Fonction dans l'entreprise").fill("Gérante")
    page.get_by_label("Adresse électronique du signataire").fill(EMAIL)
    commitments = page.get_by_role("group", name=re.compile("engagements", re.I)).get_by_role("checkbox")
    expect(commitments.first).to_be_visible()
    commitments.first.check()
    page.get_by_label(re.compile("J'accepte que")).check()
    page.get_by_label("J'ai lu la charte et je la signe au nom de l'entreprise").check()
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci : il reste à confirmer votre adresse")
    expect(page.get_by_text(EMAIL)).to_be_visible()

    # Not public before the e-mail is confirmed and a counsellor has validated it.
    page.goto("/charte/signataires")
    expect(page.get_by_text(COMPANY)).to_have_count(0)

    page.goto(server.link_in_email(EMAIL, "/charte/confirmer/"))
    page.get_by_role("button", name="Je confirme ma signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse confirmée")

    staff = as_role("counsellor")
    staff.goto("/charte/signatures")
    staff.get_by_role("link", name=COMPANY).click()
    staff.get_by_role("button", name="Valider la signature").click()
    expect(staff.get_by_role("status")).to_contain_text("Signature validée")

    page.goto("/charte/signataires")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=COMPANY))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Thiers")
    expect(page.get_by_text("Marie Fabre")).to_have_count(0)  # the signatory's name is never public
