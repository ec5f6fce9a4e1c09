"""Pure rules of the directory: data·inclusion vocabularies, freshness, review, zones. No database, no Flask."""

import re
from datetime import date, timedelta

from data_inclusion.schema import v1

# The vocabularies come from the data·inclusion schema package, never copied by hand.
CATEGORIES = {c.value: c.label for c in v1.Categorie}
THEMATIQUES = {t.value: t.label for t in v1.Thematique}
PUBLICS = {p.value: p.label for p in v1.Public}
TYPES = {t.value: t.label for t in v1.TypeService}
FEES = {f.value: f.label for f in v1.Frais}
RECEPTION_MODES = {m.value: m.label for m in v1.ModeAccueil}
MOBILISATION_MODES = {m.value: m.label for m in v1.ModeMobilisation}
MOBILISABLE_BY = {p.value: p.label for p in v1.PersonneMobilisatrice}
REMOTE = v1.ModeAccueil.A_DISTANCE.value
ON_SITE = v1.ModeAccueil.EN_PRESENTIEL.value
ALL_PUBLICS = v1.Public.TOUS_PUBLICS.value

UPDATE_FREQUENCIES = {
    "mensuelle": ("Tous les mois", 31),
    "trimestrielle": ("Tous les trimestres", 92),
    "semestrielle": ("Tous les six mois", 183),
    "annuelle": ("Tous les ans", 366),
}

# A partner's change of one of these fields is reviewed by a counsellor before it shows; the others
# (how to reach the service, its hours) are practical details the owner keeps up to date at once.
SUBSTANTIAL_FIELDS = (
    "name", "description", "thematiques_codes", "publics_codes", "publics_details", "access_conditions",
    "service_type", "fees", "fees_details", "reception_codes", "zone_codes", "address", "postal_code",
    "commune_code", "mobilisation_codes", "mobilisable_by_codes", "mobilisation_details", "mobilisation_url",
)
PRACTICAL_FIELDS = ("contact_name", "phone", "email", "opening_hours", "update_frequency")
EDITABLE_FIELDS = SUBSTANTIAL_FIELDS + PRACTICAL_FIELDS

_SIREN = re.compile(r"^\d{9}$")
_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_DEPARTMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")


def join_codes(codes) -> str:
    """Codes stored as " a b " (sorted, unique) so that `LIKE '% a %'` finds one of them."""
    unique = sorted({c.strip() for c in codes if c and c.strip()})
    return " " + " ".join(unique) + " " if unique else ""


def split_codes(value: str | None) -> list[str]:
    return (value or "").split()


def stale_on(updated_on: date, frequency: str) -> date:
    """The day after which a service not updated is considered stale."""
    return updated_on + timedelta(days=UPDATE_FREQUENCIES.get(frequency, UPDATE_FREQUENCIES["semestrielle"])[1])


def zone_code_kind(code: str) -> str | None:
    """The kind of a COG code by its shape: commune, epci, departement; None when it has none of them."""
    if _SIREN.match(code):
        return "epci"
    if _COMMUNE.match(code):
        return "commune"
    if _DEPARTMENT.match(code):
        return "departement"
    return None


def changed_fields(current: dict, proposed: dict) -> dict:
    """The proposed values that differ from the current ones."""
    return {k: v for k, v in proposed.items() if (current.get(k) or None) != (v or None)}


def split_change(changes: dict) -> tuple[dict, dict]:
    """(substantial, practical) parts of a change."""
    substantial = {k: v for k, v in changes.items() if k in SUBSTANTIAL_FIELDS}
    practical = {k: v for k, v in changes.items() if k not in SUBSTANTIAL_FIELDS}
    return substantial, practical


def publics_problem(publics: list[str]) -> str | None:
    if ALL_PUBLICS in publics and len(publics) > 1:
        return "« Tous publics » ne peut pas être combiné avec d'autres publics."
    return None

FIELD_LABELS = {
    "name": "Nom", "description": "Description", "thematiques_codes": "Thématiques", "publics_codes": "Publics",
    "publics_details": "Précisions sur les publics", "access_conditions": "Conditions d'accès",
    "service_type": "Type", "fees": "Frais", "fees_details": "Précisions sur les frais",
    "reception_codes": "Modes d'accueil", "zone_codes": "Zone d'éligibilité", "address": "Adresse",
    "postal_code": "Code postal", "commune_code": "Commune", "mobilisation_codes": "Modes de mobilisation",
    "mobilisable_by_codes": "Mobilisable par", "mobilisation_details": "Précisions sur la mobilisation",
    "mobilisation_url": "Lien de mobilisation", "contact_name": "Contact", "phone": "Téléphone",
    "email": "Courriel", "opening_hours": "Horaires", "update_frequency": "Fréquence de mise à jour",
}
