"""Related records link both ways: offer ↔ company, convention ↔ young person and company, hire ↔ offer; a link
shows only to whom may open it."""

import re
from datetime import date, timedelta

from crm.followup import services as followup
from crm.pmsmp import signing
from crm.pmsmp.links import SIGN, make_link_token


def _links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def test_an_offer_links_to_its_company_for_staff_and_its_employer_only(client, auth, make):
    employer = make.employer()
    offer = make.offer(employer.company)
    company_url = f"/entreprises/{employer.company_id}"
    auth.login(make.counsellor())
    assert company_url in _links(client.get(f"/offres/{offer.id}").get_data(as_text=True))
    assert f"/offres/{offer.id}" in client.get(company_url).get_data(as_text=True)  # and back
    auth.logout()
    auth.login(employer)
    assert company_url in _links(client.get(f"/offres/{offer.id}").get_data(as_text=True))
    assert client.get(company_url).status_code == 200
    auth.logout()
    auth.login(make.partner_user())  # reads published offers, not companies
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert employer.company.name in page and company_url not in _links(page)


def test_a_convention_links_to_its_young_person_and_company_and_back(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(counsellor)
    auth.login(counsellor)
    links = _links(client.get(f"/pmsmp/{p.id}").get_data(as_text=True))
    assert {f"/jeunes/{p.youth_id}", f"/entreprises/{p.company_id}"} <= links
    assert f"/pmsmp/{p.id}" in client.get(f"/jeunes/{p.youth_id}").get_data(as_text=True)
    assert f"/pmsmp/{p.id}" in client.get(f"/entreprises/{p.company_id}").get_data(as_text=True)


def test_a_signatory_by_link_gets_no_link_into_the_portal(client, make):
    counsellor = make.counsellor()
    p = make.placement(counsellor)
    signing.send_for_signature(counsellor, p)
    who = signing.missing_signatories(p)[0]
    page = client.get(f"/pmsmp/signature/{make_link_token(SIGN, p.id, who.role, who.email)}").get_data(as_text=True)
    assert p.youth.full_name in page
    assert f"/jeunes/{p.youth_id}" not in _links(page) and f"/entreprises/{p.company_id}" not in _links(page)


def test_an_employer_reading_its_convention_links_to_its_company_not_to_the_young_person(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(counsellor)
    auth.login(make.employer(company_id=p.company_id))
    links = _links(client.get(f"/pmsmp/{p.id}").get_data(as_text=True))
    assert f"/entreprises/{p.company_id}" in links and f"/jeunes/{p.youth_id}" not in links


def test_a_hire_links_to_its_offer_young_person_and_company(client, auth, make):
    counsellor = make.counsellor()
    offer = make.offer()
    positioning = make.positioning(offer, status="entretien")
    hire = followup.create_hire(counsellor, youth=positioning.youth, company=offer.company, offer=offer,
                                contract_type="cdi", start_on=date.today() - timedelta(days=3))
    auth.login(counsellor)
    links = _links(client.get(f"/suivis/embauches/{hire.id}").get_data(as_text=True))
    assert {f"/offres/{offer.id}", f"/jeunes/{hire.youth_id}", f"/entreprises/{hire.company_id}"} <= links
    assert f"/suivis/embauches/{hire.id}" in client.get(f"/jeunes/{hire.youth_id}").get_data(as_text=True)
