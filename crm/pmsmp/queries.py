"""Reads on PMSMP conventions, always scoped to the user."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm.pmsmp import rules
from crm.pmsmp.models import Placement
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.text import like_word_prefix


def placements_for(user) -> Select:
    """Conventions the user may see: all for staff, its company's for an employer, none otherwise."""
    stmt = select(Placement)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Placement.company_id == user.company_id)
    return stmt.where(False)


def get_placement_for(user, placement_id: int) -> Placement | None:
    """One convention if the user may see it (None answers 404)."""
    return db.session.scalar(placements_for(user).where(Placement.id == placement_id))


def get_placement(placement_id: int) -> Placement | None:
    """Unscoped: for personal links, which carry their own proof."""
    return db.session.get(Placement, placement_id)


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    objective: str = ""
    period: str = ""  # "en_cours", "a_venir", "passees"
    mine: bool = False


def search_placements(user, filters: Filters, today: date) -> Select:
    """The list page: scoped, filtered, most recent start first."""
    stmt = placements_for(user)
    if filters.q:
        # the convention's own search text (its young person's and its company's, crm/pmsmp/search.py): one
        # trigram index read on PostgreSQL, where finding 2,172 young people and 3,178 companies called « martin »
        # then their conventions cost 20 ms, twice (count and page)
        stmt = stmt.where(Placement.search_text.like(like_word_prefix(filters.q[:80]), escape="\\"))
    if filters.status in rules.STATUSES:
        stmt = stmt.where(Placement.status == filters.status)
    if filters.objective in rules.OBJECTIVES:
        stmt = stmt.where(Placement.objective == filters.objective)
    if filters.period == "en_cours":
        stmt = stmt.where(Placement.start_date <= today, Placement.end_date >= today)
    elif filters.period == "a_venir":
        stmt = stmt.where(Placement.start_date > today)
    elif filters.period == "passees":
        stmt = stmt.where(Placement.end_date < today)
    if filters.mine and user.role in STAFF:
        stmt = stmt.where(Placement.counsellor_id == user.id)
    # the young person, company, job, counsellor and place of the page's rows in a query each, not a 13-table
    # join planned and run for every match before the LIMIT (planning alone took 10-17 ms at 5,000 placements)
    return stmt.options(*(selectinload(r) for r in (Placement.youth, Placement.company, Placement.appellation,
                                                     Placement.counsellor, Placement.place_commune))
                        ).order_by(Placement.start_date.desc(), Placement.id.desc())


def overlapping_for_youth_company(youth_id: int, company_id: int, exclude_id: int | None) -> list[Placement]:
    """Open conventions of the same young person in the same company (for the duplicate rule)."""
    stmt = select(Placement).where(Placement.youth_id == youth_id, Placement.company_id == company_id,
                                   Placement.status.in_(rules.OPEN))
    if exclude_id:
        stmt = stmt.where(Placement.id != exclude_id)
    return list(db.session.scalars(stmt))


def periods_of_youth(youth_id: int, end: date, exclude_id: int | None) -> list[tuple[date, date]]:
    """(start, end) of the young person's counted conventions in the 12 months before `end`."""
    stmt = select(Placement.start_date, Placement.end_date).where(
        Placement.youth_id == youth_id, Placement.status.in_(rules.COUNTED),
        Placement.end_date >= end - timedelta(days=365))
    if exclude_id:
        stmt = stmt.where(Placement.id != exclude_id)
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def has_renewal(placement_id: int, exclude_id: int | None = None) -> bool:
    """True when a convention (not refused, cancelled or lapsed) already renews this one."""
    stmt = select(func.count(Placement.id)).where(
        Placement.renewal_of_id == placement_id,
        Placement.status.not_in([rules.REFUSED, rules.CANCELLED, rules.LAPSED]))
    if exclude_id:
        stmt = stmt.where(Placement.id != exclude_id)
    return bool(db.session.scalar(stmt))


def placements_of_company(company_id: int, viewer) -> list[Placement]:
    """A company's conventions as the viewer may see them, most recent first (company page)."""
    stmt = placements_for(viewer).where(Placement.company_id == company_id)
    return list(db.session.scalars(stmt.order_by(Placement.start_date.desc()).limit(50)))


def placements_of_youth(youth_id: int, viewer) -> list[Placement]:
    """A young person's conventions as the viewer may see them (young person's page)."""
    stmt = placements_for(viewer).where(Placement.youth_id == youth_id)
    return list(db.session.scalars(stmt.order_by(Placement.start_date.desc()).limit(50)))


def in_status(statuses, **where) -> list[Placement]:
    """Conventions in some statuses (reminder jobs)."""
    stmt = select(Placement).where(Placement.status.in_(list(statuses)))
    for column, value in where.items():
        stmt = stmt.where(getattr(Placement, column) == value)
    return list(db.session.scalars(stmt.order_by(Placement.id)))
