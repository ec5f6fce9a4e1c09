"""Ranked lists, prefiltered in SQL then scored in Python, and positionings scoped to the user.

The prefilter keeps only rows that can score: same ROME family, inside a bounding box of the commute
radius (with its tolerance), not archived, not anonymised. Scoring a few hundred rows in Python then stays well under
the 300 ms budget for 50,000 young people or 10,000 offers (bench/matching.py).
"""

import heapq
from dataclasses import dataclass
from math import cos, radians

from sqlalchemy import Float, Select, cast, func, literal, or_, select, true
from sqlalchemy.orm import lazyload, selectinload

from crm.matching import rules
from crm.matching.models import Positioning
from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from crm.youth.models import YouthProfile, YouthTarget
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.privacy.queries import anonymised_condition
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
    """SQL condition: inside the square of half-side `radius_km` around the point (or unknown place).
    Every operand is a float (`radius_km` included), so PostgreSQL never computes in numeric."""
    if latitude is None or longitude is None:
        return true()
    lon_scale = KM_PER_DEGREE * max(cos(radians(latitude)), 0.01)
    return or_(lat_col.is_(None),
               (func.abs(lat_col - latitude) * KM_PER_DEGREE <= radius_km)
               & (func.abs(lon_col - longitude) * lon_scale <= radius_km))


def _float(value: float):
    return literal(value, Float)


def _youth_radius():
    """The young person's radius with its tolerance and a kilometre of slack, as a float column."""
    return cast(YouthProfile.max_commute_km, Float) * _float(rules.RADIUS_TOLERANCE) + _float(1.0)


_YOUTH_COLUMNS = (YouthProfile.id, YouthProfile.first_name, YouthProfile.commune_code, YouthProfile.has_licence,
                  YouthProfile.has_vehicle, YouthProfile.mobility_mode, YouthProfile.max_commute_km,
                  YouthProfile.available_from, YouthProfile.wanted_contracts, YouthProfile.education_level)


def _youth_rows_for(offer: Offer) -> list[tuple[int, rules.YouthFacts]]:
    """Candidates for an offer, with the targets of the offer's family only (the only ones the job criterion
    can use: an appellation or a ROME code belongs to one family). The query starts from the family
    targets (`ix_youth_target_family_youth`) and reads only the columns scoring needs, as Core rows.
    Each young person's place is their own copied coordinates, or their commune's when not copied yet."""
    commune = offer.work_commune
    radius = _youth_radius()
    family = (YouthTarget.rome_family == offer.rome_family, YouthProfile.archived_at.is_(None),
              ~anonymised_condition(YouthProfile.id))
    located = db.session.execute(
        select(*_YOUTH_COLUMNS, YouthProfile.latitude, YouthProfile.longitude,
               YouthTarget.rome_code, YouthTarget.appellation_code)
        .select_from(YouthTarget).join(YouthProfile, YouthProfile.id == YouthTarget.youth_id)
        .where(*family, YouthProfile.latitude.is_not(None),
               _box(YouthProfile.latitude, YouthProfile.longitude, commune.latitude, commune.longitude, radius))
        .order_by(YouthTarget.youth_id, YouthTarget.position)).all()
    unlocated = db.session.execute(
        select(*_YOUTH_COLUMNS, Commune.latitude, Commune.longitude,
               YouthTarget.rome_code, YouthTarget.appellation_code)
        .select_from(YouthTarget).join(YouthProfile, YouthProfile.id == YouthTarget.youth_id)
        .join(Commune, Commune.insee_code == YouthProfile.commune_code)
        .where(*family, YouthProfile.latitude.is_(None),
               _box(Commune.latitude, Commune.longitude, commune.latitude, commune.longitude, radius))
        .order_by(YouthTarget.youth_id, YouthTarget.position)).all()
    grouped: dict[int, list] = {}
    for row in (*located, *unlocated):
        grouped.setdefault(row[0], []).append(row)
    codes = {rows[0][2] for rows in grouped.values()}
    names = {code: name for code, name in db.session.execute(
        select(Commune.insee_code, Commune.name).where(Commune.insee_code.in_(codes)))} if codes else {}
    return [(youth_id, rules.YouthFacts(
        first_name=r[1], place=rules.Place(names.get(r[2], r[2]), r[10], r[11]),
        targets=tuple((x[12], x[13]) for x in rows),
        has_licence=r[3], has_vehicle=r[4], mobility_mode=r[5], max_commute_km=r[6], available_from=r[7],
        wanted_contracts=tuple(r[8] or ()), education_level=r[9]))
        for youth_id, rows in grouped.items() for r in rows[:1]]


def _rank(candidates, limit: int) -> tuple[list, list]:
    """(ranked, excluded) for [(key, OfferFacts, YouthFacts)]: exactly rules.rank_youth over
    all the candidates, the ranked cut at `limit`, the excluded at EXCLUDED_LIMIT (best bound first).

    rules.score_bound gives, without building sentences, a score no full match can exceed and whether the
    candidate is excluded. Candidates are walked in decreasing bound; once `limit` are scored in full, a
    candidate whose bound is below the `limit`-th score cannot be shown and is not scored (a tie is scored:
    it could rank first by key). Scoring in full a few hundred rows instead of thousands is the gain."""
    bounded = sorted(((*rules.score_bound(offer, youth), key, offer, youth) for key, offer, youth in candidates),
                     key=lambda item: (-item[0], item[2]))
    ranked, excluded, best_scores = [], [], []  # best_scores: min-heap of the `limit` best scores so far
    for bound, is_excluded, key, offer, youth in bounded:
        if is_excluded:
            if len(excluded) < EXCLUDED_LIMIT:
                excluded.append((key, rules.match(offer, youth)))
            continue
        if len(best_scores) >= limit and bound < best_scores[0]:
            if len(excluded) >= EXCLUDED_LIMIT:
                break
            continue
        result = rules.match(offer, youth)
        if result.excluded:  # the bound says who is excluded; never trust it over the rules
            if len(excluded) < EXCLUDED_LIMIT:
                excluded.append((key, result))
            continue
        ranked.append((key, result))
        if len(best_scores) < limit:
            heapq.heappush(best_scores, result.score)
        else:
            heapq.heappushpop(best_scores, result.score)
    ranked.sort(key=lambda item: (-item[1].score, item[0]))  # the order of rules.rank_youth / rank_offers
    return ranked[:limit], excluded


def rank_youth_for_offer(offer: Offer, limit: int = RANKED_LIMIT) -> Ranked:
    """Young people ranked for an offer (best first), those excluded with their reasons, and existing
    positionings; loads the shown profiles in one query."""
    of = offer_facts(offer)
    ranked, excluded = _rank(((key, of, youth) for key, youth in _youth_rows_for(offer)), limit)
    wanted = {key for key, _ in ranked} | {key for key, _ in excluded}
    # the page shows a name and the consent of each: no eager commune or targets (loaded if ever read)
    profiles = {y.id: y for y in db.session.scalars(
        select(YouthProfile).where(YouthProfile.id.in_(wanted))
        .options(lazyload(YouthProfile.commune), lazyload(YouthProfile.targets)))} if wanted else {}
    positioned = {p.youth_id: p for p in db.session.scalars(
        select(Positioning).where(Positioning.offer_id == offer.id))}
    return Ranked([(profiles[k], m) for k, m in ranked], [(profiles[k], m) for k, m in excluded], positioned)


def rank_offers_for_youth(youth: YouthProfile, limit: int = RANKED_LIMIT) -> Ranked:
    """Published offers ranked for a young person, the same way: Core rows of the offers of the young
    person's families inside the box of their radius, ORM objects only for the shown ones."""
    families = {t.rome_family for t in youth.targets}
    if not families:
        return Ranked([], [], {})
    facts = youth_facts(youth)
    radius = youth.max_commute_km * rules.RADIUS_TOLERANCE + 1
    rows = db.session.execute(
        select(Offer.id, Offer.appellation_code, Offer.rome_code, Offer.contract_type, Commune.name,
               Commune.latitude, Commune.longitude, Offer.start_on, Offer.requires_licence,
               Offer.requires_vehicle, Offer.education_level)
        .join(Commune, Commune.insee_code == Offer.work_commune_code)
        .where(Offer.rome_family.in_(families), Offer.status == PUBLISHED,
               _box(Commune.latitude, Commune.longitude, facts.place.latitude, facts.place.longitude,
                    _float(radius)))).all()
    candidates = ((r[0], rules.OfferFacts(
        appellation_code=r[1], rome_code=r[2], contract_type=r[3], place=rules.Place(r[4], r[5], r[6]),
        start_on=r[7], requires_licence=r[8], requires_vehicle=r[9], education_level=r[10]), facts)
        for r in rows)
    ranked, excluded = _rank(candidates, limit)
    wanted = {key for key, _ in ranked} | {key for key, _ in excluded}
    offers = {o.id: o for o in db.session.scalars(select(Offer).where(Offer.id.in_(wanted)))} if wanted else {}
    positioned = {p.offer_id: p for p in db.session.scalars(
        select(Positioning).where(Positioning.youth_id == youth.id))}
    return Ranked([(offers[k], m) for k, m in ranked], [(offers[k], m) for k, m in excluded], positioned)


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


def awaiting_counsellor(user) -> Select:
    """Positionings of the counsellor's offers or created by them that wait on them: a young person kept
    and not yet proposed, an interview the employer asked for and not yet settled; the employer's wishes
    first, then the oldest. Those of an anonymised young person are left out, as on the offer's page."""
    # the counsellor's offers read first (a few dozen ids): the planner then ORs two index scans, where a
    # subquery made it filter every kept and interview positioning (20,000 at large scale: 15 ms -> 1.5 ms)
    offers = db.session.scalars(select(Offer.id).where(Offer.counsellor_id == user.id)).all()
    mine = or_(Positioning.created_by_id == user.id, Positioning.offer_id.in_(offers))
    return (positionings_for(user).where(mine, Positioning.status.in_(tuple(rules.AWAITED)),
                                         ~anonymised_condition(Positioning.youth_id))
            .order_by(Positioning.employer_answered_at.is_(None), Positioning.updated_at, Positioning.id)
            # the young person, offer and company of the rows shown only, not joined to every match
            .options(lazyload("*"), selectinload(Positioning.youth),
                     selectinload(Positioning.offer).selectinload(Offer.company)))


def get_positioning(user, positioning_id: int) -> Positioning | None:
    """One positioning if the user may see it (else None: 404)."""
    return db.session.scalar(positionings_for(user).where(Positioning.id == positioning_id))


def positionings_of_offer(user, offer: Offer) -> list[Positioning]:
    """The offer's positionings the user may see, best score first, with their history; those of an
    anonymised young person are left out (nothing left to work on)."""
    return list(db.session.scalars(
        positionings_for(user).where(Positioning.offer_id == offer.id, ~anonymised_condition(Positioning.youth_id))
        .options(selectinload(Positioning.transitions))
        .order_by(Positioning.score.desc(), Positioning.id)))


def positionings_of_youth(youth: YouthProfile) -> list[Positioning]:
    """A young person's positionings (staff pages), most recent first."""
    return list(db.session.scalars(
        select(Positioning).where(Positioning.youth_id == youth.id)
        .options(selectinload(Positioning.transitions)).order_by(Positioning.updated_at.desc())))
