"""Reads on reference data and the territory: lookups and accent-free autocompletes."""

from sqlalchemy import case, exists, or_, select

from portal.extensions import db
from portal.referentials.models import (
    Commune,
    Epci,
    NafCode,
    NafSection,
    RomeAppellation,
    RomeCode,
    TerritoryCommune,
)
from portal.text import escape_like, fold

MAX_TERM = 80


def _term(q: str | None) -> str:
    return fold((q or "")[:MAX_TERM * 2])[:MAX_TERM]


def get_commune(code: str) -> Commune | None:
    """A commune by INSEE code."""
    if not code or len(code) > 5:
        return None
    return db.session.get(Commune, code.upper())


def get_epci(siren: str) -> Epci | None:
    if not siren or len(siren) > 9:
        return None
    return db.session.get(Epci, siren)


def get_appellation(code: str) -> RomeAppellation | None:
    if not code or len(code) > 10:
        return None
    return db.session.get(RomeAppellation, code)


def get_rome(code: str) -> RomeCode | None:
    if not code or len(code) > 5:
        return None
    return db.session.get(RomeCode, code.upper())


def get_naf(code: str) -> NafCode | None:
    if not code or len(code) > 6:
        return None
    return db.session.get(NafCode, code.upper())


def territory_codes() -> set[str]:
    """INSEE codes of the territory's communes."""
    return set(db.session.scalars(select(TerritoryCommune.insee_code)))


def in_territory(code: str) -> bool:
    return db.session.get(TerritoryCommune, code) is not None


def territory_communes() -> list[Commune]:
    """The territory's communes with their EPCI, by EPCI then name."""
    stmt = (select(Commune).join(TerritoryCommune, TerritoryCommune.insee_code == Commune.insee_code)
            .outerjoin(Epci, Epci.siren == Commune.epci_siren)
            .order_by(Epci.name, Commune.name))
    return list(db.session.scalars(stmt).unique())


def _word_match(column, term: str):
    return column.like("% " + escape_like(term) + "%", escape="\\")


def _starts(column, term: str):
    return column.like(" " + escape_like(term) + "%", escape="\\")


def autocomplete_communes(q: str, limit: int = 10, territory_only: bool = False) -> list[tuple[Commune, bool]]:
    """Communes matching the term (name word prefix, postal code or INSEE code), territory first, then
    name starting with the term, then by population. Returns (commune, in_territory)."""
    term = _term(q)
    if not term:
        return []
    in_terr = exists().where(TerritoryCommune.insee_code == Commune.insee_code)
    compact = term.replace(" ", "")
    if compact.isdigit() or (len(compact) == 5 and compact[:2] in ("2a", "2b")):
        condition = or_(Commune.insee_code.startswith(compact.upper()),
                        Commune.postal_codes.like("%" + escape_like(compact) + "%", escape="\\"))
    else:
        condition = _word_match(Commune.search_text, term)
    stmt = (select(Commune, in_terr.label("in_territory"))
            .where(condition)
            .order_by(case((in_terr, 0), else_=1), case((_starts(Commune.search_text, term), 0), else_=1),
                      Commune.population.desc(), Commune.name)
            .limit(limit))
    if territory_only:
        stmt = stmt.where(in_terr)
    return [(row[0], bool(row[1])) for row in db.session.execute(stmt)]


def autocomplete_epci(q: str, limit: int = 10) -> list[Epci]:
    term = _term(q)
    if not term:
        return []
    condition = Epci.siren.startswith(term) if term.isdigit() else _word_match(Epci.search_text, term)
    stmt = select(Epci).where(condition).order_by(Epci.name).limit(limit)
    return list(db.session.scalars(stmt))


def autocomplete_appellations(q: str, limit: int = 15) -> list[RomeAppellation]:
    """Appellations whose label has a word starting with the term, or of a ROME code; common ones first."""
    term = _term(q)
    if not term:
        return []
    compact = term.replace(" ", "").upper()
    if len(compact) == 5 and compact[0].isalpha() and compact[1:].isdigit():
        condition = RomeAppellation.rome_code == compact
    else:
        condition = _word_match(RomeAppellation.search_text, term)
    stmt = (select(RomeAppellation).where(condition)
            .order_by(case((_starts(RomeAppellation.search_text, term), 0), else_=1),
                      RomeAppellation.rarely_used, RomeAppellation.is_main.desc(), RomeAppellation.label)
            .limit(limit))
    return list(db.session.scalars(stmt))


def autocomplete_rome(q: str, limit: int = 15) -> list[RomeCode]:
    term = _term(q)
    if not term:
        return []
    stmt = (select(RomeCode).where(_word_match(RomeCode.search_text, term))
            .order_by(case((_starts(RomeCode.search_text, term), 0), else_=1), RomeCode.code).limit(limit))
    return list(db.session.scalars(stmt))


def autocomplete_naf(q: str, limit: int = 15) -> list[NafCode]:
    """NAF sub-classes by code ("25.71", "2571") or label words."""
    term = _term(q)
    if not term:
        return []
    digits = term.replace(" ", "")
    if digits[:2].isdigit():
        code = (digits[:2] + "." + digits[2:]).upper() if len(digits) > 2 else digits
        condition = NafCode.code.startswith(code)
    else:
        condition = _word_match(NafCode.search_text, term)
    stmt = select(NafCode).where(condition).order_by(NafCode.code).limit(limit)
    return list(db.session.scalars(stmt))


def naf_sections() -> list:
    """All NAF sections (21 rows) for filters."""
    return list(db.session.scalars(select(NafSection).order_by(NafSection.code)))


def communes_by_codes(codes: set[str]) -> dict[str, Commune]:
    """Communes keyed by INSEE code, in one query."""
    if not codes:
        return {}
    return {c.insee_code: c for c in db.session.scalars(select(Commune).where(Commune.insee_code.in_(codes)))}
