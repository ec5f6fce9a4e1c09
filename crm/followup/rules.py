"""Pure rules of post-hire follow-up: no database, no Flask.

Check-in schedules, French working days, date checks on hires and ruptures, and retention (still in
post at J+30, J+90, 6 months) computed from start and rupture dates.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.dates import add_working_days
from portal.text import is_digits

CONTRACT_TYPES = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "Intérim",
    "apprentissage": "Contrat d'apprentissage",
    "professionnalisation": "Contrat de professionnalisation",
    "contrat_aide": "Contrat aidé (PEC)",
    "saisonnier": "Contrat saisonnier",
}
# Contracts that always have a planned end (a CDI never has one; a contrat aidé may or may not).
FIXED_TERM = {"cdd", "interim", "apprentissage", "professionnalisation", "saisonnier"}

# Days after the start of the contract; admins change them per contract type (CheckInScheduleDefault).
DEFAULT_OFFSETS: dict[str, tuple[int, ...]] = {
    "cdi": (7, 30, 90),
    "cdd": (7, 30, 90),
    "interim": (7, 30, 90),
    "apprentissage": (7, 30, 90, 180),
    "professionnalisation": (7, 30, 90),
    "contrat_aide": (7, 30, 90),
    "saisonnier": (7, 30, 90),
}
MAX_OFFSET_DAYS = 730

SOURCES = {
    "positionnement": "Mise en relation",
    "pmsmp": "PMSMP",
    "saisie": "Saisie directe",
}

SITUATIONS = {
    "en_poste": "En poste",
    "difficulte": "Difficulté",
    "rupture": "Rupture",
}
SITUATION_TONES = {"en_poste": "success", "difficulte": "warning", "rupture": "danger"}

CHANNELS = {
    "telephone": "Téléphone",
    "visite": "Visite en entreprise",
    "entretien": "Entretien à la Mission Locale",
    "courriel": "Courriel",
    "sms": "SMS",
    "lien": "Réponses reçues par lien",
}

INITIATIVES = {
    "employeur": "À l'initiative de l'employeur",
    "jeune": "À l'initiative du ou de la jeune",
    "commun_accord": "D'un commun accord",
    "fin_periode_essai": "Fin de période d'essai",
}

RUPTURE_REASONS = {
    "inadaptation_poste": "Poste ou tâches inadaptés",
    "conditions_travail": "Conditions de travail (horaires, pénibilité)",
    "relations_equipe": "Relations avec l'encadrement ou l'équipe",
    "mobilite": "Mobilité, transport",
    "sante": "Santé",
    "situation_personnelle": "Situation personnelle ou familiale",
    "absences_retards": "Absences ou retards",
    "competences": "Compétences insuffisantes",
    "motif_economique": "Motif économique",
    "autre_emploi_formation": "Autre emploi ou entrée en formation",
    "autre": "Autre motif",
}

SATISFACTION = {
    "tres_satisfait": "Très satisfait",
    "satisfait": "Satisfait",
    "peu_satisfait": "Peu satisfait",
    "pas_satisfait": "Pas satisfait",
}

MEDIATION_KINDS = {
    "entretien_jeune": "Entretien avec le ou la jeune",
    "echange_employeur": "Échange avec l'employeur",
    "rencontre_tripartite": "Rencontre tripartite",
    "visite_entreprise": "Visite en entreprise",
    "orientation_partenaire": "Orientation vers un partenaire (mobilité, logement, santé...)",
    "autre": "Autre action",
}

EMPLOYER, YOUTH = "employeur", "jeune"
SIDES = {EMPLOYER: "Employeur", YOUTH: "Jeune"}

RETENTION_HORIZONS = {"j30": 30, "j90": 90, "m6": 182}

MEDIATION_DELAY_WORKING_DAYS = 2
LINK_REMINDER_DAYS = 5
LINK_MAX_AGE_DAYS = 21
MAX_HOURS_PER_WEEK = 48


# --- schedules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    due_on: date
    label: str


def parse_offsets(text: str) -> tuple[int, ...]:
    """ "7, 30, 90" -> (7, 30, 90); ValueError with a French message when a value is not a day count."""
    values: set[int] = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip().upper().removeprefix("J+").strip()
        if not part:
            continue
        if not is_digits(part):
            raise ValueError("Indiquez des nombres de jours séparés par des virgules (exemple : 7, 30, 90).")
        value = int(part)
        if not 1 <= value <= MAX_OFFSET_DAYS:
            raise ValueError(f"Chaque échéance doit être comprise entre 1 et {MAX_OFFSET_DAYS} jours.")
        values.add(value)
    if not values:
        raise ValueError("Indiquez au moins une échéance (exemple : 7, 30, 90).")
    return tuple(sorted(values))


def check_in_schedule(start_on: date, offsets: Iterable[int], *, trial_end_on: date | None = None,
                      end_on: date | None = None) -> list[Planned]:
    """The check-ins of a hire: start + each offset, plus the end of the trial period when given.

    Offsets falling after the planned end of the contract are dropped (the contract is over by then);
    a trial-end check-in on the same day as another one merges into it."""
    planned: dict[date, str] = {}
    for offset in sorted(set(offsets)):
        due = start_on + timedelta(days=offset)
        if end_on is not None and due > end_on:
            continue
        planned.setdefault(due, f"J+{offset}")
    if trial_end_on is not None and trial_end_on >= start_on and (end_on is None or trial_end_on <= end_on):
        label = "Fin de période d'essai"
        planned[trial_end_on] = f"{planned[trial_end_on]} · {label}" if trial_end_on in planned else label
    if not planned:
        # Very short contract: one check-in on its last day, so no hire goes unfollowed.
        planned[end_on or start_on] = "Fin de contrat"
    return [Planned(due, label) for due, label in sorted(planned.items())]


# --- working days -----------------------------------------------------------------------------------


def mediation_due_on(reported_on: date) -> date:
    """A reported difficulty is handled within two working days."""
    return add_working_days(reported_on, MEDIATION_DELAY_WORKING_DAYS)


# --- date checks ------------------------------------------------------------------------------------


def hire_problems(*, contract_type: str | None, start_on: date | None, end_on: date | None,
                  trial_end_on: date | None, hours_per_week: float | None = None) -> list[tuple[str, str]]:
    """(field, French message) for every inconsistency of a hire's contract details."""
    problems: list[tuple[str, str]] = []
    if contract_type not in CONTRACT_TYPES:
        problems.append(("contract_type", "Choisissez un type de contrat dans la liste."))
    if start_on is None:
        problems.append(("start_on", "Information obligatoire."))
        return problems
    if contract_type == "cdi" and end_on is not None:
        problems.append(("end_on", "Un CDI n'a pas de date de fin : laissez ce champ vide."))
    elif contract_type in FIXED_TERM and end_on is None:
        problems.append(("end_on", f"Indiquez la date de fin prévue du contrat ({CONTRACT_TYPES[contract_type]})."))
    if end_on is not None and end_on < start_on:
        problems.append(("end_on", "La date de fin doit être postérieure à la date de début."))
    if trial_end_on is not None:
        if trial_end_on < start_on:
            problems.append(("trial_end_on", "La fin de la période d'essai ne peut pas précéder le début du contrat."))
        elif end_on is not None and trial_end_on > end_on:
            problems.append(("trial_end_on", "La fin de la période d'essai doit tomber avant la fin du contrat."))
    if hours_per_week is not None and not 0 < hours_per_week <= MAX_HOURS_PER_WEEK:
        problems.append(("hours_per_week",
                         f"La durée hebdomadaire doit être comprise entre 1 et {MAX_HOURS_PER_WEEK} heures."))
    return problems


def rupture_problems(*, start_on: date, end_on: date | None, trial_end_on: date | None, ended_on: date | None,
                     initiative: str | None, reason: str | None, today: date) -> list[tuple[str, str]]:
    """(field, French message) for every inconsistency of a rupture."""
    problems: list[tuple[str, str]] = []
    if ended_on is None:
        problems.append(("ended_on", "Indiquez la date de la rupture."))
    else:
        if ended_on < start_on:
            problems.append(("ended_on", "La rupture ne peut pas précéder le début du contrat "
                                         f"({start_on:%d/%m/%Y})."))
        elif end_on is not None and ended_on > end_on:
            problems.append(("ended_on", f"Le contrat se terminait le {end_on:%d/%m/%Y} : une rupture ne peut "
                                         "pas être datée après."))
        elif ended_on > today:
            problems.append(("ended_on", "La date de rupture ne peut pas être dans le futur."))
    if initiative not in INITIATIVES:
        problems.append(("initiative", "Indiquez qui a mis fin au contrat."))
    elif initiative == "fin_periode_essai" and ended_on is not None:
        if trial_end_on is None:
            problems.append(("initiative", "Aucune période d'essai n'est renseignée pour ce contrat."))
        elif ended_on > trial_end_on:
            problems.append(("initiative", f"La période d'essai s'est terminée le {trial_end_on:%d/%m/%Y} : "
                                           "choisissez une autre initiative."))
    if reason not in RUPTURE_REASONS:
        problems.append(("reason", "Choisissez le motif de la rupture dans la liste."))
    return problems


# --- states and retention ---------------------------------------------------------------------------


def hire_state(*, start_on: date, end_on: date | None, ended_on: date | None, today: date) -> str:
    """a_venir, en_cours, terminee (reached its planned end) or rompue."""
    if ended_on is not None:
        return "rompue"
    if start_on > today:
        return "a_venir"
    if end_on is not None and end_on < today:
        return "terminee"
    return "en_cours"


HIRE_STATES = {"a_venir": "À venir", "en_cours": "En cours", "terminee": "Terminée", "rompue": "Rompue"}
HIRE_STATE_TONES = {"a_venir": "info", "en_cours": "success", "terminee": "neutral", "rompue": "danger"}


def check_in_state(*, due_on: date, done: bool, today: date, cancelled: bool = False) -> str:
    """fait, annule (the contract ended first), en_retard, a_faire (due today or within a week) or a_venir."""
    if done:
        return "fait"
    if cancelled:
        return "annule"
    if due_on < today:
        return "en_retard"
    if due_on <= today + timedelta(days=7):
        return "a_faire"
    return "a_venir"


CHECK_IN_STATES = {"fait": "Fait", "annule": "Annulé", "en_retard": "En retard", "a_faire": "À faire",
                   "a_venir": "À venir"}
CHECK_IN_STATE_TONES = {"fait": "success", "annule": "neutral", "en_retard": "danger", "a_faire": "warning",
                        "a_venir": "neutral"}


def rupture_cancel_reason(ended_on: date) -> str:
    """Why a check-in due after a rupture will not take place (shown beside it)."""
    return f"Contrat rompu le {ended_on:%d/%m/%Y}"
