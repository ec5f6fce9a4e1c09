"""Search data that no writer can forget (issue 19 §1): whatever changes a name (a form, a merge, an import, a
bulk statement), the pages find the new text and no longer the old one."""

import io
import re
from html import unescape

from openpyxl import Workbook
from sqlalchemy import delete, insert, select, update

from crm.employers import services as employers
from crm.employers.models import Company, Contact
from crm.offers.models import Offer
from portal import search
from portal.extensions import db
from portal.referentials.models import Commune
from tests.concurrency import form_values
from tests.conftest import csrf_token


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def _submit(client, url: str, **changes) -> None:
    """Post the form of `url` back as a browser would, with these fields changed."""
    values = form_values(client.get(url).get_data(as_text=True)) | changes
    response = client.post(url, data=values)
    assert response.status_code == 303, unescape(response.get_data(as_text=True))


def _results(page: str) -> str:
    """The page without its search box (which repeats the searched words)."""
    return re.sub(r"<input[^>]*>", "", page)


def test_a_renamed_company_is_found_under_its_new_name_only(client, auth, make):
    counsellor = make.counsellor()
    company = make.company(name="Coutellerie Dumas")
    make.offer(company, title="Polisseur en coutellerie")
    make.placement(actor=counsellor, company=company, youth=make.pmsmp_youth(last_name="Vialatte"))
    auth.login(counsellor)

    _submit(client, f"/entreprises/{company.id}/modifier", name="Forges Chazeau")

    assert "Forges Chazeau" in _results(_page(client, "/entreprises?q=chazeau"))
    assert "Forges Chazeau" not in _results(_page(client, "/entreprises?q=dumas"))
    assert "Polisseur en coutellerie" in _page(client, "/offres?q=chazeau")
    assert "Polisseur en coutellerie" not in _page(client, "/offres?q=dumas")
    assert "Vialatte" in _page(client, "/pmsmp/?q=chazeau")
    assert "Vialatte" not in _page(client, "/pmsmp/?q=dumas")


def test_merged_company_rows_are_found_under_the_kept_company(client, auth, make):
    counsellor = make.counsellor()
    source, target = make.company(name="Salaisons Fayet"), make.company(name="Forges Chazeau")
    make.offer(source, title="Préparateur de commandes")
    employers.add_contact(counsellor, source, full_name="Marie Durand")
    auth.login(counsellor)

    _submit(client, f"/entreprises/{source.id}/fusionner", target_id=str(target.id), confirm="y")

    assert "Préparateur de commandes" in _page(client, "/offres?q=chazeau")
    assert "Préparateur de commandes" not in _page(client, "/offres?q=fayet")
    found = _results(_page(client, "/entreprises?q=durand"))
    assert "Forges Chazeau" in found and "Salaisons Fayet" not in found


def test_an_edited_or_removed_contact_changes_what_finds_the_company(client, auth, make):
    counsellor = make.counsellor()
    company = make.company(name="Forges Chazeau")
    contact = employers.add_contact(counsellor, company, full_name="Éric Roux")
    auth.login(counsellor)
    assert "Forges Chazeau" in _results(_page(client, "/entreprises?q=eric+roux"))

    _submit(client, f"/entreprises/{company.id}/contacts/{contact.id}/modifier", full_name="Nadia Berger")

    assert "Forges Chazeau" in _results(_page(client, "/entreprises?q=berger"))
    assert "Forges Chazeau" not in _results(_page(client, "/entreprises?q=roux"))
    client.post(f"/entreprises/{company.id}/contacts/{contact.id}/retirer",
                data={"csrf_token": csrf_token(client, f"/entreprises/{company.id}")})
    assert "Forges Chazeau" not in _results(_page(client, "/entreprises?q=berger"))


def test_imported_companies_are_found_by_name_and_contact(client, auth, make):
    auth.login(make.counsellor())
    workbook = Workbook()
    workbook.active.append(["Raison sociale", "CP", "Ville", "Nom du contact"])
    workbook.active.append(["Coutèllerie Thiernoise", "63300", "Thiers", "Zoé Lachaux"])
    content = io.BytesIO()
    workbook.save(content)
    content.seek(0)
    response = client.post("/entreprises/import", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(client, "/entreprises/import"),
                                 "file": (content, "entreprises.xlsx")})
    url = response.headers["Location"]
    client.get(url)
    assert client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)}).status_code == 303

    assert "Coutèllerie Thiernoise" in _results(_page(client, "/entreprises?q=coutellerie"))
    assert "Coutèllerie Thiernoise" in _results(_page(client, "/entreprises?q=lachaux"))


def test_search_ignores_accents_case_and_spacing(client, auth, make):
    make.company(name="COUTELLERIE DUMAS")
    make.company(name="Coutèllerie Fayet")
    make.company(name="Forges Chazeau")
    auth.login(make.counsellor())
    for term in ("coutellerie", "COUTÈLLERIE", "  Coutellerie  ", "coutelerie"):
        found = _results(_page(client, "/entreprises?q=" + term))
        assert "COUTELLERIE DUMAS" in found and "Coutèllerie Fayet" in found and "Forges Chazeau" not in found
    found = _results(_page(client, "/entreprises?q=coutellerie++++dumas"))
    assert "COUTELLERIE DUMAS" in found and "Coutèllerie Fayet" not in found


def test_a_renamed_partner_renames_its_services_in_the_directory(client, auth, make):
    partner = make.partner(name="Association des Brayauds")
    make.directory_service(partner, name="Permis solidaire")
    auth.login(make.counsellor())

    _submit(client, f"/partenaires/{partner.id}/modifier", name="Roues Libres Thiers")

    assert "Permis solidaire" in _page(client, "/annuaire?q=roues+libres")
    assert "Permis solidaire" not in _page(client, "/annuaire?q=brayauds")


def test_an_edited_young_person_is_found_under_the_new_name(client, auth, make):
    youth = make.youth(first_name="Léa", last_name="Vialatte")
    auth.login(make.counsellor())

    _submit(client, f"/jeunes/{youth.id}/modifier", last_name="Chabrier")

    assert "Chabrier" in _results(_page(client, "/jeunes?q=chabrier"))
    assert "Chabrier" not in _results(_page(client, "/jeunes?q=vialatte"))


def _text(model, ident) -> str:
    return db.session.scalar(select(model.search_text).where(model.id == ident))


def test_statements_run_through_the_session_refresh_the_search_data(make):
    """Bulk UPDATE, DELETE and INSERT (merges, imports, reference data) pass through the same mechanism."""
    a, b = make.company(name="Forges Chazeau", commune_code="63430"), make.company(name="Salaisons Fayet")
    offer = make.offer(a)
    db.session.execute(update(Offer).where(Offer.company_id == a.id).values(company_id=b.id))
    assert " fayet" in _text(Offer, offer.id) and " chazeau" not in _text(Offer, offer.id)
    assert " fayet" in offer.search_text  # the loaded object is given the new value too

    db.session.execute(insert(Contact), [{"company_id": a.id, "full_name": "Nadia Berger", "version": 1}])
    assert " berger" in _text(Company, a.id)
    db.session.execute(delete(Contact).where(Contact.company_id == a.id))
    assert " berger" not in _text(Company, a.id)

    db.session.execute(update(Commune), [{"insee_code": "63430", "name": "Thiers-sur-Durolle"}])
    assert " thiers sur durolle" in _text(Company, a.id)
    db.session.execute(update(Company).where(Company.id == a.id).values(name="Coutellerie Nouvelle"))
    assert _text(Company, a.id).startswith(" coutellerie nouvelle")
    assert search.stale(db.session) == {}


def test_the_demo_data_carries_its_derived_search_data(app, client, auth):
    """Every seeder writes rows its own way (services, plain objects, bulk statements): none writes search data,
    all of it is derived."""
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert search.stale(db.session) == {}
    auth.login("conseiller@maillage.test", app.config["DEMO_PASSWORD"])
    assert "Coutellerie Dumas & Fils" in _results(_page(client, "/entreprises?q=sophie+dumas"))
