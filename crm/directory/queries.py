"""Reads of the directory, always scoped to the user, and the search for partners, counsellors and
employers."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from crm.directory import rules
from crm.directory.models import REVIEW_PENDING, DirectoryService
from portal.access import PARTNER, STAFF
from portal.extensions import db
from portal.pagination import ListPage
from portal.referentials import queries as referentials
from portal.referentials import zones
from portal.referentials.models import Commune
from portal.referentials.rules import haversine_km
from portal.text import escape_like, fold

PER_PAGE = 25


def services_for(user) -> Select:
    """Services the user may read: all for staff; published ones, plus its own organisation's, for a
    partner; published ones for an employer."""
    stmt = select(DirectoryService)
    if user.role in STAFF:
        return stmt
    published = DirectoryService.status == "publie"
    if user.role == PARTNER and user.partner_id:
        return stmt.where(or_(published, DirectoryService.partner_id == user.partner_id))
    return stmt.where(published)


def editable_services_for(user) -> Select:
    """Services the user may edit: all for staff, its own organisation's for a partner."""
    stmt = select(DirectoryService)
    if user.role in STAFF:
        return stmt
    if user.role == PARTNER and user.partner_id:
        return stmt.where(DirectoryService.partner_id == user.partner_id)
    return stmt.where(False)


def service_for(user, service_id: int) -> DirectoryService | None:
    """A service the user may read, or None (404)."""
    return db.session.scalar(services_for(user).where(DirectoryService.id == service_id)
                             .options(selectinload(DirectoryService.partner),
                                      selectinload(DirectoryService.commune)))


def editable_service_for(user, service_id: int) -> DirectoryService | None:
    """A service the user may edit, or None (404)."""
    return db.session.scalar(editable_services_for(user).where(DirectoryService.id == service_id))


def managed_services(user, *, status: str = "", review: bool = False, q: str = "") -> Select:
    """The management list: staff see every service, a partner its organisation's."""
    stmt = editable_services_for(user).options(selectinload(DirectoryService.partner))
    if status:
        stmt = stmt.where(DirectoryService.status == status)
    if review:
        stmt = stmt.where(DirectoryService.review_state == REVIEW_PENDING)
    folded = fold(q)
    if folded:
        stmt = stmt.where(DirectoryService.search_text.like("%" + escape_like(folded) + "%", escape="\\"))
    return stmt.order_by(DirectoryService.name, DirectoryService.id)


def stale_published_services(today: date) -> list[DirectoryService]:
    """Published services past their update frequency (for the reminders job)."""
    stmt = (select(DirectoryService).where(DirectoryService.status == "publie", DirectoryService.stale_on < today)
            .options(selectinload(DirectoryService.partner)))
    return list(db.session.scalars(stmt))


def published_services(limit: int, offset: int) -> tuple[list[DirectoryService], int]:
    """Published services for the open data API, by id."""
    base = select(DirectoryService).where(DirectoryService.status == "publie")
    total = db.session.scalar(select(db.func.count()).select_from(base.subquery()))
    rows = db.session.scalars(base.options(selectinload(DirectoryService.partner),
                                           selectinload(DirectoryService.commune))
                              .order_by(DirectoryService.id).limit(limit).offset(offset))
    return list(rows), total or 0


def department_exists(code: str) -> bool:
    return db.session.scalar(select(Commune.insee_code).where(Commune.department_code == code).limit(1)) is not None


def unknown_zone_codes(codes: list[str]) -> list[str]:
    """Codes of a zone that are neither a known commune, EPCI nor department."""
    unknown = []
    for code in codes:
        kind = rules.zone_code_kind(code)
        known = (kind == "commune" and referentials.get_commune(code) is not None) \
            or (kind == "epci" and referentials.get_epci(code) is not None) \
            or (kind == "departement" and department_exists(code))
        if not known:
            unknown.append(code)
    return unknown


def zone_labels(codes: list[str]) -> list[str]:
    """Readable names of a zone's codes."""
    return [zones.place_label(code) for code in codes]


# --- search -----------------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    thematique: str = ""
    commune: str = ""
    publics: list[str] = field(default_factory=list)
    q: str = ""


@dataclass
class Hit:
    service: DirectoryService
    distance_km: float | None
    stale: bool
    remote: bool


@dataclass
class ResultPage(ListPage):
    """The page of results (hits), with the commune distances are measured from."""

    origin: Commune | None = None


def _contains(column, code: str):
    return column.like("% " + escape_like(code) + " %", escape="\\")


def search_services(filters: SearchFilters, *, today: date, page: int = 1, per_page: int = PER_PAGE) -> ResultPage:
    """Published services matching the filters. Fresh services first, then on-site services by distance
    from the young person's commune, then remote ones. The candidates are few (a territory's directory),
    so ranking happens in Python over light rows and only the page is loaded: a bounded number of queries."""
    stmt = select(DirectoryService.id, DirectoryService.commune_code, DirectoryService.reception_codes,
                  DirectoryService.stale_on, DirectoryService.name).where(DirectoryService.status == "publie")
    if filters.thematique:
        if filters.thematique in rules.CATEGORIES:
            pattern = "% " + escape_like(filters.thematique) + "--%"
            stmt = stmt.where(DirectoryService.thematiques_codes.like(pattern, escape="\\"))
        else:
            stmt = stmt.where(_contains(DirectoryService.thematiques_codes, filters.thematique))
    if filters.publics:
        wanted = [*filters.publics, rules.ALL_PUBLICS]
        stmt = stmt.where(or_(*(_contains(DirectoryService.publics_codes, p) for p in wanted)))
    for word in fold(filters.q).split()[:8]:
        stmt = stmt.where(DirectoryService.search_text.like("% " + escape_like(word) + "%", escape="\\"))
    origin = referentials.get_commune(filters.commune) if filters.commune else None
    if origin is not None:
        places = [origin.insee_code, origin.department_code] + ([origin.epci_siren] if origin.epci_siren else [])
        stmt = stmt.where(or_(_contains(DirectoryService.reception_codes, rules.REMOTE),
                              and_(or_(*(_contains(DirectoryService.zone_codes, c) for c in places)))))
    rows = db.session.execute(stmt).all()
    communes = referentials.communes_by_codes({r.commune_code for r in rows if r.commune_code})
    ranked = []
    for row in rows:
        on_site = rules.ON_SITE in rules.split_codes(row.reception_codes)
        place = communes.get(row.commune_code)
        distance = None
        if origin is not None and on_site and place is not None and None not in (
                place.latitude, origin.latitude):
            distance = haversine_km(origin.latitude, origin.longitude, place.latitude, place.longitude)
        stale = row.stale_on < today
        ranked.append((stale, distance is None, distance or 0.0, fold(row.name), row.id, distance))
    ranked.sort()
    page = max(1, page)
    window = ranked[(page - 1) * per_page: page * per_page]
    loaded = {s.id: s for s in db.session.scalars(
        select(DirectoryService).where(DirectoryService.id.in_([r[4] for r in window]))
        .options(selectinload(DirectoryService.partner), selectinload(DirectoryService.commune)))}
    items = [Hit(service=loaded[r[4]], distance_km=r[5], stale=r[0],
                 remote=rules.REMOTE in loaded[r[4]].reception_modes) for r in window]
    return ResultPage(items=items, page=page, per_page=per_page, total=len(ranked), origin=origin)


def services_of_partner(user, partner_id: int) -> list[DirectoryService]:
    """An organisation's services as the user may see them (its own people and staff see drafts too)."""
    stmt = services_for(user).where(DirectoryService.partner_id == partner_id).order_by(DirectoryService.name)
    return list(db.session.scalars(stmt))


def published_service(service_id: int) -> DirectoryService | None:
    """A published service (open data), or None."""
    return db.session.scalar(select(DirectoryService).where(DirectoryService.id == service_id,
                                                            DirectoryService.status == "publie"))
