"""Reads about companies, always scoped to the user."""

from sqlalchemy import Select, select

from crm.employers.models import Company
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.text import escape_like, fold


def companies_for(user) -> Select:
    """Companies the user may see: all for staff, its own for an employer, none otherwise."""
    stmt = select(Company)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Company.id == user.company_id)
    return stmt.where(False)


def get_company(company_id: int) -> Company | None:
    """A company by id, unscoped (for validators and services)."""
    return db.session.get(Company, company_id)


def autocomplete_companies(term: str, limit: int = 10) -> list[Company]:
    """Active companies whose name or SIRET contains the folded term."""
    folded = fold(term)
    if not folded:
        return []
    stmt = (select(Company)
            .where(Company.archived_at.is_(None),
                   Company.search_text.like("%" + escape_like(folded) + "%", escape="\\"))
            .order_by(Company.name).limit(limit))
    return list(db.session.scalars(stmt))
