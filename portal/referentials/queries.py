"""Reads on reference data and the territory: lookups and accent-free autocompletes."""

import re

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import selectinload

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
from portal.text import escape_like, fold, is_digits

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


def communes_matching(text: str) -> list[Commune]:
    """Communes whose whole name is `text` (accents and case ignored) or, for five digits, that have this
    postal code: how an admin names a commune without the autocomplete."""
    term = _term(text)
    if not term:
        return []
    if is_digits(term) and len(term) == 5:
        condition = Commune.postal_codes.like("%" + term + "%")
    else:
        condition = Commune.search_text == " " + term
    return list(db.session.scalars(select(Commune).where(condition).order_by(Commune.insee_code).limit(20)))


def epcis_named(text: str) -> list[Epci]:
    """EPCI whose whole name is `text` (accents and case ignored)."""
    term = _term(text)
    if not term:
        return []
    return list(db.session.scalars(select(Epci).where(Epci.search_text == " " + term).limit(5)))


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


def _prefix(column, prefix: str):
    """`column` starts with `prefix` (folded text: letters, digits, spaces), in a form the database answers
    from an index: LIKE on PostgreSQL (text_pattern_ops index), a range on SQLite (binary collation)."""
    if db.engine.dialect.name == "postgresql":
        return column.like(escape_like(prefix) + "%", escape="\\")
    return and_(column >= prefix, column < prefix + "~")


def autocomplete_communes(q: str, limit: int = 10, territory_only: bool = False) -> list[tuple[Commune, bool]]:
    """Communes matching the term (name word prefix, postal code or INSEE code), territory first, then
    name starting with the term, then by population. Returns (commune, in_territory).

    Asked in steps so that the usual answer never scans the 35,000 communes: the territory's matches
    (a few dozen rows), then names starting with the term (index), and only when the list is still
    short, any word of the name (or a postal code) starting with the term."""
    term = _term(q)
    if not term:
        return []
    compact = term.replace(" ", "")
    if is_digits(compact) or (len(compact) == 5 and compact[:2] in ("2a", "2b")):
        code = compact.upper()
        steps = [_prefix(Commune.insee_code, code),
                 Commune.postal_codes.like("%" + escape_like(compact) + "%", escape="\\")]
        starts = Commune.insee_code.startswith(code)
    else:
        steps = [_prefix(Commune.search_text, " " + term), _word_match(Commune.search_text, term)]
        starts = _starts(Commune.search_text, term)
    by_rank = (case((starts, 0), else_=1), Commune.population.desc(), Commune.name)
    # the territory's codes first (a few dozen): the communes are then read by primary key
    codes = territory_codes()
    # the EPCI is loaded afterwards for the ten communes kept, not joined to every candidate before sorting
    territory = (select(Commune).options(selectinload(Commune.epci))
                 .where(Commune.insee_code.in_(codes), or_(*steps)).order_by(*by_rank).limit(limit))
    rows = [(c, True) for c in db.session.scalars(territory)] if codes else []
    if territory_only:
        return rows
    previous = []
    for condition in steps:
        if len(rows) >= limit:
            break
        stmt = (select(Commune).options(selectinload(Commune.epci))
                .where(condition, Commune.insee_code.not_in(codes), *[~p for p in previous])
                .order_by(Commune.population.desc(), Commune.name).limit(limit - len(rows)))
        rows.extend((c, False) for c in db.session.scalars(stmt))
        previous.append(condition)
    return rows


def autocomplete_epci(q: str, limit: int = 10) -> list[Epci]:
    term = _term(q)
    if not term:
        return []
    condition = Epci.siren.startswith(term) if is_digits(term) else _word_match(Epci.search_text, term)
    stmt = select(Epci).where(condition).order_by(Epci.name).limit(limit)
    return list(db.session.scalars(stmt))


def autocomplete_appellations(q: str, limit: int = 15) -> list[RomeAppellation]:
    """Appellations whose label has a word starting with the term, or of a ROME code; common ones first."""
    term = _term(q)
    if not term:
        return []
    compact = term.replace(" ", "").upper()
    if len(compact) == 5 and compact[0].isalpha() and is_digits(compact[1:]):
        condition = RomeAppellation.rome_code == compact
    else:
        condition = _word_match(RomeAppellation.search_text, term)
    stmt = (select(RomeAppellation).options(selectinload(RomeAppellation.rome)).where(condition)
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
    if is_digits(digits[:2]):
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


INSEE_CODE = re.compile(r"\d[\dAB]\d{3}")


def commune_named(name: str, postal_code: str | None = None, limit: int = 50) -> Commune | None:
    """The one commune with this name (accents and case ignored), or, when several share it, the one with this
    postal code; None when none or several match."""
    candidates = list(db.session.scalars(select(Commune).where(Commune.search_text == " " + fold(name)).limit(limit)))
    if postal_code:
        candidates = [c for c in candidates if postal_code in c.postal_codes.split()] or (
            [] if len(candidates) > 1 else candidates)
    return candidates[0] if len(candidates) == 1 else None


def commune_with_postal_code(postal_code: str) -> Commune | None:
    """The one commune with this postal code, or None when none or several have it."""
    candidates = list(db.session.scalars(select(Commune).where(
        Commune.postal_codes.like(f"%{postal_code}%")).limit(50)))
    return candidates[0] if len(candidates) == 1 else None


def commune_coded_or_named(text: str, postal_code: str | None = None) -> Commune | None:
    """A commune as a spreadsheet cell names it: its INSEE code, else its name (see `commune_named`)."""
    compact = text.replace(" ", "").upper()
    if INSEE_CODE.fullmatch(compact):
        return get_commune(compact)
    return commune_named(text, postal_code)
