"""Offers: an employer posts a need, a counsellor publishes it; bad input; who sees what."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.offers import services
from crm.offers.models import Offer
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.concurrency import conflict_message, page_text
from tests.factories import FORGER

NEED = {"title": "Forgeron·ne", "appellation_code": FORGER, "contract_type": "cdd", "hours_per_week": "35",
        "work_commune_code": "63430", "start_on": "01/09/2026", "end_on": "28/02/2027", "positions": "2",
        "education_level": "", "description": "Forge de lames."}


def offers_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Offer))


def test_employer_posts_a_need_that_arrives_submitted(client, auth, make, csrf):
    employer = make.employer()
    auth.login(employer)
    response = client.post("/offres/nouvelle", data=NEED | {"csrf_token": csrf("/offres/nouvelle")})
    assert response.status_code == 303
    offer = db.session.scalar(select(Offer))
    assert (offer.status, offer.company_id, offer.rome_code, offer.positions) == ("soumise", employer.company_id,
                                                                                  "H2904", 2)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Forgeron·ne" in page and "Soumise" in page and "Publier" not in page
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Offer",
                                                             AuditEvent.object_id == str(offer.id))) == "offer.create"


def test_counsellor_publishes_and_the_employer_is_told(client, auth, make, csrf):
    employer = make.employer()
    offer = services.create_offer(employer, company=employer.company, **{
        "title": "Forgeron·ne", "appellation_code": FORGER, "contract_type": "cdi", "hours_per_week": 35,
        "work_commune_code": "63430", "start_on": None, "end_on": None, "positions": 1,
        "requires_licence": False, "requires_vehicle": False, "education_level": None, "description": None})
    auth.login(make.counsellor())
    url = f"/offres/{offer.id}"
    response = client.post(f"{url}/statut/publiee", data={"csrf_token": csrf(url)})
    assert response.status_code == 303
    assert "Offre publiée." in client.get(url).get_data(as_text=True)
    assert offer.status == "publiee" and offer.published_at is not None
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == employer.email))
    assert "publiée" in mail.subject
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.publiee")) is not None


@pytest.mark.parametrize(("changes", "message"), [
    ({"start_on": "01/03/2027", "end_on": "01/01/2027"}, "La date de fin doit être postérieure à la date de début."),
    ({"hours_per_week": "-5"}, "Entre 0,5 et 48 heures par semaine."),
    ({"hours_per_week": "49"}, "Entre 0,5 et 48 heures par semaine."),
    ({"appellation_code": "ZZZZZ"}, "Métier inconnu : choisissez-le dans la liste proposée (ROME)."),
    ({"start_on": "31/02/2026"}, "Date invalide (format attendu : 26/11/2026)."),
    ({"title": ""}, "Information obligatoire."),
    # an integer beyond what a float holds: WTForms' own range check raised OverflowError (found by fuzzing)
    ({"positions": "1" + "0" * 400}, "Entre 1 et 500 postes."),
])
def test_bad_input_gets_a_french_message_and_saves_nothing(client, auth, make, csrf, changes, message):
    auth.login(make.employer())
    response = client.post("/offres/nouvelle", data=NEED | changes | {"csrf_token": csrf("/offres/nouvelle")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Forge de lames."' in page or "Forge de lames." in page  # what was typed is kept
    assert offers_count() == 0


def test_service_refuses_impossible_hours_and_dates(make):
    employer = make.employer()
    values = {"title": "X", "appellation_code": FORGER, "contract_type": "cdi", "work_commune_code": "63430",
              "positions": 1, "end_on": None, "start_on": None}
    with pytest.raises(services.DomainError, match="48 heures"):
        services.create_offer(employer, company=employer.company, hours_per_week=60, **values)
    with pytest.raises(services.DomainError, match="positif"):
        services.create_offer(employer, company=employer.company, hours_per_week=0, **values)
    with pytest.raises(services.DomainError, match="postérieure"):
        services.create_offer(employer, company=employer.company, hours_per_week=20,
                              **values | {"start_on": date(2026, 5, 2), "end_on": date(2026, 5, 1)})


def test_employer_gets_404_for_another_company_offer(client, auth, make):
    other = make.offer()
    auth.login(make.employer())
    assert client.get(f"/offres/{other.id}").status_code == 404
    assert other.title not in client.get("/mes-offres").get_data(as_text=True)


def test_partner_reads_published_offers_only(client, auth, make):
    published = make.offer(title="Poste publié")
    draft = make.offer(title="Poste en attente", status="soumise")
    auth.login(make.partner_user())
    page = client.get("/offres-publiees").get_data(as_text=True)
    assert "Poste publié" in page and "Poste en attente" not in page
    assert client.get(f"/offres/{draft.id}").status_code == 404
    detail = client.get(f"/offres/{published.id}").get_data(as_text=True)
    assert "Mises en relation" not in detail and "Contact" not in detail


def test_employer_cannot_publish(client, auth, make, csrf):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company, status="soumise")
    auth.login(employer)
    response = client.post(f"/offres/{offer.id}/statut/publiee", data={"csrf_token": csrf("/mes-offres")})
    assert response.status_code == 403
    assert offer.status == "soumise"


def test_counsellor_enters_an_offer_for_a_company(client, auth, make, csrf):
    company = make.company()
    auth.login(make.counsellor())
    response = client.post("/offres/nouvelle", data=NEED | {"company_id": str(company.id),
                                                            "csrf_token": csrf("/offres/nouvelle")})
    assert response.status_code == 303
    offer = db.session.scalar(select(Offer))
    assert offer.company_id == company.id and offer.source == "conseiller"


def test_edit_with_stale_version_is_refused(client, auth, make, csrf):
    offer = make.offer()
    auth.login(make.counsellor())
    url = f"/offres/{offer.id}/modifier"
    response = client.post(url, data=NEED | {"version": str(offer.version + 5), "csrf_token": csrf(url)})
    assert response.status_code == 422
    assert conflict_message(page_text(response)).startswith("Cette offre a été modifiée entre-temps")


def test_list_pages_and_counts_queries_that_do_not_grow(client, auth, make, count_queries):
    company = make.company()
    auth.login(make.counsellor())
    make.offer(company_obj=company)
    with count_queries() as few:
        client.get("/offres")
    for _ in range(30):
        make.offer(company_obj=company)
    with count_queries() as many:
        page = client.get("/offres").get_data(as_text=True)
    assert many.count == few.count
    assert page.count("Forgeron·ne en coutellerie") == 25
    assert "Page 1 sur 2" in page


def test_idle_offers_are_warned_at_45_days_then_closed_at_60(make):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company)
    today = date.today()
    offer.updated_at = offer.updated_at - timedelta(days=46)
    db.session.flush()
    assert services.handle_idle_offers(today) == (1, 0)
    assert offer.status == "publiee" and offer.stale_warned_at is not None
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.like("%toujours d'actualité%")))
    assert services.handle_idle_offers(today) == (0, 0)  # warned once
    assert services.handle_idle_offers(today + timedelta(days=15)) == (0, 1)
    assert offer.status == "close" and offer.closing_reason == "Sans mise à jour depuis 61 jours"
