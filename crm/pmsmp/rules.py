"""PMSMP rules as pure functions: no database, no Flask.

Every rule carries its legal reference and the date it applies from (`LEGAL_RULES`, shown to staff on
the rules page). A check returns a list of `Problem`s: `blocking` ones refuse the convention, the
others are warnings shown with their figures. The weekly timetable's rules are in `crm.pmsmp.timetable`,
what a signatory commits to (content hash, which changes clear the signatures) in `crm.pmsmp.content`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.dates import add_working_days, age_on

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


# --- reminders --------------------------------------------------------------------------------

ASSESSMENT_REMINDER_DAYS = (0, 3, 10)  # at the end date, J+3, J+10


def signatures_due_reminder(start: date, today: date) -> bool:
    """Missing signatures are reminded two working days before the start."""
    return add_working_days(start, -2) == today


def lapses_on(end: date) -> date:
    """A convention not validated becomes caduque 30 days after its end."""
    return end + timedelta(days=LAPSE_AFTER_DAYS)
