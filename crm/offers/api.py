"""Published offers in the open data API (/api/v1/offres): public fields only, nothing about a person (no contact,
no description written for candidates)."""

from sqlalchemy import Select, select

from crm.employers.models import Company
from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from portal.api.registry import Dataset, paged, register
from portal.api.schemas import CodeLibelle, Commune, Offre
from portal.extensions import db


def _published() -> Select:
    # Offer loads its company, appellation and work commune with it (lazy="joined"): one query a page.
    return (select(Offer).join(Company, Company.id == Offer.company_id)
            .where(Offer.status == PUBLISHED, Company.archived_at.is_(None)))


def offer_item(offer: Offer) -> Offre:
    return Offre(
        id=offer.id, titre=offer.title, code_rome=offer.rome_code,
        appellation=CodeLibelle(code=offer.appellation_code, libelle=offer.appellation.label),
        contrat=CodeLibelle(code=offer.contract_type, libelle=offer.contract_label),
        commune=Commune(code_insee=offer.work_commune_code, nom=offer.work_commune.name),
        entreprise=offer.company.name,
        date_publication=offer.published_at.date() if offer.published_at else None,
        date_debut=offer.start_on, date_fin=offer.end_on)


def published_offers(limit: int, offset: int) -> tuple[list[Offre], int]:
    """Published offers of active companies, latest publication first."""
    rows, total = paged(_published().order_by(Offer.published_at.desc(), Offer.id.desc()), limit, offset)
    return [offer_item(o) for o in rows], total


def published_offer(offer_id: int) -> Offre | None:
    offer = db.session.scalar(_published().where(Offer.id == offer_id))
    return offer_item(offer) if offer else None


register(Dataset("offres", Offre, published_offers, one=published_offer))
