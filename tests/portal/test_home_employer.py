"""The employer's home: its own company's to-dos only, each linking to where it is done."""

from datetime import date, timedelta

from sqlalchemy import update

from charte.home import renewals_due
from crm.followup.home import unanswered_check_ins
from crm.matching.home import awaiting_employer
from crm.offers.home import idle_offers, unpublished_needs
from crm.offers.models import Offer
from crm.pmsmp import signing
from crm.pmsmp.home import to_sign_by_host
from crm.pmsmp.rules import HOST
from portal.extensions import db
from portal.models import utcnow
from tests.factories import count_of


def _employer_and_stranger(make):
    employer = make.employer()
    return employer, employer.company, make.company(name="Concurrent SARL")


def test_candidates_waiting_for_an_answer_are_its_own_and_link_to_the_answer(client, auth, make):
    employer, mine, other = _employer_and_stranger(make)
    waiting = make.positioning(make.offer(mine, title="Polisseur·se"), make.youth(first_name="Inès"))
    make.positioning(make.offer(mine), make.youth(), status="entretien")  # answered already
    make.positioning(make.offer(other, title="Chez le concurrent"))
    assert count_of(awaiting_employer(employer)) == 1
    auth.login(employer)
    page = client.get("/").get_data(as_text=True)
    assert "Candidats qui attendent votre réponse" in page
    assert f'href="/candidatures/{waiting.id}"' in page and "Polisseur·se" in page
    assert "Chez le concurrent" not in page
    assert waiting.youth.short_name in page and waiting.youth.last_name not in page
    assert client.get(f"/candidatures/{waiting.id}").status_code == 200


def test_needs_not_published_and_idle_offers(client, auth, make):
    employer, mine, other = _employer_and_stranger(make)
    submitted = make.offer(mine, title="Emballeur·se", status="soumise")
    make.offer(mine, title="Déjà publiée", status="publiee")
    idle = make.offer(mine, title="Monteur·se oublié·e", status="publiee")
    make.offer(other, title="Brouillon d'un autre", status="brouillon")
    db.session.execute(update(Offer).where(Offer.id == idle.id).values(updated_at=utcnow() - timedelta(days=50)))
    today = date.today()
    assert [o.title for o in db.session.scalars(unpublished_needs(employer))] == ["Emballeur·se"]
    assert [o.title for o in db.session.scalars(idle_offers(employer, today))] == ["Monteur·se oublié·e"]
    auth.login(employer)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/mes-offres/{submitted.id}/modifier"' in page
    assert "Offres bientôt closes faute de mise à jour" in page and f'href="/offres/{idle.id}"' in page
    closing = (utcnow() - timedelta(days=50)).date() + timedelta(days=60)
    assert f"sera close le {closing:%d/%m/%Y}" in page
    assert "Brouillon d&#39;un autre" not in page


def test_an_offer_updated_44_days_ago_is_not_idle_yet(make):
    employer = make.employer()
    offer = make.offer(employer.company, status="publiee")
    db.session.execute(update(Offer).where(Offer.id == offer.id).values(updated_at=utcnow() - timedelta(days=44)))
    assert count_of(idle_offers(employer, date.today())) == 0


def test_conventions_to_sign_leave_out_those_the_host_signed(client, auth, make):
    employer = make.employer()
    counsellor = make.counsellor()
    to_sign = make.placement(counsellor, company=employer.company)
    signed = make.placement(counsellor, company=employer.company)
    make.placement(counsellor)  # another company's
    for p in (to_sign, signed):
        signing.send_for_signature(counsellor, p)
    signing.sign_as_employer(employer, signed, ip="127.0.0.1", user_agent="test")
    assert signed.signature_for(HOST) is not None
    assert [p.id for p in db.session.scalars(to_sign_by_host(employer))] == [to_sign.id]
    auth.login(employer)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/pmsmp/{to_sign.id}"' in page and f'href="/pmsmp/{signed.id}"' not in page


def test_check_ins_to_answer_and_the_charter_renewal(client, auth, make):
    employer = make.employer()
    hire = make.hire(company=employer.company, start_on=date.today() - timedelta(days=40))
    make.hire(start_on=date.today() - timedelta(days=40))  # another company's
    due = [c for c in hire.check_ins if c.due_on <= date.today()]
    signature = make.charter_signature(employer.company, status="a_renouveler",
                                       period_start=date.today() - timedelta(days=400))
    assert count_of(unanswered_check_ins(employer, date.today())) == len(due) > 0
    assert count_of(renewals_due(employer, date.today())) == 1
    auth.login(employer)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/suivis/recrutements/{due[0].id}"' in page
    assert f'href="/charte/signatures/{signature.id}/renouveler"' in page
    assert client.get(f"/charte/signatures/{signature.id}/renouveler").status_code == 200


def test_an_employer_without_a_company_has_an_empty_home(client, auth, make):
    employer = make.employer(company_id=None)
    make.positioning()
    auth.login(employer)
    response = client.get("/")
    assert response.status_code == 200
    assert "Rien à faire pour le moment" in response.get_data(as_text=True)
