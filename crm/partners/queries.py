"""Reads about partner organisations, always scoped to the user."""

from sqlalchemy import Select, select

from crm.partners.models import PartnerOrganisation
from portal.access import PARTNER, STAFF
from portal.extensions import db
from portal.text import escape_like, fold


def partners_for(user) -> Select:
    """Organisations the user may see: all for staff, its own for a partner user."""
    stmt = select(PartnerOrganisation)
    if user.role in STAFF:
        return stmt
    if user.role == PARTNER and user.partner_id:
        return stmt.where(PartnerOrganisation.id == user.partner_id)
    return stmt.where(False)


def get_partner(partner_id: int) -> PartnerOrganisation | None:
    """An organisation by id, unscoped (for validators and services)."""
    return db.session.get(PartnerOrganisation, partner_id)


def autocomplete_partners(term: str, limit: int = 10) -> list[PartnerOrganisation]:
    """Active organisations whose name contains the folded term."""
    folded = fold(term)
    if not folded:
        return []
    stmt = (select(PartnerOrganisation)
            .where(PartnerOrganisation.archived_at.is_(None),
                   PartnerOrganisation.search_text.like("%" + escape_like(folded) + "%", escape="\\"))
            .order_by(PartnerOrganisation.name).limit(limit))
    return list(db.session.scalars(stmt))
