"""Home to-dos of the matching: candidates waiting for the employer's answer, and the positionings that
wait on their counsellor (a young person kept to propose, an interview the employer asked for)."""

from datetime import timedelta

from flask import url_for

from crm.matching.models import Positioning
from crm.matching.queries import awaiting_counsellor, positionings_for
from crm.matching.rules import PROPOSED
from portal.access import COUNSELLOR, EMPLOYER
from portal.home.widgets import TODAY, WAITING, Row, from_query, todo
from portal.models import utcnow
from portal.text import date_fr

ANSWER_EXPECTED_DAYS = 7  # a candidate proposed a week ago without an answer is late


def awaiting_employer(user):
    """Candidates proposed to the employer's company and not answered yet, oldest first."""
    return positionings_for(user).where(Positioning.status == PROPOSED).order_by(Positioning.proposed_at,
                                                                                Positioning.id)


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
        return Row(f"{p.youth.full_name} pour « {p.offer.title} » ({p.offer.company.name})",
                   url_for("offers.show_offer", offer_id=p.offer_id), p.awaited)

    return from_query(awaiting_counsellor(user), row, key="mises-en-relation",
                      title="Mises en relation qui attendent votre action", urgency=WAITING,
                      link=("Voir toutes mes mises en relation à traiter",
                            url_for("matching.list_awaiting_positionings")),
                      empty="Cherchez des candidats pour vos offres publiées.",
                      empty_link=("Voir les offres", url_for("offers.list_offers")))

