"""The company page shows its offers and positionings (timeline and key figures); "mes tâches" names offers."""

from datetime import date, datetime

from flask import url_for
from sqlalchemy import func, select

from crm.employers.timeline import (
    Figure,
    SubjectLink,
    TimelineItem,
    register_figures,
    register_task_subject,
    register_timeline,
)
from crm.matching.models import Positioning
from crm.offers import queries
from crm.offers.models import Offer
from crm.offers.rules import OPEN_STATUSES
from portal.access import STAFF
from portal.extensions import db

LIMIT = 50


def _day(value: datetime | date | None) -> date:
    return value.date() if isinstance(value, datetime) else (value or date.today())


@register_timeline
def offers_timeline(company, viewer) -> list[TimelineItem]:
    """The company's offers as the viewer may see them (one query)."""
    stmt = (queries.offers_for(viewer).where(Offer.company_id == company.id)
            .order_by(Offer.created_at.desc()).limit(LIMIT))
    items = []
    for o in db.session.scalars(stmt):
        url = url_for("offers.show_offer", offer_id=o.id)
        items.append(TimelineItem(on=_day(o.published_at or o.created_at), kind="Offre", title=o.title,
                                  detail=f"{o.contract_label} · {o.work_commune.name} · {o.status_label}", url=url,
                                  tone=o.status_tone))
        if o.closed_at is not None:  # the closing is an event of its own, with its reason (an idle offer...)
            items.append(TimelineItem(on=_day(o.closed_at), kind=f"Offre {o.status_label.lower()}", title=o.title,
                                      detail=o.closing_reason or None, url=url, tone=o.status_tone))
    return items


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
        items.append(TimelineItem(on=_day(p.proposed_at), kind="Mise en relation", title=f"{name} · {p.offer.title}",
                                  detail=p.status_label, url=url, tone=p.status_tone))
    return items


@register_figures
def offers_figures(company) -> list[Figure]:
    """Open offers and young people proposed (two counts)."""
    open_count = db.session.scalar(select(func.count(Offer.id)).where(
        Offer.company_id == company.id, Offer.status.in_(list(OPEN_STATUSES))))
    proposed = db.session.scalar(select(func.count(Positioning.id)).join(Positioning.offer).where(
        Offer.company_id == company.id, Positioning.proposed_at.is_not(None)))
    return [Figure("Offres en cours", open_count or 0), Figure("Jeunes proposés", proposed or 0)]


def _offer_subjects(ids: list[int]) -> dict[int, SubjectLink]:
    return {o.id: SubjectLink(f"Offre · {o.title} ({o.company.name})", url_for("offers.show_offer", offer_id=o.id))
            for o in db.session.scalars(select(Offer).where(Offer.id.in_(ids)))}


register_task_subject("Offer", _offer_subjects)
