"""The profile keeps its commune's coordinates (matching prefilter), through creation and edits."""

from datetime import date

from crm.youth import services
from portal.referentials.queries import get_commune

VALUES = {"first_name": "Inès", "last_name": "Garcia", "birth_date": date(2005, 5, 12), "commune_code": "63430",
          "mobility_mode": "voiture", "max_commute_km": 20, "targets": ["H2904"]}


def test_services_copy_the_commune_coordinates(make):
    actor = make.counsellor()
    youth = services.create_youth(actor, **VALUES)
    thiers = get_commune("63430")
    assert (youth.latitude, youth.longitude) == (thiers.latitude, thiers.longitude)
    services.update_youth(actor, youth, **(VALUES | {"commune_code": "63291"}))
    other = get_commune("63291")
    assert (youth.latitude, youth.longitude) == (other.latitude, other.longitude)


def test_ranking_is_the_same_with_or_without_copied_coordinates(make):
    from crm.matching import queries

    offer = make.offer()
    near = make.youth(commune_code="63430")
    copied = make.youth(commune_code="63430")
    thiers = get_commune("63430")
    copied.latitude, copied.longitude = thiers.latitude, thiers.longitude
    far = make.youth(commune_code="63113", max_commute_km=5, mobility_mode="a_pied")
    far.latitude, far.longitude = get_commune("63113").latitude, get_commune("63113").longitude
    ranked = {y.id for y, _ in queries.rank_youth_for_offer(offer).ranked}
    assert {near.id, copied.id} <= ranked and far.id not in ranked
