"""The company page shows the company's offers and positionings; the young person's page its conventions."""

from html import unescape

from portal.extensions import db


def test_company_page_shows_offers_positionings_and_figures(client, auth, make):
    company = make.company(name="Forges de Thiers")
    offer = make.offer(company_obj=company, title="Polisseur·se en coutellerie")
    make.offer(company_obj=make.company(), title="Offre d'une autre entreprise")
    make.positioning(offer_obj=offer, youth_obj=make.youth(first_name="Inès", last_name="Garcia"))
    db.session.commit()
    auth.login(make.counsellor())
    page = unescape(client.get(f"/entreprises/{company.id}").get_data(as_text=True))
    assert "Polisseur·se en coutellerie" in page and "Offre d'une autre entreprise" not in page
    assert "Inès Garcia · Polisseur·se en coutellerie" in page
    assert "Offres en cours" in page and "Jeunes proposés" in page


def test_employer_sees_only_first_name_and_initial_on_its_company_page(client, auth, make):
    company = make.company()
    offer = make.offer(company_obj=company, title="Polisseur·se")
    make.positioning(offer_obj=offer, youth_obj=make.youth(first_name="Inès", last_name="Garcia"))
    db.session.commit()
    auth.login(make.employer(company_id=company.id))
    response = client.get(f"/entreprises/{company.id}")
    if response.status_code == 200:  # the employer's own company page, when it shows the timeline
        page = unescape(response.get_data(as_text=True))
        assert "Garcia" not in page


def test_youth_page_lists_pmsmp_conventions(client, auth, make):
    counsellor = make.counsellor()
    youth = make.youth(first_name="Inès", last_name="Garcia")
    placement = make.placement(actor=counsellor, youth=youth)
    db.session.commit()
    auth.login(counsellor)
    page = unescape(client.get(f"/jeunes/{youth.id}").get_data(as_text=True))
    assert "Conventions PMSMP" in page and placement.reference in page
