"""What followed an event for its young participants, shown on the event page (crm/employers): the
positionings, PMSMP conventions and hires dated on or after the event. The event belongs to employer
relations, which may not import the capabilities above it; reporting may read them all, so it answers
the event page's question through `register_event_outcomes`."""

from datetime import date, datetime, time

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm.employers.timeline import EventOutcome, register_event_outcomes
from crm.followup.models import Hire
from crm.matching.models import Positioning
from crm.matching.rules import SUGGESTED
from crm.offers.models import Offer
from crm.pmsmp.models import Placement
from portal.extensions import db
from portal.text import date_fr


@register_event_outcomes
def positionings(youth_ids: list[int], since: date) -> list[EventOutcome]:
    """Positionings a counsellor acted on (a bare suggestion of the engine is not a follow-up)."""
    rows = db.session.scalars(select(Positioning).where(
        Positioning.youth_id.in_(youth_ids), Positioning.status != SUGGESTED,
        Positioning.created_at >= datetime.combine(since, time.min))
        .options(joinedload(Positioning.offer).joinedload(Offer.company)))
    return [EventOutcome(youth_id=p.youth_id, on=p.created_at.date(), kind="Mise en relation",
                         title=f"{p.offer.title} · {p.offer.company.name} ({p.status_label.lower()})",
                         url=url_for("matching.show_candidate", positioning_id=p.id), tone=p.status_tone)
            for p in rows]


@register_event_outcomes
def placements(youth_ids: list[int], since: date) -> list[EventOutcome]:
    rows = db.session.scalars(select(Placement).where(Placement.youth_id.in_(youth_ids),
                                                      Placement.start_date >= since))
    return [EventOutcome(youth_id=p.youth_id, on=p.start_date, kind="PMSMP",
                         title=f"{p.reference} · {p.company.name}, du {date_fr(p.start_date)} au "
                               f"{date_fr(p.end_date)} ({p.status_label.lower()})",
                         url=url_for("pmsmp.show_placement", placement_id=p.id), tone=p.status_tone)
            for p in rows]


@register_event_outcomes
def hires(youth_ids: list[int], since: date) -> list[EventOutcome]:
    rows = db.session.scalars(select(Hire).where(Hire.youth_id.in_(youth_ids), Hire.start_on >= since))
    return [EventOutcome(youth_id=h.youth_id, on=h.start_on, kind="Embauche",
                         title=f"{h.contract_label} · {h.company.name}, depuis le {date_fr(h.start_on)}",
                         url=url_for("followup.show_hire", hire_id=h.id), tone="success")
            for h in rows]
