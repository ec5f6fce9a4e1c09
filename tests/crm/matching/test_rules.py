"""The matching engine: explained scores, exclusions and their properties."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.matching import rules
from crm.matching.rules import OfferFacts, Place, YouthFacts
from crm.youth.rules import EDUCATION_LEVELS, MOBILITY_MODES
from portal.referentials.vocabulary import CONTRACT_TYPES

THIERS = Place("Thiers", 45.86529, 3.53795)
LEZOUX = Place("Lezoux", 45.83281, 3.38884)
CLERMONT = Place("Clermont-Ferrand", 45.78705, 3.11272)


def offer(**kw) -> OfferFacts:
    values = {"appellation_code": "15121", "rome_code": "H2904", "contract_type": "cdi", "place": LEZOUX,
              "start_on": date(2026, 9, 1)}
    values.update(kw)
    return OfferFacts(**values)


def young(**kw) -> YouthFacts:
    values = {"first_name": "Léa", "place": THIERS, "targets": (("H2904", "15121"),), "has_licence": True,
              "has_vehicle": True, "mobility_mode": "voiture", "max_commute_km": 20,
              "available_from": date(2026, 8, 1), "wanted_contracts": ("cdi",), "education_level": "niveau3"}
    values.update(kw)
    return YouthFacts(**values)


def test_perfect_match_explains_itself_in_french():
    result = rules.match(offer(), young())
    assert not result.excluded
    assert result.score >= 90
    assert "Vise exactement ce métier." in result.reasons
    assert "Thiers → Lezoux, 12 km, dans son rayon de 20 km (voiture personnelle)." in result.reasons
    assert sum(c.max_points for c in result.criteria) == 100


def test_job_levels_rank_appellation_then_rome_then_family():
    same_appellation = rules.match(offer(), young()).score
    same_rome = rules.match(offer(), young(targets=(("H2904", None),))).score
    same_family = rules.match(offer(), young(targets=(("H2903", None),))).score
    other = rules.match(offer(), young(targets=(("N1103", None),))).score
    assert same_appellation > same_rome > same_family > other


def test_a_young_person_without_a_target_job_is_ranked_and_told_so():
    """An i-milo extract often has no ROME code: the profile is matched on the rest, and says why."""
    result = rules.match(offer(), young(targets=()))
    assert not result.excluded
    assert "Pas de métier visé : à compléter sur son profil." in result.reasons
    assert result.score == rules.match(offer(), young(targets=(("N1103", None),))).score


def test_missing_licence_excludes_with_its_reason():
    result = rules.match(offer(requires_licence=True), young(has_licence=False))
    assert result.excluded
    assert result.exclusions == ["L'offre exige le permis B ; Léa ne l'a pas."]


def test_missing_vehicle_excludes():
    result = rules.match(offer(requires_vehicle=True), young(has_vehicle=False))
    assert "L'offre exige un véhicule ; Léa n'en a pas." in result.exclusions


def test_on_foot_too_far_is_excluded():
    result = rules.match(offer(), young(mobility_mode="a_pied", has_vehicle=False))
    assert result.excluded
    assert "trop loin sans moyen de transport (à pied, 3 km au plus)" in result.exclusions[0]


def test_beyond_radius_gets_no_distance_points_then_is_excluded():
    near_limit = rules.match(offer(place=LEZOUX), young(max_commute_km=10))
    assert not near_limit.excluded
    assert "au-delà de son rayon de 10 km" in near_limit.criteria[1].reason
    assert near_limit.criteria[1].points == 0
    far = rules.match(offer(place=CLERMONT), young(max_commute_km=10))
    assert far.excluded and "bien au-delà de son rayon de 10 km" in far.exclusions[0]


def test_late_availability_and_unwanted_contract_lower_the_score():
    base = rules.match(offer(), young()).score
    late = rules.match(offer(), young(available_from=date(2026, 10, 1)))
    assert late.score < base
    assert "30 jours après le début prévu le 01/09/2026" in late.criteria[2].reason
    interim = rules.match(offer(contract_type="interim"), young())
    assert interim.score < base and "l'offre est en Intérim" in interim.criteria[3].reason


def test_education_below_requirement_loses_points():
    assert rules.match(offer(education_level="niveau5"), young()).criteria[4].points == 0
    assert rules.match(offer(education_level="niveau4"), young()).criteria[4].points == 5


def test_ranking_orders_by_score_and_leaves_out_the_excluded():
    candidates = [(1, young(targets=(("H2903", None),))), (2, young()), (3, young(has_licence=False))]
    ranked, excluded = rules.rank_youth(offer(requires_licence=True), candidates)
    assert [key for key, _ in ranked] == [2, 1]
    assert [key for key, _ in excluded] == [3]


def test_positioning_transitions():
    assert rules.can_move("retenue", "proposee")
    assert not rules.can_move("embauchee", "proposee")
    assert not rules.can_move("suggeree", "embauchee")


# --- properties -------------------------------------------------------------------------------------

places = st.builds(Place, st.sampled_from(["Thiers", "Lezoux", "Ailleurs"]),
                   st.one_of(st.none(), st.floats(45.0, 46.5)), st.floats(2.5, 4.5))
days = st.integers(-120, 120).map(lambda d: date(2026, 9, 1) + timedelta(days=d))
roms = st.sampled_from(["H2904", "H2903", "H2902", "N1103", "K1304"])
offers = st.builds(OfferFacts, appellation_code=st.sampled_from(["15121", "10819", "99999"]), rome_code=roms,
                   contract_type=st.sampled_from(list(CONTRACT_TYPES)), place=places,
                   start_on=st.one_of(st.none(), days), requires_licence=st.booleans(),
                   requires_vehicle=st.booleans(),
                   education_level=st.one_of(st.none(), st.sampled_from(list(EDUCATION_LEVELS))))
youths = st.builds(YouthFacts, first_name=st.just("Léa"), place=places,
                   targets=st.lists(st.tuples(roms, st.one_of(st.none(), st.just("15121"))), max_size=3).map(tuple),
                   has_licence=st.booleans(), has_vehicle=st.booleans(),
                   mobility_mode=st.sampled_from(list(MOBILITY_MODES)), max_commute_km=st.integers(0, 200),
                   available_from=st.one_of(st.none(), days),
                   wanted_contracts=st.lists(st.sampled_from(list(CONTRACT_TYPES)), max_size=3).map(tuple),
                   education_level=st.one_of(st.none(), st.sampled_from(list(EDUCATION_LEVELS))))


@settings(max_examples=300, deadline=None)
@given(offers, youths)
def test_every_score_lies_between_0_and_100(o, y):
    result = rules.match(o, y)
    assert 0 <= result.score <= 100
    assert all(0 <= c.points <= c.max_points for c in result.criteria)


@settings(max_examples=300, deadline=None)
@given(offers, youths, st.floats(0, 1.5), st.floats(0, 1.5))
def test_a_longer_distance_never_raises_a_score(o, y, shift_a, shift_b):
    """Moving the offer further away (along a meridian) never gives a higher score."""
    if y.place.latitude is None:
        return
    near, far = sorted([shift_a, shift_b])
    place_near = Place("Près", y.place.latitude + near, y.place.longitude)
    place_far = Place("Loin", y.place.latitude + far, y.place.longitude)
    score_near = rules.match(offer_at(o, place_near), y)
    score_far = rules.match(offer_at(o, place_far), y)
    assert score_far.score <= score_near.score
    assert score_far.excluded or not score_near.excluded


def offer_at(o: OfferFacts, place: Place) -> OfferFacts:
    from dataclasses import replace

    return replace(o, place=place)


@settings(max_examples=200, deadline=None)
@given(offers, st.lists(youths, max_size=8))
def test_an_excluded_young_person_never_appears_in_the_ranking(o, candidates):
    ranked, excluded = rules.rank_youth(o, list(enumerate(candidates)))
    assert all(not rules.match(o, candidates[k]).excluded for k, _ in ranked)
    assert {k for k, _ in excluded} == {k for k, y in enumerate(candidates) if rules.match(o, y).excluded}
    scores = [m.score for _, m in ranked]
    assert scores == sorted(scores, reverse=True)
