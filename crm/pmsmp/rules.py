"""PMSMP rules as pure functions: no database, no Flask.

Every rule carries its legal reference and the date it applies from (`LEGAL_RULES`, shown to staff on
the rules page). A check returns a list of `Problem`s: `blocking` ones refuse the convention, the
others are warnings shown with their figures.
"""

import difflib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from portal.dates import add_working_days, age_on, holiday_name
from portal.text import fold

# --- vocabulary -------------------------------------------------------------------------------

OBJECTIVES = {
    "decouvrir": "Découvrir un métier ou un secteur d'activité",
    "confirmer": "Confirmer un projet professionnel",
    "recruter": "Initier une démarche de recrutement",
}

ACCIDENT_DECLARERS = {
    "prescripteur": "L'organisme prescripteur (Mission Locale), informé par la structure d'accueil sous 24 heures",
    "structure_accueil": "La structure d'accueil",
}

WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")

# signatory roles, in signing order on the document
YOUTH, LEGAL_REP_1, LEGAL_REP_2, HOST = "beneficiaire", "representant_1", "representant_2", "structure_accueil"
SIGNATORY_ROLES = {
    YOUTH: "Bénéficiaire",
    LEGAL_REP_1: "Représentant légal",
    LEGAL_REP_2: "Second représentant légal",
    HOST: "Structure d'accueil (tuteur)",
}
ASSESSMENT_ROLE = "bilan"

ASSESSMENT_OUTCOMES = {
    "complete": "Réalisée en totalité",
    "partielle": "Réalisée en partie",
    "absence": "Ne s'est pas présenté·e",
}
CANCELLED_BY = {"jeune": "Le jeune", "structure_accueil": "La structure d'accueil", "mission_locale": "La Mission Locale"}
# the same codes as the follow-up capability's hires
CONTRACT_TYPES = {
    "cdi": "CDI", "cdd": "CDD", "interim": "Intérim", "apprentissage": "Contrat d'apprentissage",
    "professionnalisation": "Contrat de professionnalisation", "contrat_aide": "Contrat aidé (PEC)",
    "saisonnier": "Contrat saisonnier",
}
OPEN_ENDED = frozenset({"cdi"})
FILLED_BY = {"tuteur": "Tuteur (lien personnel)", "employeur": "Employeur (compte)", "conseiller": "Conseiller·ère"}

# --- status machine ---------------------------------------------------------------------------

DRAFT, TO_SIGN, PARTLY_SIGNED, TO_VALIDATE = "brouillon", "a_signer", "signee_partiellement", "a_valider"
VALIDATED, FINISHED, CANCELLED, REFUSED, LAPSED = "validee", "terminee", "annulee", "refusee", "caduque"

STATUSES = {
    DRAFT: "Brouillon",
    TO_SIGN: "À signer",
    PARTLY_SIGNED: "Signée partiellement",
    TO_VALIDATE: "À valider",
    VALIDATED: "Validée",
    FINISHED: "Terminée",
    CANCELLED: "Annulée",
    REFUSED: "Refusée",
    LAPSED: "Caduque",
}
STATUS_TONES = {
    DRAFT: "neutral", TO_SIGN: "info", PARTLY_SIGNED: "info", TO_VALIDATE: "warning", VALIDATED: "success",
    FINISHED: "success", CANCELLED: "danger", REFUSED: "danger", LAPSED: "danger",
}

# from -> allowed targets. Going back to TO_SIGN from a signing state happens when a substantive
# change clears the signatures.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({TO_SIGN, REFUSED, LAPSED}),
    TO_SIGN: frozenset({PARTLY_SIGNED, TO_VALIDATE, REFUSED, LAPSED}),
    PARTLY_SIGNED: frozenset({TO_SIGN, TO_VALIDATE, REFUSED, LAPSED}),
    TO_VALIDATE: frozenset({TO_SIGN, VALIDATED, REFUSED, LAPSED}),
    VALIDATED: frozenset({FINISHED, CANCELLED}),
    FINISHED: frozenset(),
    CANCELLED: frozenset(),
    REFUSED: frozenset(),
    LAPSED: frozenset(),
}
EDITABLE = frozenset({DRAFT, TO_SIGN, PARTLY_SIGNED, TO_VALIDATE})
SIGNING = frozenset({TO_SIGN, PARTLY_SIGNED})
OPEN = frozenset({DRAFT, TO_SIGN, PARTLY_SIGNED, TO_VALIDATE, VALIDATED})  # count for duplicates and totals
COUNTED = frozenset({TO_SIGN, PARTLY_SIGNED, TO_VALIDATE, VALIDATED, FINISHED})  # days in the 12-month total


def can_transition(current: str, target: str) -> bool:
    """True when the status machine allows `current -> target`."""
    return target in TRANSITIONS.get(current, frozenset())


def signing_status(required: int, signed: int) -> str:
    """The status a convention in signature has once `signed` of `required` signatories signed."""
    if signed <= 0:
        return TO_SIGN
    return TO_VALIDATE if signed >= required else PARTLY_SIGNED


# --- legal references -------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalRule:
    code: str
    title: str
    reference: str
    applies_from: date
    blocking: bool
    explanation: str


LEGAL_RULES: dict[str, LegalRule] = {r.code: r for r in (
    LegalRule("duree_max", "Une période dure au plus un mois (30 jours calendaires)",
              "Code du travail, art. D. 5135-3 (décret n° 2014-1360 du 13 novembre 2014)", date(2014, 11, 16), True,
              "La durée d'une période ne peut excéder un mois, que la présence soit continue ou discontinue."),
    LegalRule("renouvellement", "Renouvellement une seule fois, pour le même objectif, justifié",
              "Code du travail, art. D. 5135-3", date(2014, 11, 16), True,
              "Une période peut être renouvelée une fois, pour le même objet, si les objectifs n'ont pas été "
              "atteints : la justification est obligatoire et un second renouvellement est refusé."),
    LegalRule("cumul_12_mois", "Total sur 12 mois glissants : 60 jours au plus",
              "Code du travail, art. D. 5135-3", date(2014, 11, 16), False,
              "Une période d'un mois renouvelée une fois : au-delà de 60 jours calendaires de PMSMP sur les "
              "12 derniers mois, la convention est signalée avec le décompte."),
    LegalRule("age_min", "16 ans au moins au premier jour",
              "Code du travail, art. L. 4153-1 ; Code de l'éducation, art. L. 131-1", date(2008, 5, 1), True,
              "Les moins de 16 ans ne peuvent être accueillis en PMSMP (obligation scolaire)."),
    LegalRule("representant_legal", "Mineur : un représentant légal au moins signe la convention",
              "Code civil, art. 388-1-1", date(2016, 1, 1), True,
              "Un jeune de moins de 18 ans au premier jour est représenté par son représentant légal, qui signe "
              "avec lui."),
    LegalRule("hebdo_48h", "48 heures au plus sur une même semaine",
              "Code du travail, art. L. 3121-20", date(2016, 8, 10), True,
              "La durée hebdomadaire du travail ne peut dépasser 48 heures sur une même semaine."),
    LegalRule("mineur_duree", "Mineur : 8 heures par jour et 35 heures par semaine au plus",
              "Code du travail, art. L. 3162-1", date(2008, 5, 1), True,
              "Un jeune de moins de 18 ans ne peut être présent plus de 8 heures par jour ni plus de 35 heures "
              "par semaine."),
    LegalRule("mineur_nuit", "Mineur : aucune présence entre 22 h et 6 h",
              "Code du travail, art. L. 3163-1 et L. 3163-2", date(2008, 5, 1), True,
              "Le travail de nuit est interdit aux jeunes de 16 à 18 ans entre 22 heures et 6 heures."),
    LegalRule("mineur_repos_quotidien", "Mineur : 12 heures consécutives de repos quotidien",
              "Code du travail, art. L. 3164-1", date(2008, 5, 1), True,
              "Entre deux journées, et sur chaque journée, au moins 12 heures consécutives de repos."),
    LegalRule("mineur_repos_hebdo", "Mineur : deux jours consécutifs de repos par semaine",
              "Code du travail, art. L. 3164-2", date(2008, 5, 1), True,
              "L'emploi du temps d'un mineur laisse deux jours consécutifs sans présence chaque semaine."),
    LegalRule("dimanche_ferie", "Dimanches et jours fériés signalés",
              "Code du travail, art. L. 3132-3 et L. 3133-1 ; mineurs : art. L. 3164-5 et L. 3164-6",
              date(2008, 5, 1), False,
              "Une présence un dimanche ou un jour férié est signalée (interdite pour un mineur hors dérogation)."),
    LegalRule("plages", "Plages horaires cohérentes",
              "Règle Maillage (emploi du temps de la convention, Cerfa 13912)", date(2026, 1, 1), True,
              "Une plage finit après son début, et deux plages d'une même journée ne se chevauchent pas."),
    LegalRule("dates", "Dates cohérentes, pas de début dans le passé",
              "Règle Maillage", date(2026, 1, 1), True,
              "La fin ne précède pas le début ; une nouvelle convention ne commence pas dans le passé."),
    LegalRule("courriels", "Une adresse électronique différente par signataire",
              "Règle Maillage (preuve de signature, règlement eIDAS art. 26)", date(2026, 1, 1), True,
              "Chaque lien de signature est personnel : deux signataires ne partagent pas une adresse."),
    LegalRule("doublon", "Pas deux conventions du même jeune dans la même entreprise aux mêmes dates",
              "Règle Maillage", date(2026, 1, 1), True,
              "Une convention qui chevauche une autre du même jeune dans la même entreprise est un doublon."),
)}


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    field: str | None = None

    @property
    def blocking(self) -> bool:
        return LEGAL_RULES[self.rule].blocking

    @property
    def reference(self) -> str:
        return LEGAL_RULES[self.rule].reference


def blocking(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if not p.blocking]


# --- calendar ---------------------------------------------------------------------------------

MAX_DAYS = 30
ROLLING_LIMIT_DAYS = 60
MIN_AGE = 16
ADULT_AGE = 18
LAPSE_AFTER_DAYS = 30


def days_between(start: date, end: date) -> int:
    """Calendar days from start to end, both included."""
    return (end - start).days + 1


def is_minor_at(birth: date, day: date) -> bool:
    return age_on(birth, day) < ADULT_AGE


# --- schedule ---------------------------------------------------------------------------------


DAY_MINUTES = 24 * 60
NIGHT_ENDS, NIGHT_STARTS = 6 * 60, 22 * 60
MAX_OVERNIGHT_MINUTES = 12 * 60


@dataclass(frozen=True)
class Period:
    """One period of presence starting on a weekday (0 = Monday) of the weekly schedule. A period that ends
    at or before its start time runs overnight and ends the next day (22:00–06:00)."""

    weekday: int
    starts: time
    ends: time

    @property
    def overnight(self) -> bool:
        return _minutes(self.ends) < _minutes(self.starts)

    @property
    def minutes(self) -> int:
        return (_minutes(self.ends) - _minutes(self.starts)) % DAY_MINUTES

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def label(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}" + (" (le lendemain)" if self.overnight else "")

    def segments(self) -> list[tuple[int, int, int]]:
        """(weekday, start minute, end minute) of the period on each calendar day it covers."""
        start = _minutes(self.starts)
        if not self.overnight:
            return [(self.weekday, start, start + self.minutes)]
        after = _minutes(self.ends)
        return [(self.weekday, start, DAY_MINUTES)] + ([((self.weekday + 1) % 7, 0, after)] if after else [])


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def segments_by_day(periods: Sequence[Period]) -> dict[int, list[tuple[int, int, Period]]]:
    """Each calendar weekday's (start minute, end minute, period) presences, in order: an overnight period is
    split at midnight between its two days."""
    days: dict[int, list[tuple[int, int, Period]]] = {d: [] for d in range(7)}
    for p in periods:
        for day, start, end in p.segments():
            days[day].append((start, end, p))
    for d in days:
        days[d].sort(key=lambda seg: (seg[0], seg[1]))
    return days


def _hours_fr(value: float) -> str:
    whole, minutes = int(value), round((value - int(value)) * 60)
    return f"{whole} h {minutes:02d}" if minutes else f"{whole} h"


def by_day(periods: Sequence[Period]) -> dict[int, list[Period]]:
    days: dict[int, list[Period]] = {d: [] for d in range(7)}
    for p in periods:
        days[p.weekday].append(p)
    for d in days:
        days[d].sort(key=lambda p: p.starts)
    return days


def daily_hours(periods: Sequence[Period]) -> dict[int, float]:
    """Hours of presence on each calendar weekday (an overnight period counts on both of its days)."""
    return {d: sum(end - start for start, end, _ in segs) / 60 for d, segs in segments_by_day(periods).items()}


def weekly_hours(periods: Sequence[Period]) -> float:
    return sum(p.hours for p in periods)


def check_periods(periods: Sequence[Period]) -> list[Problem]:
    """Each period lasts (one ending before it starts runs overnight); periods do not overlap, an overnight one
    included on the next morning."""
    problems = []
    for p in periods:
        if p.minutes == 0:
            problems.append(Problem("plages", f"{WEEKDAYS[p.weekday]} : la plage {p.label} commence et se termine "
                                              "à la même heure.", "schedule"))
        elif p.overnight and p.minutes > MAX_OVERNIGHT_MINUTES:
            # most likely typed the wrong way round (17:00–09:00 for 09:00–17:00)
            problems.append(Problem("plages", f"{WEEKDAYS[p.weekday]} : la plage {p.label} passe minuit et dure "
                                              f"{_hours_fr(p.hours)} ; une plage de nuit dure 12 h au plus : "
                                              "vérifiez le début et la fin.", "schedule"))
    for day, segs in segments_by_day([p for p in periods if p.minutes]).items():
        for (_, first_end, first), (second_start, _, second) in zip(segs, segs[1:], strict=False):
            if second_start < first_end:
                problems.append(Problem("plages", f"{WEEKDAYS[day]} : les plages {first.label} et {second.label} "
                                                  "se chevauchent.", "schedule"))
    return problems


def check_weekly_limit(periods: Sequence[Period]) -> list[Problem]:
    total = weekly_hours(periods)
    if total > 48:
        return [Problem("hebdo_48h", f"L'emploi du temps totalise {_hours_fr(total)} par semaine : 48 h au plus "
                                     "(art. L. 3121-20).", "schedule")]
    return []


def check_minor_schedule(periods: Sequence[Period]) -> list[Problem]:
    """Daily and weekly limits, night work and rest for a young person under 18 at the start."""
    problems = []
    for day, hours in daily_hours(periods).items():
        if hours > 8:
            problems.append(Problem("mineur_duree", f"{WEEKDAYS[day]} : {_hours_fr(hours)} de présence, un mineur "
                                                    "est limité à 8 h par jour (art. L. 3162-1).", "schedule"))
    total = weekly_hours(periods)
    if total > 35:
        problems.append(Problem("mineur_duree", f"L'emploi du temps totalise {_hours_fr(total)} par semaine, un "
                                                "mineur est limité à 35 h (art. L. 3162-1).", "schedule"))
    for p in periods:
        if any(start < NIGHT_ENDS or end > NIGHT_STARTS for _, start, end in p.segments()):
            problems.append(Problem("mineur_nuit", f"{WEEKDAYS[p.weekday]} : la plage {p.label} empiète sur la nuit ; "
                                                   "un mineur ne peut être présent entre 22 h et 6 h "
                                                   "(art. L. 3163-1).", "schedule"))
    problems.extend(_minor_daily_rest(periods))
    days = segments_by_day(periods)
    worked = [bool(days[d]) for d in range(7)]
    if not any(not worked[d] and not worked[(d + 1) % 7] for d in range(7)):
        problems.append(Problem("mineur_repos_hebdo", "Un mineur doit avoir deux jours consécutifs sans présence "
                                                      "chaque semaine (art. L. 3164-2).", "schedule"))
    return problems


def _minor_daily_rest(periods: Sequence[Period]) -> list[Problem]:
    problems = []
    days = segments_by_day(periods)
    for day in range(7):
        if not days[day]:
            continue
        first, last = days[day][0][0], max(end for _, end, _ in days[day])
        if last - first > 12 * 60:
            problems.append(Problem("mineur_repos_quotidien", f"{WEEKDAYS[day]} : la journée s'étend sur plus de "
                                    "12 heures ; un mineur a droit à 12 heures consécutives de repos "
                                    "(art. L. 3164-1).", "schedule"))
            continue
        nxt = days[(day + 1) % 7]
        if nxt:
            rest = DAY_MINUTES - last + nxt[0][0]
            if rest < 12 * 60:
                problems.append(Problem("mineur_repos_quotidien",
                                        f"Entre {WEEKDAYS[day].lower()} et {WEEKDAYS[(day + 1) % 7].lower()}, "
                                        f"{_hours_fr(rest / 60)} de repos seulement : 12 heures consécutives au "
                                        "moins pour un mineur (art. L. 3164-1).", "schedule"))
    return problems


def worked_dates(start: date, end: date, periods: Sequence[Period]) -> list[date]:
    """Dates of the convention on which the weekly schedule has a presence (the morning after an overnight
    period included)."""
    weekdays = {day for p in periods for day, _, _ in p.segments()}
    return [start + timedelta(days=i) for i in range(days_between(start, end)) if
            (start + timedelta(days=i)).weekday() in weekdays]


def planned_hours(start: date, end: date, periods: Sequence[Period]) -> float:
    """Hours the schedule plans over the whole convention."""
    per_day = daily_hours(periods)
    return sum(per_day[d.weekday()] for d in worked_dates(start, end, periods))


def check_sundays_and_holidays(start: date, end: date, periods: Sequence[Period], minor: bool) -> list[Problem]:
    """Warning listing the Sundays and public holidays with a presence."""
    flagged = []
    for d in worked_dates(start, end, periods):
        name = holiday_name(d)
        if name:
            flagged.append(f"{d:%d/%m/%Y} ({name})")
        elif d.weekday() == 6:
            flagged.append(f"{d:%d/%m/%Y} (dimanche)")
    if not flagged:
        return []
    extra = " Pour un mineur, c'est interdit sauf dérogation du secteur." if minor else ""
    return [Problem("dimanche_ferie", "Présence prévue un dimanche ou un jour férié : " + ", ".join(flagged) + "."
                    + extra, "schedule")]


# --- dates, age, renewal, totals --------------------------------------------------------------


def check_dates(start: date, end: date, *, today: date, is_new: bool) -> list[Problem]:
    problems = []
    if end < start:
        problems.append(Problem("dates", "La date de fin précède la date de début.", "end_date"))
        return problems
    if is_new and start < today:
        problems.append(Problem("dates", f"Une nouvelle convention ne peut pas commencer dans le passé "
                                         f"(aujourd'hui : {today:%d/%m/%Y}).", "start_date"))
    length = days_between(start, end)
    if length > MAX_DAYS:
        problems.append(Problem("duree_max", f"La période dure {length} jours calendaires : un mois au plus, "
                                             f"soit {MAX_DAYS} jours (art. D. 5135-3).", "end_date"))
    return problems


def check_age(birth: date, start: date) -> list[Problem]:
    age = age_on(birth, start)
    if age < MIN_AGE:
        return [Problem("age_min", f"Le jeune aura {age} ans au premier jour : il faut 16 ans au moins "
                                   "(art. L. 4153-1).", "start_date")]
    return []


@dataclass(frozen=True)
class Renewed:
    """What the renewal rule needs to know of the convention being renewed."""

    objective: str
    is_renewal: bool
    end: date
    already_renewed: bool


def check_renewal(original: Renewed, *, objective: str, justification: str | None, start: date) -> list[Problem]:
    """A renewal: once, same objective, justified, after the original."""
    problems = []
    if original.is_renewal or original.already_renewed:
        problems.append(Problem("renouvellement", "Cette convention a déjà été renouvelée une fois : un second "
                                                  "renouvellement est interdit (art. D. 5135-3).", "renewal_of"))
    if objective != original.objective:
        problems.append(Problem("renouvellement", "Un renouvellement garde le même objectif que la convention "
                                                  f"initiale ({OBJECTIVES.get(original.objective, '?')}).",
                                "objective"))
    if not (justification or "").strip():
        problems.append(Problem("renouvellement", "Expliquez pourquoi les objectifs de la première période ne sont "
                                                  "pas atteints : la justification est obligatoire.",
                                "renewal_reason"))
    if start <= original.end:
        problems.append(Problem("renouvellement", f"Le renouvellement commence après la fin de la période initiale "
                                                  f"({original.end:%d/%m/%Y}).", "start_date"))
    return problems


def rolling_days(periods: Iterable[tuple[date, date]], start: date, end: date) -> int:
    """Calendar days of PMSMP in the 12 months ending on `end`, this convention included."""
    window_start = end - timedelta(days=364)
    days: set[date] = set()
    for s, e in [*periods, (start, end)]:
        s, e = max(s, window_start), min(e, end)
        days.update(s + timedelta(days=i) for i in range(max(0, (e - s).days + 1)))
    return len(days)


def check_rolling_total(periods: Iterable[tuple[date, date]], start: date, end: date) -> list[Problem]:
    total = rolling_days(periods, start, end)
    if total > ROLLING_LIMIT_DAYS:
        return [Problem("cumul_12_mois", f"Avec cette convention, le jeune totalise {total} jours de PMSMP sur les "
                                         f"12 derniers mois, au-delà des {ROLLING_LIMIT_DAYS} jours de l'article "
                                         "D. 5135-3 (un mois renouvelé une fois).", "end_date")]
    return []


def check_distinct_emails(emails: dict[str, str | None]) -> list[Problem]:
    """`emails`: signatory role -> e-mail. Two signatories never share an address."""
    seen: dict[str, str] = {}
    problems = []
    for role, email in emails.items():
        if not email:
            continue
        key = email.strip().lower()
        if key in seen:
            problems.append(Problem("courriels", f"{SIGNATORY_ROLES[role]} et {SIGNATORY_ROLES[seen[key]]} ont la "
                                                 f"même adresse ({email}) : chaque signataire a la sienne.",
                                    _EMAIL_FIELDS.get(role)))
        else:
            seen[key] = role
    return problems


_EMAIL_FIELDS = {YOUTH: "youth_email", LEGAL_REP_1: "rep1_email", LEGAL_REP_2: "rep2_email", HOST: "tutor_email"}


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def check_duplicate(others: Iterable[tuple[str, date, date]], start: date, end: date) -> list[Problem]:
    """`others`: (reference, start, end) of open conventions of the same young person in the same company."""
    clashes = [ref for ref, s, e in others if overlaps(s, e, start, end)]
    if clashes:
        return [Problem("doublon", "Doublon : ce jeune a déjà une convention dans cette entreprise sur des dates "
                                   f"qui se chevauchent ({', '.join(clashes)}).", "start_date")]
    return []


# --- content and changes ----------------------------------------------------------------------

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


# --- reminders --------------------------------------------------------------------------------

ASSESSMENT_REMINDER_DAYS = (0, 3, 10)  # at the end date, J+3, J+10


def signatures_due_reminder(start: date, today: date) -> bool:
    """Missing signatures are reminded two working days before the start."""
    return add_working_days(start, -2) == today


def lapses_on(end: date) -> date:
    """A convention not validated becomes caduque 30 days after its end."""
    return end + timedelta(days=LAPSE_AFTER_DAYS)
