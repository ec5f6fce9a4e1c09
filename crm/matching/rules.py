"""The matching engine and the positioning life cycle, as pure functions: no database, no Flask.

Every criterion gives points out of its weight and a French sentence saying why; a requirement the young
person cannot meet excludes them, with its reason. The weights live in WEIGHTS and nowhere else.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from math import floor

from crm.youth.rules import EDUCATION_RANK, MOBILITY_MODES, WITHOUT_TRANSPORT_LIMIT_KM
from portal.referentials.rules import haversine_km
from portal.referentials.vocabulary import CONTRACT_TYPES, EDUCATION_LEVELS
from portal.text import date_fr

WEIGHTS = {"job": 40, "distance": 25, "availability": 15, "contract": 10, "education": 10}
# share of the job weight for each kind of job match
JOB_MATCH_SHARE = {"appellation": 1.0, "rome": 0.8, "family": 0.5}
# beyond their commute radius by up to this factor a young person is kept (with no distance points)
RADIUS_TOLERANCE = 1.5
# an availability this many days after the start date gives no availability points
LATE_AVAILABILITY_DAYS = 60
CRITERIA_LABELS = {"job": "Métier", "distance": "Trajet", "availability": "Disponibilité",
                   "contract": "Contrat", "education": "Formation"}

# --- positioning life cycle ----------------------------------------------------------------------

SUGGESTED, KEPT, PROPOSED, INTERVIEW, HIRED, REJECTED, WITHDRAWN = (
    "suggeree", "retenue", "proposee", "entretien", "embauchee", "non_retenue", "desistement")
STATUSES = {
    SUGGESTED: "Suggérée",
    KEPT: "Retenue",
    PROPOSED: "Proposée à l'employeur",
    INTERVIEW: "Entretien",
    HIRED: "Embauché·e",
    REJECTED: "Non retenue",
    WITHDRAWN: "Désistement",
}
STATUS_TONES = {SUGGESTED: "neutral", KEPT: "info", PROPOSED: "warning", INTERVIEW: "info",
                HIRED: "success", REJECTED: "danger", WITHDRAWN: "neutral"}
# what a positioning waiting on its counsellor awaits (the home to-do and the page « à traiter »)
AWAITED = {KEPT: "à proposer à l'employeur", INTERVIEW: "l'employeur souhaite rencontrer"}
TRANSITIONS = {
    SUGGESTED: {KEPT, PROPOSED, REJECTED},
    KEPT: {PROPOSED, REJECTED, WITHDRAWN},
    PROPOSED: {INTERVIEW, HIRED, REJECTED, WITHDRAWN},
    INTERVIEW: {HIRED, REJECTED, WITHDRAWN},
    HIRED: set(),
    REJECTED: set(),
    WITHDRAWN: set(),
}
EMPLOYER_MEET, EMPLOYER_DECLINE = "rencontrer", "ne_pas_retenir"
EMPLOYER_REASONS = {
    "profil_eloigne": "Profil trop éloigné du poste",
    "poste_pourvu": "Poste déjà pourvu",
    "experience": "Expérience insuffisante pour ce poste",
    "disponibilite": "Disponibilité incompatible",
    "mobilite": "Trajet ou horaires incompatibles",
    "autre": "Autre raison (précisée au conseiller)",
}


def can_move(current: str, target: str) -> bool:
    """True when a positioning may go from `current` to `target`."""
    return target in TRANSITIONS.get(current, set())


# --- facts the engine reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OfferFacts:
    appellation_code: str
    rome_code: str
    contract_type: str
    place: Place
    start_on: date | None = None
    requires_licence: bool = False
    requires_vehicle: bool = False
    education_level: str | None = None


@dataclass(frozen=True)
class YouthFacts:
    first_name: str
    place: Place
    targets: tuple[tuple[str, str | None], ...] = ()  # (ROME code, appellation code or None)
    has_licence: bool = False
    has_vehicle: bool = False
    mobility_mode: str = "transports"
    max_commute_km: int = 15
    available_from: date | None = None
    wanted_contracts: tuple[str, ...] = ()
    education_level: str | None = None


@dataclass
class Criterion:
    key: str
    points: float
    max_points: int
    reason: str

    @property
    def label(self) -> str:
        return CRITERIA_LABELS[self.key]


@dataclass
class Match:
    score: int
    criteria: list[Criterion] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.criteria]

    def to_json(self) -> dict:
        """The breakdown kept on a positioning."""
        return {"score": self.score, "exclusions": list(self.exclusions), "distance_km": self.distance_km,
                "criteria": [asdict(c) | {"points": round(c.points, 1)} for c in self.criteria]}


# --- criteria -----------------------------------------------------------------------------------


def distance_km(a: Place, b: Place) -> float | None:
    """Straight-line distance between two communes, or None when a coordinate is missing."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def effective_radius_km(youth: YouthFacts) -> float:
    """How far the young person can go: their own maximum, capped by what their mode allows."""
    radius = float(max(youth.max_commute_km, 0))
    limit = WITHOUT_TRANSPORT_LIMIT_KM.get(youth.mobility_mode)
    return min(radius, limit) if limit is not None else radius


def job_match(offer: OfferFacts, youth: YouthFacts) -> str | None:
    """How the young person's targets meet the offer's job: a key of JOB_MATCH_SHARE, or None."""
    if any(appellation == offer.appellation_code for _, appellation in youth.targets):
        return "appellation"
    if any(rome == offer.rome_code for rome, _ in youth.targets):
        return "rome"
    if any(rome[:3] == offer.rome_code[:3] for rome, _ in youth.targets):
        return "family"
    return None


def score_job(offer: OfferFacts, youth: YouthFacts) -> Criterion:
    weight = WEIGHTS["job"]
    family = offer.rome_code[:3]
    kind = job_match(offer, youth)
    if kind == "appellation":
        return Criterion("job", weight * JOB_MATCH_SHARE["appellation"], weight, "Vise exactement ce métier.")
    if kind == "rome":
        return Criterion("job", weight * JOB_MATCH_SHARE["rome"], weight,
                         f"Vise un métier de la même fiche ROME ({offer.rome_code}).")
    if kind == "family":
        return Criterion("job", weight * JOB_MATCH_SHARE["family"], weight,
                         f"Vise un métier de la même famille ROME ({family}).")
    if not youth.targets:  # an i-milo extract often has none: the profile is imported all the same
        return Criterion("job", 0, weight, "Pas de métier visé : à compléter sur son profil.")
    return Criterion("job", 0, weight, "Aucun de ses métiers visés ne correspond à ce poste.")


def distance_points(offer: OfferFacts, youth: YouthFacts) -> tuple[float, float | None, str | None]:
    """The distance criterion's points, the distance, and why the trip is impossible ("limit": too far
    without means of transport, "radius": well beyond the radius) or None."""
    weight = WEIGHTS["distance"]
    km = distance_km(youth.place, offer.place)
    if km is None:
        return weight / 2, None, None
    radius = effective_radius_km(youth)
    limit = WITHOUT_TRANSPORT_LIMIT_KM.get(youth.mobility_mode)
    if limit is not None and km > limit:
        return 0, km, "limit"
    if km > radius * RADIUS_TOLERANCE:
        return 0, km, "radius"
    if km > radius:
        return 0, km, None
    return (weight * (1 - 0.5 * km / radius) if radius else weight), km, None


def score_distance(offer: OfferFacts, youth: YouthFacts) -> tuple[Criterion, float | None, str | None]:
    """The distance criterion, the distance itself and an exclusion reason if the trip is impossible."""
    weight = WEIGHTS["distance"]
    points, km, too_far = distance_points(offer, youth)
    trip = f"{youth.place.name} → {offer.place.name}"
    if km is None:
        return Criterion("distance", points, weight, f"{trip} : distance inconnue."), None, None
    shown = f"{km:.0f}".replace(".", ",")
    radius = effective_radius_km(youth)
    limit = WITHOUT_TRANSPORT_LIMIT_KM.get(youth.mobility_mode)
    mode = MOBILITY_MODES.get(youth.mobility_mode, youth.mobility_mode).lower()
    if too_far == "limit":
        reason = f"{trip}, {shown} km : trop loin sans moyen de transport ({mode}, {limit} km au plus)."
        return Criterion("distance", 0, weight, reason), km, reason
    if too_far == "radius":
        reason = f"{trip}, {shown} km : bien au-delà de son rayon de {radius:.0f} km."
        return Criterion("distance", 0, weight, reason), km, reason
    if km > radius:
        return Criterion("distance", 0, weight,
                         f"{trip}, {shown} km, au-delà de son rayon de {radius:.0f} km."), km, None
    where = "même commune" if youth.place.name == offer.place.name and km < 1 else f"{shown} km"
    return Criterion("distance", points, weight,
                     f"{trip}, {where}, dans son rayon de {radius:.0f} km ({mode})."), km, None


def availability_points(offer: OfferFacts, youth: YouthFacts) -> float:
    """The availability criterion's points: full when available by the start date, then decreasing."""
    weight = WEIGHTS["availability"]
    if offer.start_on is None or youth.available_from is None or youth.available_from <= offer.start_on:
        return weight
    return weight * max(0.0, 1 - (youth.available_from - offer.start_on).days / LATE_AVAILABILITY_DAYS)


def score_availability(offer: OfferFacts, youth: YouthFacts) -> Criterion:
    weight = WEIGHTS["availability"]
    if offer.start_on is None:
        return Criterion("availability", weight, weight, "Date de début non précisée.")
    if youth.available_from is None or youth.available_from <= offer.start_on:
        since = f"dès le {date_fr(youth.available_from)}" if youth.available_from else "dès maintenant"
        return Criterion("availability", weight, weight,
                         f"Disponible {since}, pour un début le {date_fr(offer.start_on)}.")
    late = (youth.available_from - offer.start_on).days
    points = availability_points(offer, youth)
    return Criterion("availability", points, weight,
                     f"Disponible le {date_fr(youth.available_from)}, {late} jour{'s' if late > 1 else ''} "
                     f"après le début prévu le {date_fr(offer.start_on)}.")


def score_contract(offer: OfferFacts, youth: YouthFacts) -> Criterion:
    weight = WEIGHTS["contract"]
    label = CONTRACT_TYPES.get(offer.contract_type, offer.contract_type)
    if not youth.wanted_contracts:
        return Criterion("contract", weight / 2, weight, "Aucun type de contrat souhaité n'est indiqué.")
    if offer.contract_type in youth.wanted_contracts:
        return Criterion("contract", weight, weight, f"Souhaite un contrat de ce type ({label}).")
    wanted = ", ".join(CONTRACT_TYPES.get(c, c) for c in youth.wanted_contracts)
    return Criterion("contract", 0, weight, f"Souhaite : {wanted} ; l'offre est en {label}.")


def score_education(offer: OfferFacts, youth: YouthFacts) -> Criterion:
    weight = WEIGHTS["education"]
    if not offer.education_level:
        return Criterion("education", weight, weight, "Aucun niveau de formation exigé.")
    required = EDUCATION_LEVELS.get(offer.education_level, offer.education_level)
    if not youth.education_level:
        return Criterion("education", weight / 2, weight,
                         f"Niveau demandé : {required} ; le sien n'est pas renseigné.")
    gap = EDUCATION_RANK.get(offer.education_level, 0) - EDUCATION_RANK.get(youth.education_level, 0)
    own = EDUCATION_LEVELS.get(youth.education_level, youth.education_level)
    if gap <= 0:
        return Criterion("education", weight, weight, f"Niveau atteint : {own} (demandé : {required}).")
    points = weight / 2 if gap == 1 else 0
    return Criterion("education", points, weight, f"Niveau {own}, en dessous du niveau demandé ({required}).")


def requirement_exclusions(offer: OfferFacts, youth: YouthFacts) -> list[str]:
    """Requirements of the offer the young person cannot meet, as French sentences."""
    reasons = []
    if offer.requires_licence and not youth.has_licence:
        reasons.append(f"L'offre exige le permis B ; {youth.first_name} ne l'a pas.")
    if offer.requires_vehicle and not youth.has_vehicle:
        reasons.append(f"L'offre exige un véhicule ; {youth.first_name} n'en a pas.")
    return reasons


def match(offer: OfferFacts, youth: YouthFacts) -> Match:
    """Score a young person for an offer: 0 to 100, criteria with their reasons, exclusions."""
    distance, km, too_far = score_distance(offer, youth)
    criteria = [score_job(offer, youth), distance, score_availability(offer, youth),
                score_contract(offer, youth), score_education(offer, youth)]
    exclusions = requirement_exclusions(offer, youth) + ([too_far] if too_far else [])
    total = round(sum(c.points for c in criteria))
    return Match(score=max(0, min(100, total)), criteria=criteria, exclusions=exclusions,
                 distance_km=round(km, 1) if km is not None else None)


def score_bound(offer: OfferFacts, youth: YouthFacts) -> tuple[int, bool]:
    """Cheaply, without the sentences: a score `match` cannot exceed (contract and education counted in
    full) and whether `match` excludes the young person. The ranked lists score in full only those whose
    bound can still reach the shown ranking (crm/matching/queries.py)."""
    kind = job_match(offer, youth)
    distance, _, too_far = distance_points(offer, youth)
    total = (WEIGHTS["job"] * JOB_MATCH_SHARE[kind] if kind else 0) + distance \
        + availability_points(offer, youth) + WEIGHTS["contract"] + WEIGHTS["education"]
    # match() rounds its own sum, added in another order: a hair of slack before rounding
    bound = max(0, min(100, floor(total + 0.5 + 1e-6)))
    excluded = too_far is not None or bool(requirement_exclusions(offer, youth))
    return bound, excluded


def rank_youth(offer: OfferFacts, candidates: Iterable[tuple[int, YouthFacts]],
               ) -> tuple[list[tuple[int, Match]], list[tuple[int, Match]]]:
    """(ranked, excluded) for an offer: ranked by score then key; excluded never among the ranked."""
    ranked, excluded = [], []
    for key, youth in candidates:
        result = match(offer, youth)
        (excluded if result.excluded else ranked).append((key, result))
    ranked.sort(key=lambda item: (-item[1].score, item[0]))
    return ranked, excluded
