"""What a signatory of a PMSMP convention commits to, as pure functions: no database, no Flask.

The content's canonical form and hash (kept with each signature), and which changes clear the signatures
(substantive) or keep them (cosmetic: contacts, a name spelt better).
"""

import difflib
import hashlib
import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from portal.text import fold

# what a signatory commits to: a change here clears the signatures
SUBSTANTIVE_FIELDS = (
    "youth_id", "company_id", "counsellor_id", "objective", "appellation_code", "activities", "skills", "start_date", "end_date", "schedule",
    "place_address", "place_commune_code", "work_conditions", "protection", "insurer", "insurance_policy",
    "accident_declarer", "renewal_of_id",
)
# names: a spelling fix keeps the signatures, another person does not
NAME_FIELDS = ("tutor_name", "representatives_names")
# corrections that never change what was agreed; a party's corrected e-mail keeps every signature and sends
# that party, when it has not signed yet, a new link to the new address (crm.pmsmp.corrections)
CONTACT_FIELDS = ("youth_email", "tutor_email", "representatives_emails", "youth_phone", "tutor_phone",
                  "representatives_phones")
COSMETIC_FIELDS = (*CONTACT_FIELDS, "tutor_job", "representatives_links")

FIELD_LABELS = {
    "youth_id": "bénéficiaire", "youth_email": "courriel du ou de la jeune", "company_id": "structure d'accueil",
    "counsellor_id": "conseiller prescripteur", "tutor_email": "courriel du tuteur",
    "representatives_emails": "courriel d'un représentant légal", "objective": "objectif",
    "appellation_code": "métier", "activities": "activités", "skills": "compétences", "start_date": "date de début",
    "end_date": "date de fin", "schedule": "emploi du temps", "place_address": "lieu", "place_commune_code": "lieu",
    "work_conditions": "conditions de travail", "protection": "protection et prévention", "insurer": "assurance",
    "insurance_policy": "assurance", "accident_declarer": "déclaration d'accident", "renewal_of_id": "renouvellement",
    "tutor_name": "nom du tuteur", "representatives_names": "nom d'un représentant légal",
    "tutor_phone": "téléphone du tuteur", "tutor_job": "fonction du tuteur", "youth_phone": "téléphone du ou de la jeune",
    "representatives_phones": "téléphone d'un représentant légal",
    "representatives_links": "lien de parenté d'un représentant légal",
}


def canonical(content: dict) -> str:
    """Canonical JSON: sorted keys, no spaces, dates and times as ISO strings."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)


def _iso(value):
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"valeur non sérialisable : {value!r}")


def content_hash(content: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of the convention's content."""
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def is_spelling_fix(before: str | None, after: str | None) -> bool:
    """Same person, name spelt better: same words once folded, or a close edit (ratio >= 0.8)."""
    a, b = fold(before), fold(after)
    if a == b:
        return True
    return bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class Changes:
    substantive: tuple[str, ...]
    cosmetic: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.substantive or self.cosmetic)

    def labels(self, which: str = "substantive") -> str:
        names = dict.fromkeys(FIELD_LABELS.get(f, f) for f in getattr(self, which))
        return ", ".join(names)


def classify_changes(before: dict, after: dict) -> Changes:
    """Split the fields that differ into substantive (signatures cleared) and cosmetic (kept)."""
    substantive, cosmetic = [], []
    for name in SUBSTANTIVE_FIELDS:
        if canonical(before.get(name)) != canonical(after.get(name)):
            substantive.append(name)
    for name in NAME_FIELDS:
        old, new = before.get(name), after.get(name)
        if canonical(old) == canonical(new):
            continue
        olds, news = (old, new) if isinstance(old, list) else ([old], [new])
        if len(olds or []) != len(news or []) or not all(
                is_spelling_fix(o, n) for o, n in zip(olds or [], news or [], strict=False)):
            substantive.append(name)
        else:
            cosmetic.append(name)
    for name in COSMETIC_FIELDS:
        if canonical(before.get(name)) != canonical(after.get(name)):
            cosmetic.append(name)
    return Changes(tuple(substantive), tuple(cosmetic))
