"""What the privacy tools (portal/privacy) hold of a young person's positionings, and which young people an
employer may see: those proposed to one of its offers."""

from datetime import datetime

from sqlalchemy import exists, select

from crm.matching.models import Positioning, PositioningTransition
from crm.offers.models import Offer
from crm.youth.models import YouthProfile
from crm.youth.queries import shown_to_company
from portal.extensions import db
from portal.privacy.holders import Found, Holder, register


def _load(found: Found) -> None:
    found.positionings = list(db.session.scalars(select(Positioning).where(Positioning.youth_id == found.youth.id)
                                                 .order_by(Positioning.id)).unique())
    found.transitions = [t for p in found.positionings for t in p.transitions]


def _erase(found: Found, names: list[str]) -> None:
    for positioning in found.positionings:
        positioning.counsellor_note, positioning.breakdown = None, {}
        for transition in positioning.transitions:
            transition.note = None


def _recent(since: datetime):
    return exists().where(Positioning.youth_id == YouthProfile.id, Positioning.updated_at >= since)


register(Holder(
    "crm.matching", 20, load=_load,
    subjects=lambda found: [("Positioning", [p.id for p in found.positionings])],
    counts=lambda found: {"positionings": len(found.positionings)},
    sheets=lambda found: [("Mises en relation", found.positionings, Positioning),
                          ("Étapes des mises en relation", found.transitions, PositioningTransition)],
    erase=_erase, recent=_recent, stamps=lambda found: [p.updated_at for p in found.positionings],
))


@shown_to_company
def proposed_to_offer_of(company_id: int):
    """The young person was proposed to one of the company's offers."""
    return exists().where(Positioning.youth_id == YouthProfile.id, Positioning.proposed_at.is_not(None),
                          Positioning.offer_id == Offer.id, Offer.company_id == company_id)
