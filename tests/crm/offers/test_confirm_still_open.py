"""« Toujours d'actualité »: an idle offer confirmed from its page (the employer's home links there) counts as an
update, settles its warning and task, and leaves the employer's to-do; nobody else may confirm it."""

from datetime import date, timedelta

from sqlalchemy import update

from crm.employers import services as employers
from crm.offers import services
from crm.offers.home import idle_offers
from crm.offers.models import Offer
from portal.extensions import db
from portal.models import utcnow
from tests.factories import count_of

BUTTON = "Oui, toujours d&#39;actualité"


def _idle(offer, days=50):
    db.session.execute(update(Offer).where(Offer.id == offer.id).values(updated_at=utcnow() - timedelta(days=days)))
    db.session.refresh(offer)


def test_the_employer_confirms_an_idle_offer_from_its_page(client, auth, make, csrf):
    employer = make.employer()
    offer = make.offer(employer.company, title="Monteur·se")
    _idle(offer)
    services.handle_idle_offers(date.today())
    assert offer.stale_warned_at is not None
    db.session.commit()
    auth.login(employer)
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert BUTTON in page
    url = f"/offres/{offer.id}/toujours-d-actualite"
    response = client.post(url, data={"csrf_token": csrf(f"/offres/{offer.id}")}, follow_redirects=True)
    assert "l&#39;offre reste ouverte" in response.get_data(as_text=True)
    assert offer.stale_warned_at is None and offer.updated_at.date() == utcnow().date()
    assert count_of(idle_offers(employer, date.today())) == 0
    assert BUTTON not in client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert services.handle_idle_offers(date.today() + timedelta(days=20)) == (0, 0)  # not closed


def test_a_counsellor_confirming_settles_the_task_of_an_offer_without_account(make, auth, client, csrf):
    counsellor = make.counsellor()
    offer = make.offer(make.company(owner_id=counsellor.id))
    _idle(offer)
    services.handle_idle_offers(date.today())
    db.session.commit()
    auth.login(counsellor)
    client.post(f"/offres/{offer.id}/toujours-d-actualite", data={"csrf_token": csrf(f"/offres/{offer.id}")})
    assert offer.stale_warned_at is None
    assert employers.complete_tasks_about(counsellor, offer) == 0  # already done


def test_a_fresh_closed_or_foreign_offer_cannot_be_confirmed(client, auth, make, csrf):
    employer = make.employer()
    fresh = make.offer(employer.company)
    closed = make.offer(employer.company, status="close")
    _idle(closed)
    foreign = make.offer()
    _idle(foreign)
    auth.login(employer)
    token = csrf(f"/offres/{fresh.id}")
    before = fresh.updated_at
    response = client.post(f"/offres/{fresh.id}/toujours-d-actualite", data={"csrf_token": token},
                           follow_redirects=True)
    assert "Cette offre n&#39;attend pas de confirmation." in response.get_data(as_text=True)
    assert fresh.updated_at == before
    client.post(f"/offres/{closed.id}/toujours-d-actualite", data={"csrf_token": token})
    assert closed.status == "close" and closed.updated_at.date() < date.today()
    assert client.post(f"/offres/{foreign.id}/toujours-d-actualite", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/offres/{fresh.id}/toujours-d-actualite").status_code in (302, 303, 400)  # no CSRF
    auth.logout()
    auth.login(make.partner_user())
    assert client.post(f"/offres/{foreign.id}/toujours-d-actualite",
                       data={"csrf_token": csrf("/mon-compte")}).status_code == 403
