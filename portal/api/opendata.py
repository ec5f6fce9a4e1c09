"""Published offers and public charter signatories, as the open data API gives them: public fields only,
nothing about a person (no contact, no signatory name, no description written for candidates)."""

from typing import Any

from sqlalchemy import func, select

from charte import queries as charter
from crm.employers.models import Company
from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from portal.extensions import db


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _published_offers():
    # Offer loads its company, appellation and work commune with it (lazy="joined"): one query a page.
    return (select(Offer).join(Company, Company.id == Offer.company_id)
            .where(Offer.status == PUBLISHED, Company.archived_at.is_(None)))


def published_offers(limit: int, offset: int) -> tuple[list[Offer], int]:
    """Published offers of active companies, latest publication first."""
    stmt = _published_offers()
    rows = db.session.scalars(stmt.order_by(Offer.published_at.desc(), Offer.id.desc()).limit(limit).offset(offset))
    return list(rows), _count(stmt)


def published_offer(offer_id: int) -> Offer | None:
    return db.session.scalar(_published_offers().where(Offer.id == offer_id))


def offer_payload(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.id,
        "titre": offer.title,
        "code_rome": offer.rome_code,
        "appellation": {"code": offer.appellation_code, "libelle": offer.appellation.label},
        "contrat": {"code": offer.contract_type, "libelle": offer.contract_label},
        "commune": {"code_insee": offer.work_commune_code, "nom": offer.work_commune.name},
        "entreprise": offer.company.name,
        "date_publication": offer.published_at.date().isoformat() if offer.published_at else None,
        "date_debut": offer.start_on.isoformat() if offer.start_on else None,
        "date_fin": offer.end_on.isoformat() if offer.end_on else None,
    }


def public_signatories(limit: int, offset: int) -> tuple[list, int]:
    """Active signatures whose company consented to the public list (the charter's own public query)."""
    stmt = charter.public_signatures()
    return list(db.session.scalars(stmt.limit(limit).offset(offset))), _count(stmt)


def signatory_payload(signature) -> dict[str, Any]:
    company = signature.company
    return {
        "entreprise": company.name,
        "commune": {"code_insee": company.commune_code, "nom": company.commune.name}
        if company.commune else None,
        "code_naf": company.naf_code,
        "activite": company.naf.label if company.naf else None,
        "date_engagement": signature.period_start.isoformat() if signature.period_start else None,
        "engagements": [c.label for c in signature.commitments],
    }
