"""Ranked lists, prefiltered in SQL then scored in Python, and positionings scoped to the user.

The prefilter keeps only rows that can score: same ROME family, inside a bounding box of the commute
radius (with its tolerance), not archived. Scoring a few hundred rows in Python then stays well under
the 300 ms budget for 50,000 young people or 10,000 offers (bench/matching.py).
"""

from dataclasses import dataclass
from math import cos, radians

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from crm.matching import rules
from crm.matching.models import Positioning
from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from crm.youth.models import YouthProfile, YouthTarget
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.referentials.models import Commune

KM_PER_DEGREE = 111.2
RANKED_LIMIT = 50
EXCLUDED_LIMIT = 30


@dataclass
class Ranked:
    ranked: list  # [(object, Match)]
    excluded: list  # [(object, Match)]
    positioned: dict  # object id -> Positioning already existing


def _place(commune) -> rules.Place:
    return rules.Place(commune.name, commune.latitude, commune.longitude)


def offer_facts(offer: Offer) -> rules.OfferFacts:
    """What the engine needs to know about an offer."""
    return rules.OfferFacts(
        appellation_code=offer.appellation_code, rome_code=offer.rome_code, contract_type=offer.contract_type,
        place=_place(offer.work_commune), start_on=offer.start_on, requires_licence=offer.requires_licence,
        requires_vehicle=offer.requires_vehicle, education_level=offer.education_level)


def youth_facts(youth: YouthProfile) -> rules.YouthFacts:
    """What the engine needs to know about a young person."""
    return rules.YouthFacts(
        first_name=youth.first_name, place=_place(youth.commune),
        targets=tuple((t.rome_code, t.appellation_code) for t in youth.targets),
        has_licence=youth.has_licence, has_vehicle=youth.has_vehicle, mobility_mode=youth.mobility_mode,
        max_commute_km=youth.max_commute_km, available_from=youth.available_from,
        wanted_contracts=tuple(youth.wanted_contracts or ()), education_level=youth.education_level)


def _box(lat_col, lon_col, latitude: float | None, longitude: float | None, radius_km):
    """SQL condition: inside the square of half-side `radius_km` around the point (or unknown place)."""
    if latitude is None or longitude is None:
        return True
    lon_scale = KM_PER_DEGREE * max(cos(radians(latitude)), 0.01)
    return or_(lat_col.is_(None),
               (func.abs(lat_col - latitude) * KM_PER_DEGREE <= radius_km)
               & (func.abs(lon_col - longitude) * lon_scale <= radius_km))


def _youth_place_condition(latitude: float | None, longitude: float | None):
    """SQL condition on young people's places. The profile carries its commune's coordinates: a first,
    index-usable range (the largest commute anyone has, read from an index) narrows the rows, then each
    young person's own radius decides. Profiles without copied coordinates fall back to the commune's."""
    radius = YouthProfile.max_commute_km * rules.RADIUS_TOLERANCE + 1
    if latitude is None or longitude is None:
        return True
    largest = db.session.scalar(select(func.max(YouthProfile.max_commute_km))) or 0
    reach = largest * rules.RADIUS_TOLERANCE + 1
    lon_scale = KM_PER_DEGREE * max(cos(radians(latitude)), 0.01)
    coarse = (YouthProfile.latitude.between(latitude - reach / KM_PER_DEGREE, latitude + reach / KM_PER_DEGREE)
              & YouthProfile.longitude.between(longitude - reach / lon_scale, longitude + reach / lon_scale))
    return or_(coarse & _box(YouthProfile.latitude, YouthProfile.longitude, latitude, longitude, radius),
               YouthProfile.latitude.is_(None) & _box(Commune.latitude, Commune.longitude, latitude, longitude,
                                                       radius))


def _youth_rows_for(offer: Offer) -> list[tuple[int, rules.YouthFacts]]:
    commune = offer.work_commune
    stmt = (select(YouthProfile.id, YouthProfile.first_name, Commune.name,
                   func.coalesce(YouthProfile.latitude, Commune.latitude),
                   func.coalesce(YouthProfile.longitude, Commune.longitude),
                   YouthProfile.has_licence, YouthProfile.has_vehicle, YouthProfile.mobility_mode,
                   YouthProfile.max_commute_km, YouthProfile.available_from, YouthProfile.wanted_contracts,
                   YouthProfile.education_level)
            .join(Commune, Commune.insee_code == YouthProfile.commune_code)
            .where(YouthProfile.archived_at.is_(None),
                   YouthProfile.id.in_(select(YouthTarget.youth_id)
                                       .where(YouthTarget.rome_family == offer.rome_family)),
                   _youth_place_condition(commune.latitude, commune.longitude)))
    rows = db.session.execute(stmt).all()
    targets: dict[int, list] = {}
    ids = [r[0] for r in rows]
    for chunk in range(0, len(ids), 5000):
        for youth_id, rome, appellation in db.session.execute(
                select(YouthTarget.youth_id, YouthTarget.rome_code, YouthTarget.appellation_code)
                .where(YouthTarget.youth_id.in_(ids[chunk:chunk + 5000]))
                .order_by(YouthTarget.youth_id, YouthTarget.position)):
            targets.setdefault(youth_id, []).append((rome, appellation))
    return [(r[0], rules.YouthFacts(
        first_name=r[1], place=rules.Place(r[2], r[3], r[4]), targets=tuple(targets.get(r[0], ())),
        has_licence=r[5], has_vehicle=r[6], mobility_mode=r[7], max_commute_km=r[8], available_from=r[9],
        wanted_contracts=tuple(r[10] or ()), education_level=r[11])) for r in rows]


def rank_youth_for_offer(offer: Offer, limit: int = RANKED_LIMIT) -> Ranked:
    """Young people ranked for an offer (best first), those excluded with their reasons, and existing
    positionings; loads the shown profiles in one query."""
    ranked, excluded = rules.rank_youth(offer_facts(offer), _youth_rows_for(offer))
    ranked, excluded = ranked[:limit], excluded[:EXCLUDED_LIMIT]
    wanted = {key for key, _ in ranked} | {key for key, _ in excluded}
    profiles = {y.id: y for y in db.session.scalars(
        select(YouthProfile).where(YouthProfile.id.in_(wanted)))} if wanted else {}
    positioned = {p.youth_id: p for p in db.session.scalars(
        select(Positioning).where(Positioning.offer_id == offer.id))}
    return Ranked([(profiles[k], m) for k, m in ranked], [(profiles[k], m) for k, m in excluded], positioned)


def rank_offers_for_youth(youth: YouthProfile, limit: int = RANKED_LIMIT) -> Ranked:
    """Published offers ranked for a young person, the same way."""
    families = {t.rome_family for t in youth.targets}
    if not families:
        return Ranked([], [], {})
    commune = youth.commune
    radius = youth.max_commute_km * rules.RADIUS_TOLERANCE + 1
    stmt = (select(Offer).join(Commune, Commune.insee_code == Offer.work_commune_code)
            .where(Offer.status == PUBLISHED, Offer.rome_family.in_(families),
                   _box(Commune.latitude, Commune.longitude, commune.latitude, commune.longitude, radius)))
    offers = {o.id: o for o in db.session.scalars(stmt)}
    facts = youth_facts(youth)
    ranked, excluded = rules.rank_offers(facts, ((oid, offer_facts(o)) for oid, o in offers.items()))
    positioned = {p.offer_id: p for p in db.session.scalars(
        select(Positioning).where(Positioning.youth_id == youth.id))}
    return Ranked([(offers[k], m) for k, m in ranked[:limit]],
                  [(offers[k], m) for k, m in excluded[:EXCLUDED_LIMIT]], positioned)


def explain(offer: Offer, youth: YouthProfile) -> rules.Match:
    """The score of one young person for one offer, with its reasons."""
    return rules.match(offer_facts(offer), youth_facts(youth))


# --- positionings -------------------------------------------------------------------------------


def positionings_for(user) -> Select:
    """Positionings the user may see: all for staff; for an employer, the proposed ones on its offers
    whose young person still consents."""
    stmt = select(Positioning)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return (stmt.join(Offer, Offer.id == Positioning.offer_id)
                .join(YouthProfile, YouthProfile.id == Positioning.youth_id)
                .where(Offer.company_id == user.company_id, Positioning.proposed_at.is_not(None),
                       YouthProfile.consent_on.is_not(None), YouthProfile.consent_withdrawn_at.is_(None),
                       YouthProfile.archived_at.is_(None)))
    return stmt.where(False)


def get_positioning(user, positioning_id: int) -> Positioning | None:
    """One positioning if the user may see it (else None: 404)."""
    return db.session.scalar(positionings_for(user).where(Positioning.id == positioning_id))


def positionings_of_offer(user, offer: Offer) -> list[Positioning]:
    """The offer's positionings the user may see, best score first, with their history."""
    return list(db.session.scalars(
        positionings_for(user).where(Positioning.offer_id == offer.id)
        .options(selectinload(Positioning.transitions))
        .order_by(Positioning.score.desc(), Positioning.id)))


def positionings_of_youth(youth: YouthProfile) -> list[Positioning]:
    """A young person's positionings (staff pages), most recent first."""
    return list(db.session.scalars(
        select(Positioning).where(Positioning.youth_id == youth.id)
        .options(selectinload(Positioning.transitions)).order_by(Positioning.updated_at.desc())))
