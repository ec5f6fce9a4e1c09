"""Pure rules about young people's profiles: no database, no Flask."""

from datetime import date

from portal.dates import age_on
from portal.referentials.vocabulary import EDUCATION_LEVELS

# rank used to compare a young person's level with an offer's requirement
EDUCATION_RANK = {code: rank for rank, code in enumerate(EDUCATION_LEVELS)}

MOBILITY_MODES = {
    "voiture": "Voiture personnelle",
    "deux_roues": "Deux-roues motorisé",
    "covoiturage": "Covoiturage ou proches",
    "transports": "Transports en commun",
    "velo": "Vélo",
    "a_pied": "À pied",
}
# Modes without a means of transport of one's own, with how far they realistically carry someone (km).
WITHOUT_TRANSPORT_LIMIT_KM = {"a_pied": 3, "velo": 10}

PROGRAMMES = {
    "aucun": "Aucun",
    "cej": "Contrat d'engagement jeune (CEJ)",
    "pacea": "PACEA",
}

SEXES = {
    "femme": "Femme",
    "homme": "Homme",
    "non_renseigne": "Non renseigné",
}

CONSENT_SCOPES = {
    "profil": "Profil sans coordonnées : prénom, initiale, âge, commune, métiers visés, disponibilité",
    "profil_coordonnees": "Profil et coordonnées : en plus, téléphone et adresse électronique",
}
# scopes under which the employer of a proposed offer also sees the phone and e-mail
SCOPES_WITH_CONTACT = {"profil_coordonnees"}

MAX_TARGETS = 3
MAX_COMMUTE_KM = 200


def is_minor(birth_date: date, today: date) -> bool:
    """Under 18 on `today`."""
    return age_on(birth_date, today) < 18


def birth_date_problem(birth_date: date, today: date) -> str | None:
    """French reason why a birth date is implausible for a Mission Locale's public, or None."""
    if birth_date >= today:
        return "La date de naissance doit être dans le passé."
    age = age_on(birth_date, today)
    if age < 14:
        return "La date de naissance donne moins de 14 ans : vérifiez-la."
    if age > 35:
        return "La date de naissance donne plus de 35 ans : vérifiez-la."
    return None


def display_initial(first_name: str, last_name: str) -> str:
    """What an employer sees of a name: "Léa M."."""
    initial = (last_name or "").strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()
