"""Home to-dos of the matching: candidates waiting for the employer's answer, and the positionings that
wait on their counsellor (a young person kept to propose, an interview the employer asked for)."""

from datetime import timedelta

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload, selectinload

from crm.matching.models import Positioning
from crm.matching.queries import positionings_for
from crm.matching.rules import INTERVIEW, KEPT, PROPOSED
from crm.offers.models import Offer
from portal.access import COUNSELLOR, EMPLOYER
from portal.extensions import db
from portal.home.widgets import TODAY, WAITING, Row, from_query, todo
from portal.models import utcnow
from portal.text import date_fr

ANSWER_EXPECTED_DAYS = 7  # a candidate proposed a week ago without an answer is late


def awaiting_employer(user):
    """Candidates proposed to the employer's company and not answered yet, oldest first."""
    return positionings_for(user).where(Positioning.status == PROPOSED).order_by(Positioning.proposed_at,
                                                                                Positioning.id)


def awaiting_counsellor(user):
    """Positionings of the counsellor's offers or created by them that wait on them: a young person kept
    and not yet proposed, an interview the employer asked for and not yet settled."""
    # the counsellor's offers read first (a few dozen ids): the planner then ORs two index scans, where a
    # subquery made it filter every kept and interview positioning (20,000 at large scale: 15 ms -> 1.5 ms)
    offers = db.session.scalars(select(Offer.id).where(Offer.counsellor_id == user.id)).all()
    mine = or_(Positioning.created_by_id == user.id, Positioning.offer_id.in_(offers))
    return (positionings_for(user).where(mine, Positioning.status.in_((KEPT, INTERVIEW)))
            .order_by(Positioning.employer_answered_at.is_(None), Positioning.updated_at, Positioning.id)
            # the young person, offer and company of the rows shown only, not joined to every match
            .options(lazyload("*"), selectinload(Positioning.youth),
                     selectinload(Positioning.offer).selectinload(Offer.company)))


@todo((EMPLOYER,))
def candidates_todo(user, today):
    late_before = utcnow() - timedelta(days=ANSWER_EXPECTED_DAYS)

    def row(p: Positioning) -> Row:
        late = p.proposed_at is not None and p.proposed_at < late_before
        # the employer sees the first name and initial only, as on the candidate's page
        return Row(f"{p.youth.short_name} pour « {p.offer.title} »",
                   url_for("matching.show_candidate", positioning_id=p.id),
                   f"proposé·e le {date_fr(p.proposed_at)}", late=late)

    return from_query(awaiting_employer(user), row, key="candidats", title="Candidats qui attendent votre réponse",
                      urgency=TODAY, link=("Voir mes offres", url_for("offers.my_offers")),
                      empty="Déposez un besoin de recrutement : la Mission Locale vous proposera des candidats.",
                      empty_link=("Déposer un besoin", url_for("offers.new_offer")))


@todo((COUNSELLOR,))
def positionings_todo(user, today):
    def row(p: Positioning) -> Row:
        what = "l'employeur souhaite rencontrer" if p.status == INTERVIEW else "à proposer à l'employeur"
        return Row(f"{p.youth.full_name} pour « {p.offer.title} » ({p.offer.company.name})",
                   url_for("offers.show_offer", offer_id=p.offer_id), what)

    return from_query(awaiting_counsellor(user), row, key="mises-en-relation",
                      title="Mises en relation qui attendent votre action", urgency=WAITING,
                      empty="Cherchez des candidats pour vos offres publiées.",
                      empty_link=("Voir les offres", url_for("offers.list_offers")))

