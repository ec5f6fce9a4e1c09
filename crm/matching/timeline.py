"""The company page shows the young people proposed to its offers (timeline and key figure)."""

from flask import url_for
from sqlalchemy import func, select

from crm.employers.timeline import Figure, TimelineItem, day_of, register_figures, register_timeline
from crm.matching.models import Positioning
from crm.offers.models import Offer
from portal.access import STAFF
from portal.extensions import db

LIMIT = 50


@register_timeline
def positionings_timeline(company, viewer) -> list[TimelineItem]:
    """Young people proposed to the company's offers (one query); an employer sees first name and initial."""
    if viewer.role not in STAFF and viewer.company_id != company.id:
        return []
    stmt = (select(Positioning).join(Positioning.offer)
            .where(Offer.company_id == company.id, Positioning.proposed_at.is_not(None))
            .order_by(Positioning.proposed_at.desc()).limit(LIMIT))
    items = []
    for p in db.session.scalars(stmt):
        staff = viewer.role in STAFF
        name = p.youth.full_name if staff else p.youth.short_name
        url = (url_for("offers.show_offer", offer_id=p.offer_id) if staff
               else url_for("matching.show_candidate", positioning_id=p.id))
        items.append(TimelineItem(on=day_of(p.proposed_at), kind="Mise en relation", title=f"{name} · {p.offer.title}",
                                  detail=p.status_label, url=url, tone=p.status_tone))
    return items


@register_figures
def positionings_figures(company) -> list[Figure]:
    """Young people proposed to the company's offers (one count)."""
    proposed = db.session.scalar(select(func.count(Positioning.id)).join(Positioning.offer).where(
        Offer.company_id == company.id, Positioning.proposed_at.is_not(None)))
    return [Figure("Jeunes proposés", proposed or 0)]
