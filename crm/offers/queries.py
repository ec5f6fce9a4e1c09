"""Reads about offers, always scoped to the user."""

from sqlalchemy import Select, select

from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from portal.access import EMPLOYER, PARTNER, STAFF
from portal.extensions import db
from portal.text import escape_like, fold


def offers_for(user) -> Select:
    """Offers the user may see: all for staff, its company's for an employer, published ones for a partner."""
    stmt = select(Offer)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Offer.company_id == user.company_id)
    if user.role == PARTNER:
        return stmt.where(Offer.status == PUBLISHED)
    return stmt.where(False)


def get_offer(user, offer_id: int) -> Offer | None:
    """One offer if the user may see it (else None: the view answers 404)."""
    return db.session.scalar(offers_for(user).where(Offer.id == offer_id))


def filtered(user, *, q: str = "", status: str = "", contract: str = "", commune: str = "",
             company_id: int | None = None) -> Select:
    """The offers list with its filters, most recently updated first."""
    stmt = offers_for(user)
    term = fold(q)[:80]
    if term:
        stmt = stmt.where(Offer.search_text.like("% " + escape_like(term) + "%", escape="\\"))
    if status:
        stmt = stmt.where(Offer.status == status)
    if contract:
        stmt = stmt.where(Offer.contract_type == contract)
    if commune:
        stmt = stmt.where(Offer.work_commune_code == commune)
    if company_id:
        stmt = stmt.where(Offer.company_id == company_id)
    return stmt.order_by(Offer.updated_at.desc(), Offer.id.desc())


def open_offers_idle_since(before) -> list[Offer]:
    """Open offers (submitted or published) not updated since `before` (reminders)."""
    return list(db.session.scalars(
        select(Offer).where(Offer.status.in_(("soumise", PUBLISHED)), Offer.updated_at < before)
        .order_by(Offer.id)))
