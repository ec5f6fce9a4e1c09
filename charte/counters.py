"""Default counters of the living record (charte/record.py), read from the CRM tables.

Each one is registered only when the capability holding its data is installed; that capability may
replace it by registering a counter under the same key. Every counter is one grouped query for all the
companies of a page.
"""

import importlib
from datetime import date

from sqlalchemy import func, select

from charte.record import register_counter
from portal.extensions import db


def _grouped(model, date_column, company_ids: list[int], since: date | None, *conditions) -> dict[int, int]:
    stmt = (select(model.company_id, func.count()).where(model.company_id.in_(company_ids), *conditions)
            .group_by(model.company_id))
    if since is not None:
        stmt = stmt.where(date_column >= since)
    return dict(db.session.execute(stmt).all())


def _module(name: str):
    """The models module of an installed capability (listed in portal/capabilities.py), or None."""
    from portal.capabilities import MODELS

    if name not in MODELS:
        return None
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _register_events() -> None:
    models = _module("crm.employers.models")
    if models is None:
        return
    Event, EventParticipant = models.Event, models.EventParticipant  # noqa: N806

    def events_attended(company_ids: list[int], since: date | None) -> dict[int, int]:
        stmt = (select(EventParticipant.company_id, func.count())
                .join(Event, Event.id == EventParticipant.event_id)
                .where(EventParticipant.company_id.in_(company_ids), Event.kind.in_(["forum", "job_dating"]))
                .group_by(EventParticipant.company_id))
        if since is not None:
            stmt = stmt.where(Event.held_on >= since)
        return dict(db.session.execute(stmt).all())

    register_counter("events_attended", "Forums et job datings", events_attended, commitments=("forums",))


def _register_offers() -> None:
    models = _module("crm.offers.models")
    if models is None:
        return
    Offer = models.Offer  # noqa: N806

    def offers_posted(company_ids: list[int], since: date | None) -> dict[int, int]:
        # a draft has not been passed on to the Mission Locale yet
        return _grouped(Offer, Offer.created_at, company_ids, since, Offer.status != "brouillon")

    register_counter("offers_posted", "Offres transmises", offers_posted,
                     commitments=("transmettre_offres", "alternance"))


def _register_placements() -> None:
    models = _module("crm.pmsmp.models")
    if models is None or not hasattr(models, "Placement"):
        return
    Placement = models.Placement  # noqa: N806

    def pmsmp_hosted(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Placement, Placement.start_date, company_ids, since,
                        Placement.status.in_(["validee", "terminee"]))

    register_counter("pmsmp_hosted", "PMSMP accueillies", pmsmp_hosted,
                     commitments=("accueillir_pmsmp", "decouvrir_metiers"))


def _register_hires() -> None:
    models = _module("crm.followup.models")
    if models is None or not hasattr(models, "Hire"):
        return
    Hire = models.Hire  # noqa: N806

    def hires(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Hire, Hire.start_on, company_ids, since)

    def apprentices(company_ids: list[int], since: date | None) -> dict[int, int]:
        return _grouped(Hire, Hire.start_on, company_ids, since, Hire.contract_type == "apprentissage")

    register_counter("hires", "Recrutements", hires, commitments=("securiser_integration", "recruter_sans_discrimination"))
    register_counter("apprentices", "Apprentis accueillis", apprentices, commitments=("alternance",))


_register_events()
_register_offers()
_register_placements()
_register_hires()
