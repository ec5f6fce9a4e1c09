"""Hires and PMSMP conventions on the company page and the young person's page."""

from datetime import date, timedelta
from html import unescape

from crm.followup import services
from portal.extensions import db

TODAY = date.today()


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_company_page_shows_hires_ruptures_and_conventions(client, auth, make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, job_title="Coutelier", start_on=TODAY - timedelta(days=20))
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=2), initiative="jeune",
                            reason="mobilite", reopen_positioning=False)
    placement = make.placement(counsellor, company=hire.company)
    db.session.commit()
    auth.login(counsellor)
    page = _text(client.get(f"/entreprises/{hire.company_id}"))
    assert f"Embauche de {hire.youth.full_name} : Coutelier" in page
    assert f"Fin anticipée du contrat de {hire.youth.full_name}" in page and "Mobilité, transport" in page
    assert f'href="/suivis/embauches/{hire.id}"' in page
    assert placement.reference in page and f'href="/pmsmp/{placement.id}"' in page
    assert "Embauches suivies" in page


def test_young_persons_page_shows_hires_and_conventions(client, auth, make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, job_title="Coutelier")
    placement = make.placement(counsellor, youth=hire.youth)
    db.session.commit()
    auth.login(counsellor)
    page = _text(client.get(f"/jeunes/{hire.youth_id}"))
    assert "Embauches et suivi" in page and f'href="/suivis/embauches/{hire.id}"' in page
    assert f"{hire.company.name} — Coutelier" in page
    assert "Conventions PMSMP" in page and f"/pmsmp/{placement.id}" in page


def test_employer_profile_page_shows_no_staff_follow_up_details(client, auth, make):
    """Employers see their profile page (no timeline); their check-ins are under « Suivis de recrutement »."""
    counsellor = make.counsellor()
    hire = make.hire(counsellor, job_title="Coutelier", start_on=TODAY - timedelta(days=20))
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=2), initiative="jeune",
                            reason="sante", reopen_positioning=False)
    other = make.hire(counsellor, job_title="Autre poste")
    db.session.commit()
    auth.login(make.employer(company_id=hire.company_id))
    page = _text(client.get(f"/entreprises/{hire.company_id}"))
    assert "/suivis/embauches/" not in page and "Santé" not in page
    assert other.youth.full_name not in page
    assert client.get(f"/entreprises/{other.company_id}").status_code == 404
