"""Changes to the territory (audited)."""

from sqlalchemy import delete, select

from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.referentials import queries
from portal.referentials.models import Commune, Epci, TerritoryCommune
from portal.referentials.rules import haversine_km

# DESIGN.md §3: the demo territory around Thiers.
THIERS = "63430"
DEFAULT_TERRITORY = (
    ("200070712", None),  # CC Thiers Dore et Montagne, in full
    ("246301097", 10),  # CC Entre Dore et Allier, the 10 communes nearest to Thiers
    ("200071199", 5),  # CC Plaine Limagne, the 5 nearest to Thiers
)


def find_commune(text: str) -> Commune:
    """The commune an admin designated by INSEE code, exact name or postal code (DomainError otherwise)."""
    text = (text or "").strip()
    commune = queries.get_commune(text)
    if commune is not None:
        return commune
    matches = queries.communes_matching(text)
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f"{c.name} ({c.insee_code})" for c in matches[:5])
        raise DomainError(f"Plusieurs communes correspondent ({names}) : choisissez-la dans la liste proposée "
                          "ou donnez son code INSEE.", field="commune")
    raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="commune")


def find_epci(text: str) -> Epci:
    """The EPCI an admin designated by SIREN or exact name (DomainError otherwise)."""
    text = (text or "").strip()
    epci = queries.get_epci(text)
    if epci is None:
        named = queries.epcis_named(text)
        epci = named[0] if len(named) == 1 else None
    if epci is None:
        raise DomainError("Intercommunalité inconnue : choisissez-la dans la liste proposée.", field="epci")
    return epci


def add_commune(actor, code: str) -> Commune:
    """Add one commune of France to the territory (by INSEE code, exact name or postal code)."""
    commune = find_commune(code)
    if queries.in_territory(commune.insee_code):
        raise DomainError(f"{commune.name} fait déjà partie du territoire.", field="commune")
    db.session.add(TerritoryCommune(insee_code=commune.insee_code))
    record(actor, "territory.add_commune", commune, object_id=commune.insee_code,
           summary=f"Commune ajoutée au territoire : {commune.name} ({commune.insee_code})")
    return commune


def remove_commune(actor, code: str) -> Commune:
    """Remove one commune from the territory."""
    commune = queries.get_commune(code)
    if commune is None or not queries.in_territory(commune.insee_code):
        raise DomainError("Cette commune ne fait pas partie du territoire.", field="commune")
    db.session.execute(delete(TerritoryCommune).where(TerritoryCommune.insee_code == commune.insee_code))
    record(actor, "territory.remove_commune", commune, object_id=commune.insee_code,
           summary=f"Commune retirée du territoire : {commune.name} ({commune.insee_code})")
    return commune


def add_epci(actor, siren: str) -> int:
    """Add every commune of an EPCI (by SIREN or exact name); returns how many were added."""
    epci = find_epci(siren)
    present = queries.territory_codes()
    codes = [c for c in db.session.scalars(select(Commune.insee_code).where(Commune.epci_siren == epci.siren))
             if c not in present]
    if not codes:
        raise DomainError(f"Toutes les communes de {epci.name} font déjà partie du territoire.", field="epci")
    db.session.add_all(TerritoryCommune(insee_code=c) for c in codes)
    record(actor, "territory.add_epci", epci, object_id=epci.siren,
           summary=f"{len(codes)} commune(s) de {epci.name} ajoutée(s) au territoire")
    return len(codes)


def remove_epci(actor, siren: str) -> int:
    """Remove every commune of an EPCI from the territory; returns how many were removed."""
    epci = queries.get_epci(siren)
    if epci is None:
        raise DomainError("Intercommunalité inconnue.", field="epci")
    codes = select(Commune.insee_code).where(Commune.epci_siren == epci.siren)
    result = db.session.execute(delete(TerritoryCommune).where(TerritoryCommune.insee_code.in_(codes)))
    if not result.rowcount:
        raise DomainError(f"Aucune commune de {epci.name} ne fait partie du territoire.", field="epci")
    record(actor, "territory.remove_epci", epci, object_id=epci.siren,
           summary=f"{result.rowcount} commune(s) de {epci.name} retirée(s) du territoire")
    return result.rowcount


def default_territory_codes() -> list[str]:
    """The 45 communes of the demo territory (DESIGN.md §3), nearest to Thiers first within each EPCI."""
    thiers = db.session.get(Commune, THIERS)
    if thiers is None:
        raise DomainError("Les données de référence ne sont pas chargées (flask referentials load).")
    codes: list[str] = []
    for siren, count in DEFAULT_TERRITORY:
        members = list(db.session.scalars(select(Commune).where(Commune.epci_siren == siren)))
        members.sort(key=lambda c: haversine_km(thiers.latitude, thiers.longitude, c.latitude, c.longitude)
                     if c.latitude is not None else 1e9)
        codes.extend(c.insee_code for c in (members if count is None else members[:count]))
    return codes


def ensure_default_territory() -> int:
    """Set the default territory when the territory is empty; returns how many communes were added."""
    if queries.territory_codes():
        return 0
    codes = default_territory_codes()
    db.session.add_all(TerritoryCommune(insee_code=c) for c in codes)
    db.session.flush()
    record(None, "territory.init", None, object_type="Territory",
           summary=f"Territoire par défaut : {len(codes)} communes", actor_label="système")
    return len(codes)
