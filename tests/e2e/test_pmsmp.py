"""A PMSMP convention through the pages: the counsellor sends the demo draft to its signatories, each
signs in the browser from the personal link e-mailed to them, then the counsellor validates it and the
page shows who signed when."""

import re

from playwright.sync_api import expect

YOUTH = "Thomas Girard"  # the demo draft (crm/pmsmp/demo.py)
DATE_TIME = r"\d{1,2} [a-zéû]+\.? \d{4} à \d{1,2} h \d{2}"


def _sign_link(server, recipient: str, reference: str) -> str:
    """The path of the signing link of `reference` in the newest e-mail to `recipient` about it."""
    for body in server.emails_to(recipient):
        if reference in body:
            found = re.search(r"https?://[^/\s]+(/pmsmp/signature/[^\s]+)", body)
            if found:
                return found.group(1)
    raise AssertionError(f"aucun courriel à {recipient} ne contient le lien de signature de {reference}")


def test_pmsmp_signed_by_its_links_then_validated(as_role, browser_page, server):
    staff = as_role("counsellor")
    staff.goto("/pmsmp/?statut=brouillon")
    row = staff.get_by_role("row").filter(has_text=YOUTH)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile(r"^PMSMP-")).click()
    staff.wait_for_url(re.compile(r"/pmsmp/\d+$"))
    placement_url = staff.url
    heading = staff.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Brouillon")
    reference = re.search(r"PMSMP-\d+", heading.inner_text()).group(0)

    staff.get_by_role("button", name="Envoyer aux signataires").click()
    expect(staff.get_by_text("Convention envoyée : chaque signataire a reçu son lien personnel.")).to_be_visible()
    expect(heading).to_contain_text("À signer")

    signatures = staff.get_by_role("region", name="Signatures")
    people = signatures.get_by_role("row").filter(has_text="En attente · lien envoyé")
    expect(people).to_have_count(2)  # the young person (of age) and the tutor
    emails = [people.nth(i).locator(".muted").inner_text().strip() for i in range(2)]
    names = [people.nth(i).get_by_role("cell").first.inner_text().splitlines()[0].strip() for i in range(2)]
    assert YOUTH in names

    for email, name in zip(emails, names, strict=True):
        page = browser_page()
        page.goto(_sign_link(server, email, reference))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Convention PMSMP {reference}")
        expect(page.get_by_text(f"Bonjour {name}, vous signez en tant que")).to_be_visible()
        # Without the box ticked, nothing is signed and the reason is said in French.
        page.get_by_role("button", name="Signer la convention").click()
        expect(page.get_by_text("Cochez la case pour signer la convention.").first).to_be_visible()
        page.get_by_label("J'ai lu la convention et j'accepte de la signer").check()
        page.get_by_role("button", name="Signer la convention").click()
        expect(page.get_by_text("Merci : votre signature est enregistrée.")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Vous avez signé cette convention le")).to_be_visible()
        expect(page.get_by_role("button", name="Signer la convention")).to_have_count(0)
        # The link stays readable, but cannot sign twice.
        page.reload()
        expect(page.get_by_role("button", name="Signer la convention")).to_have_count(0)

    staff.goto(placement_url)
    expect(heading).to_contain_text("À valider")
    expect(staff.get_by_text("Tous les signataires ont signé")).to_be_visible()
    staff.get_by_role("button", name="Valider la convention").click()
    expect(staff.get_by_text("Convention validée : les signataires en sont informés.")).to_be_visible()
    expect(heading).to_contain_text("Validée")
    expect(staff.get_by_role("button", name="Valider la convention")).to_have_count(0)
    for name in names:
        signed = signatures.get_by_role("row").filter(has_text=name)
        expect(signed).to_contain_text(re.compile(rf"Signé le {DATE_TIME}"))
    prescriber = signatures.get_by_role("row").filter(has=staff.get_by_role("rowheader", name="Prescripteur"))
    expect(prescriber).to_contain_text(re.compile(rf"Validé le {DATE_TIME}"))

    # A link used after validation shows the convention validated, without a signing form.
    page = browser_page()
    page.goto(_sign_link(server, emails[0], reference))
    expect(page.get_by_text(re.compile(r"Statut : Validée"))).to_be_visible()
    expect(page.get_by_role("button", name="Signer la convention")).to_have_count(0)
