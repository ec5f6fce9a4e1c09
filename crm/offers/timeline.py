"""The company page shows its offers (timeline and key figure); "mes tâches" names offers."""


from flask import url_for
from sqlalchemy import func, select

from crm.employers.timeline import (
    Figure,
    SubjectLink,
    TimelineItem,
    day_of,
    register_figures,
    register_task_subject,
    register_timeline,
)
from crm.offers import queries
from crm.offers.models import Offer
from crm.offers.rules import OPEN_STATUSES
from portal.extensions import db

LIMIT = 50


@register_timeline
def offers_timeline(company, viewer) -> list[TimelineItem]:
    """The company's offers as the viewer may see them (one query)."""
    stmt = (queries.offers_for(viewer).where(Offer.company_id == company.id)
            .order_by(Offer.created_at.desc()).limit(LIMIT))
    items = []
    for o in db.session.scalars(stmt):
        url = url_for("offers.show_offer", offer_id=o.id)
        items.append(TimelineItem(on=day_of(o.published_at or o.created_at), kind="Offre", title=o.title,
                                  detail=f"{o.contract_label} · {o.work_commune.name} · {o.status_label}", url=url,
                                  tone=o.status_tone))
        if o.closed_at is not None:  # the closing is an event of its own, with its reason (an idle offer...)
            items.append(TimelineItem(on=day_of(o.closed_at), kind=f"Offre {o.status_label.lower()}", title=o.title,
                                      detail=o.closing_reason or None, url=url, tone=o.status_tone))
    return items


@register_figures
def offers_figures(company) -> list[Figure]:
    """Open offers (one count)."""
    open_count = db.session.scalar(select(func.count(Offer.id)).where(
        Offer.company_id == company.id, Offer.status.in_(list(OPEN_STATUSES))))
    return [Figure("Offres en cours", open_count or 0)]


def _offer_subjects(ids: list[int]) -> dict[int, SubjectLink]:
    return {o.id: SubjectLink(f"Offre · {o.title} ({o.company.name})", url_for("offers.show_offer", offer_id=o.id))
            for o in db.session.scalars(select(Offer).where(Offer.id.in_(ids)))}


register_task_subject("Offer", _offer_subjects)
