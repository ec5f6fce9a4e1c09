"""Zones named as a person names them: communes, intercommunalités (EPCI) and départements by their names.

A zone is stored as COG codes (data·inclusion); people read and type names. Each place has one written
form that reads back to its code: « Thiers (63300) » for a commune (its name and first postal code),
the EPCI's name, « Puy-de-Dôme (département) ». Codes typed as before are still understood.
"""

import re
from dataclasses import dataclass
from functools import cache

import pycountry
from sqlalchemy import select

from portal.extensions import db
from portal.referentials import queries
from portal.referentials.models import Commune
from portal.text import fold

DEPARTMENT_SUFFIX = " (département)"
_SIREN = re.compile(r"^\d{9}$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.I)
_DEPARTMENT = re.compile(r"^(\d{2,3}|2[AB])$", re.I)
_COMMUNE_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<postal>\d{5})\)$")


@dataclass(frozen=True)
class Place:
    kind: str  # commune, epci, departement
    code: str
    label: str
    hint: str


@cache
def department_name(code: str) -> str:
    """« Puy-de-Dôme » for 63 (ISO 3166-2 names, through pycountry); « Département 63 » when unknown."""
    for iso in (f"FR-{code}", f"FR-{code}C", f"FR-{code}M"):
        subdivision = pycountry.subdivisions.get(code=iso)
        if subdivision is not None:
            return subdivision.name
    return f"Département {code}"


def _departments() -> list[tuple[str, str]]:
    codes = db.session.scalars(select(Commune.department_code).distinct()).all()
    return sorted((code, department_name(code)) for code in codes)


def place_label(code: str) -> str:
    """How a person reads one code of a zone."""
    code = code.upper()
    if _SIREN.match(code):
        epci = queries.get_epci(code)
        return epci.name if epci else code
    if _INSEE.match(code):
        commune = queries.get_commune(code)
        return commune.label if commune else code
    if _DEPARTMENT.match(code):
        return department_name(code) + DEPARTMENT_SUFFIX
    return code


def zone_text(codes: list[str]) -> str:
    """A zone as the text of its form field: labels separated by commas."""
    return ", ".join(place_label(code) for code in codes)


def autocomplete(q: str, limit: int = 10) -> list[Place]:
    """Départements, then EPCI, then communes whose name matches the term (territory's communes first)."""
    term = fold(q)
    if not term:
        return []
    places = [Place("departement", code, name + DEPARTMENT_SUFFIX, "département")
              for code, name in _departments() if fold(name).startswith(term) or code.lower() == term][:3]
    places += [Place("epci", e.siren, e.name, f"intercommunalité · {e.member_count} communes")
               for e in queries.autocomplete_epci(q, limit=4)]
    places += [Place("commune", c.insee_code, c.label,
                     "commune · " + (c.epci.name if c.epci else department_name(c.department_code))
                     + ("" if inside else " · hors territoire"))
               for c, inside in queries.autocomplete_communes(q, limit=limit)]
    return places[:limit]


def resolve(item: str) -> tuple[list[str], str | None]:
    """The code(s) of one typed item, or an error in French: a name, a commune label, or codes."""
    item = item.strip()
    words = item.split()
    if words and all(_SIREN.match(w) or _INSEE.match(w) or _DEPARTMENT.match(w) for w in words):
        return [w.upper() for w in words], None
    if item.endswith(DEPARTMENT_SUFFIX.strip()) or item.lower().endswith("(departement)"):
        item = item[: item.rindex("(")].strip()
        return _department(item)
    if match := _COMMUNE_LABEL.match(item):
        found = [c for c in queries.communes_matching(match["name"]) if match["postal"] in c.postal_codes.split()]
        if len(found) == 1:
            return [found[0].insee_code], None
        return [], f"« {item} » : aucune commune de ce nom avec ce code postal."
    epcis = queries.epcis_named(item)
    if len(epcis) == 1:
        return [epcis[0].siren], None
    codes, error = _department(item)
    if not error:
        return codes, None
    communes = queries.communes_matching(item)
    inside = [c for c in communes if queries.in_territory(c.insee_code)]
    if len(communes) == 1 or len(inside) == 1:
        return [(inside or communes)[0].insee_code], None
    if communes:
        return [], (f"« {item} » : plusieurs communes portent ce nom ; choisissez-la dans la liste ou ajoutez son "
                    f"code postal, par exemple « {communes[0].label} ».")
    return [], f"« {item} » : aucune commune, intercommunalité ou département de ce nom."


def _department(name: str) -> tuple[list[str], str | None]:
    wanted = fold(name)
    for code, label in _departments():
        if fold(label) == wanted:
            return [code], None
    return [], f"« {name} » : aucun département de ce nom."


def parse(text: str | None) -> tuple[list[str], list[str]]:
    """The codes of a zone typed as names separated by commas, semicolons or lines; and the errors."""
    codes: list[str] = []
    errors: list[str] = []
    for item in re.split(r"[,;\n]+", text or ""):
        if not item.strip():
            continue
        found, error = resolve(item)
        if error:
            errors.append(error)
        codes.extend(c for c in found if c not in codes)
    return codes, errors
