"""Default counters of the living record (charte/record.py), read from the CRM tables.

Each one names the capability holding its data (`source`): an app built without that capability shows the
figure as not available. That capability may replace it by registering a counter under the same key. Every
counter is one grouped query for all the companies of a page.
"""

from datetime import date

from sqlalchemy import func, select

from charte.record import register_counter
from crm.employers.models import Event, EventParticipant
from crm.followup.models import Hire
from crm.offers.models import Offer
from crm.pmsmp.models import Placement
from portal.extensions import db


def _grouped(model, date_column, company_ids: list[int], since: date | None, *conditions) -> dict[int, int]:
    stmt = (select(model.company_id, func.count()).where(model.company_id.in_(company_ids), *conditions)
            .group_by(model.company_id))
    if since is not None:
        stmt = stmt.where(date_column >= since)
    return dict(db.session.execute(stmt).all())


def _register_events() -> None:
    def events_attended(company_ids: list[int], since: date | None) -> dict[int, int]:
        stmt = (select(EventParticipant.company_id, func.count())
                .join(Event, Event.id == EventParticipant.event_id)
                .where(EventParticipant.company_id.in_(company_ids), Event.kind.in_(["forum", "job_dating"]))
                .group_by(EventParticipant.company_id))
        if since is not None:
            stmt = stmt.where(Event.held_on >= since)
        return dict(db.session.execute(stmt).all())

    register_counter("events_attended", "Forums et job datings", events_attended, commitments=("forums",),
                     source="crm.employers")


def _register_offers() -> None:
    def offers_posted(company_ids: list[int], since: date | None) -> dict[int, int]:
        # a draft has not been passed on to the Mission Locale yet
        return _grouped(Offer, Offer.created_at, company_ids, since, Offer.status != "brouillon")

    register_counter("offers_posted", "Offres transmises", offers_posted,
                     commitments=("transmettre_offres", "alternance"), source="crm.offers")


def _register_placements() -> None:
    def pmsmp_hosted(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Placement, Placement.start_date, company_ids, since,
                        Placement.status.in_(["validee", "terminee"]))

    register_counter("pmsmp_hosted", "PMSMP accueillies", pmsmp_hosted,
                     commitments=("accueillir_pmsmp", "decouvrir_metiers"), source="crm.pmsmp")


def _register_hires() -> None:
    def hires(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Hire, Hire.start_on, company_ids, since)

    def apprentices(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Hire, Hire.start_on, company_ids, since, Hire.contract_type == "apprentissage")

    register_counter("hires", "Recrutements", hires, commitments=("securiser_integration", "recruter_sans_discrimination"),
                     source="crm.followup")
    register_counter("apprentices", "Apprentis accueillis", apprentices, commitments=("alternance",), source="crm.followup")


_register_events()
_register_offers()
_register_placements()
_register_hires()
