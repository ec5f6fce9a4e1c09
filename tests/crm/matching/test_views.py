"""Ranked candidates with reasons, positionings, and what an employer may see of them."""

from datetime import date
from html import unescape

from sqlalchemy import select

from crm.matching import services
from crm.matching.models import Positioning, PositioningTransition
from crm.matching.signals import positioning_hired
from portal.extensions import db
from portal.notifications.models import OutboxMessage


def test_ranked_candidates_show_their_reasons_and_the_excluded_theirs(client, auth, make):
    offer = make.offer(requires_licence=True, work_commune_code="63195")  # Lezoux
    make.youth(first_name="Inès", last_name="Bon", targets=("15121",))
    make.youth(first_name="Noah", last_name="Sanspermis", has_licence=False)
    make.youth(first_name="Hors", last_name="Metier", targets=("N1103",))
    auth.login(make.counsellor())
    page = unescape(client.get(f"/offres/{offer.id}/candidats").get_data(as_text=True))
    ranked, excluded = page.split('id="ecartes"')
    assert "Inès Bon" in ranked and "Vise exactement ce métier." in ranked
    assert "Thiers → Lezoux, 12 km, dans son rayon de 20 km" in ranked
    assert "Noah Sanspermis" not in ranked
    assert "Noah Sanspermis" in excluded and "L'offre exige le permis B ; Noah ne l'a pas." in excluded
    assert "Hors Metier" not in page


def test_offers_ranked_for_a_young_person(client, auth, make):
    youth = make.youth()
    make.offer(title="Forge à Thiers")
    make.offer(title="Forge en attente", status="soumise")
    auth.login(make.counsellor())
    page = client.get(f"/jeunes/{youth.id}/offres").get_data(as_text=True)
    assert "Forge à Thiers" in page and "Forge en attente" not in page


def test_keep_then_propose_logs_every_transition_and_tells_the_employer(client, auth, make, csrf):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company)
    youth = make.youth()
    auth.login(make.counsellor())
    token = csrf(f"/offres/{offer.id}/candidats")
    assert client.post(f"/offres/{offer.id}/candidats/{youth.id}/retenir",
                       data={"csrf_token": token}).status_code == 303
    positioning = db.session.scalar(select(Positioning))
    assert positioning.status == "retenue" and positioning.score > 80
    response = client.post(f"/mises-en-relation/{positioning.id}/proposer",
                           data={"csrf_token": token, "note": "Sérieuse et ponctuelle."})
    assert response.status_code == 303
    assert positioning.status == "proposee" and positioning.counsellor_note == "Sérieuse et ponctuelle."
    steps = db.session.scalars(select(PositioningTransition.to_status).order_by(PositioningTransition.id)).all()
    assert steps == ["suggeree", "retenue", "proposee"]
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == employer.email))


def test_proposing_without_consent_is_refused(client, auth, make, csrf):
    positioning = make.positioning(status="retenue", youth_obj=make.youth(consent=False), proposed_at=None)
    auth.login(make.counsellor())
    token = csrf(f"/offres/{positioning.offer_id}")
    response = client.post(f"/mises-en-relation/{positioning.id}/proposer", data={"csrf_token": token},
                           follow_redirects=True)
    assert "aucun consentement à la transmission de son profil aux employeurs n'est enregistré" in \
        unescape(response.get_data(as_text=True))
    assert positioning.status == "retenue" and positioning.proposed_at is None


def test_employer_sees_only_consented_fields_of_its_proposed_candidates(client, auth, make):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company)
    youth = make.youth(first_name="Léa", last_name="Martin", phone="06 12 34 56 78", email="lea@exemple.test")
    positioning = make.positioning(offer_obj=offer, youth_obj=youth)
    kept_only = make.positioning(offer_obj=offer, youth_obj=make.youth(first_name="Zoé"), status="retenue")
    auth.login(employer)
    page = client.get(f"/offres/{offer.id}").get_data(as_text=True)
    assert "Léa M." in page and "Zoé" not in page
    candidate = client.get(f"/candidatures/{positioning.id}").get_data(as_text=True)
    assert "Léa M." in candidate and "Thiers" in candidate and "Très motivée" in candidate
    assert "Martin" not in candidate and "06 12 34 56 78" not in candidate and "lea@exemple.test" not in candidate
    assert client.get(f"/candidatures/{kept_only.id}").status_code == 404
    youth.consent_scope = "profil_coordonnees"
    db.session.flush()
    assert "06 12 34 56 78" in client.get(f"/candidatures/{positioning.id}").get_data(as_text=True)
    youth.consent_withdrawn_at = youth.created_at
    db.session.flush()
    assert client.get(f"/candidatures/{positioning.id}").status_code == 404


def test_employer_gets_404_for_other_companies_candidates_and_young_people(client, auth, make):
    other = make.positioning()
    auth.login(make.employer())
    assert client.get(f"/candidatures/{other.id}").status_code == 404
    assert client.get(f"/jeunes/{other.youth_id}").status_code == 403
    assert client.get(f"/offres/{other.offer_id}/candidats").status_code == 403


def test_employer_answers_and_the_counsellor_is_told(client, auth, make, csrf):
    employer = make.employer()
    counsellor = make.counsellor()
    positioning = make.positioning(offer_obj=make.offer(company_obj=employer.company), created_by=counsellor)
    auth.login(employer)
    url = f"/candidatures/{positioning.id}"
    missing = client.post(url, data={"answer": "ne_pas_retenir", "csrf_token": csrf(url)})
    assert missing.status_code == 422
    assert "Choisissez la raison" in missing.get_data(as_text=True)
    assert positioning.status == "proposee"
    response = client.post(url, data={"answer": "ne_pas_retenir", "reason": "poste_pourvu", "csrf_token": csrf(url)})
    assert response.status_code == 303
    assert (positioning.status, positioning.employer_reason) == ("non_retenue", "poste_pourvu")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == counsellor.email))
    assert "Poste déjà pourvu" in mail.body


def test_hired_tells_the_receivers_of_the_signal(make):
    seen = []

    def receiver(positioning, *, actor, details):
        seen.append((positioning.id, actor.id, details))

    counsellor = make.counsellor()
    with positioning_hired.connected_to(receiver):
        positioning = make.positioning(status="entretien")
        services.mark_hired(counsellor, positioning, start_on=date(2026, 9, 1))
    assert positioning.status == "embauchee"
    assert seen == [(positioning.id, counsellor.id, {"start_on": date(2026, 9, 1)})]


def test_a_closed_positioning_cannot_move(make):
    positioning = make.positioning(status="non_retenue")
    import pytest

    with pytest.raises(services.DomainError, match="ne peut pas passer"):
        services.propose(make.counsellor(), positioning)


def _flash(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_ticked_candidates_are_kept_at_once_with_one_note(client, auth, make, csrf):
    offer = make.offer()
    first, second, third = (make.youth(first_name=n, last_name="Candidat") for n in ("Anna", "Bruno", "Chloé"))
    auth.login(make.counsellor())
    page = unescape(client.get(f"/offres/{offer.id}/candidats").get_data(as_text=True))
    # one row per candidate, the reasons folded, one small form opened from the row
    assert page.count('name="youth_ids"') == 3 and "Retenir les candidats cochés" in page
    assert page.count("<summary>Détail du score</summary>") == 3
    token = csrf(f"/offres/{offer.id}/candidats")
    response = client.post(f"/offres/{offer.id}/candidats/retenir", follow_redirects=True,
                           data={"csrf_token": token, "youth_ids": [first.id, third.id], "note": "Forum du 3"})
    assert "2 candidat·e(s) retenu·e(s)" in _flash(response)
    kept = db.session.scalars(select(Positioning).order_by(Positioning.youth_id)).all()
    assert [(p.youth_id, p.status) for p in kept] == [(first.id, "retenue"), (third.id, "retenue")]
    assert second.id not in {p.youth_id for p in kept}


def test_keeping_in_bulk_is_all_or_nothing_with_the_reason(client, auth, make, csrf):
    offer = make.offer()
    fresh = make.youth(first_name="Anna", last_name="Libre")
    taken = make.youth(first_name="Bruno", last_name="Déjà")
    make.positioning(offer_obj=offer, youth_obj=taken, status="retenue")
    auth.login(make.counsellor())
    token = csrf(f"/offres/{offer.id}/candidats")
    url = f"/offres/{offer.id}/candidats/retenir"
    response = client.post(url, data={"csrf_token": token, "youth_ids": [fresh.id, taken.id]}, follow_redirects=True)
    assert "Rien n'a été retenu. Bruno Déjà : Bruno Déjà est déjà positionné·e sur cette offre." in _flash(response)
    assert db.session.scalar(select(Positioning).where(Positioning.youth_id == fresh.id)) is None
    nothing = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "Cochez au moins un·e candidat·e." in _flash(nothing)
    unknown = client.post(url, data={"csrf_token": token, "youth_ids": [fresh.id, 999999]}, follow_redirects=True)
    assert "Un des jeunes cochés n'est plus disponible" in _flash(unknown)
    long_note = client.post(url, data={"csrf_token": token, "youth_ids": [fresh.id], "note": "x" * 2001},
                            follow_redirects=True)
    assert "La note est trop longue" in _flash(long_note)
    assert db.session.scalar(select(Positioning).where(Positioning.youth_id == fresh.id)) is None


def test_ticked_positionings_move_together_or_not_at_all(client, auth, make, csrf):
    offer = make.offer()
    a = make.positioning(offer_obj=offer, status="proposee")
    b = make.positioning(offer_obj=offer, status="proposee")
    closed = make.positioning(offer_obj=offer, status="non_retenue")
    auth.login(make.counsellor())
    page = unescape(client.get(f"/offres/{offer.id}").get_data(as_text=True))
    assert page.count('name="positioning_ids"') == 2 and "Entretien (cochées)" in page
    assert page.count('class="row-action"') == 2  # the closed one has no step left
    token = csrf(f"/offres/{offer.id}")
    refused = client.post(f"/offres/{offer.id}/mises-en-relation/entretien", follow_redirects=True,
                          data={"csrf_token": token, "positioning_ids": [a.id, closed.id]})
    assert "Rien n'a été changé." in _flash(refused)
    assert (a.status, b.status, closed.status) == ("proposee", "proposee", "non_retenue")
    done = client.post(f"/offres/{offer.id}/mises-en-relation/entretien", follow_redirects=True,
                       data={"csrf_token": token, "positioning_ids": [a.id, b.id], "note": "Le 12 à 9 h"})
    assert "2 mise(s) en relation : Entretien noté." in _flash(done)
    assert (a.status, b.status) == ("entretien", "entretien")
    other = make.positioning(status="proposee")  # another offer's: not reachable from this one
    stranger = client.post(f"/offres/{offer.id}/mises-en-relation/entretien", follow_redirects=True,
                           data={"csrf_token": token, "positioning_ids": [other.id]})
    assert "n'est plus sur cette offre" in _flash(stranger) and other.status == "proposee"
    assert client.post(f"/offres/{offer.id}/mises-en-relation/voler", data={"csrf_token": token}).status_code == 404


def test_employers_cannot_move_positionings_in_bulk(client, auth, make, csrf):
    employer = make.employer()
    positioning = make.positioning(offer_obj=make.offer(company_obj=employer.company), status="proposee")
    auth.login(employer)
    token = csrf("/mon-compte")
    for url in (f"/offres/{positioning.offer_id}/mises-en-relation/entretien",
                f"/offres/{positioning.offer_id}/candidats/retenir"):
        assert client.post(url, data={"csrf_token": token, "positioning_ids": [positioning.id]}).status_code == 403
    assert positioning.status == "proposee"
