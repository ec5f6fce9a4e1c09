"""An anonymised young person (RGPD erasure) is no longer a candidate: ranking, keeping, offer's pipeline."""

from html import unescape

from portal.extensions import db
from portal.privacy import services as privacy


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def test_anonymised_young_person_is_neither_ranked_nor_kept_nor_listed(client, auth, make, csrf):
    offer = make.offer()
    kept = make.youth(first_name="Inès", last_name="Bon")
    erased = make.youth(first_name="Zoé", last_name="Effacée")
    unpositioned = make.youth(first_name="Noah", last_name="Effacé")
    make.positioning(offer, erased, status="retenue", proposed_at=None)
    auth.login(make.counsellor())
    before = _page(client, f"/offres/{offer.id}/candidats")
    assert all(f"/jeunes/{y.id}\"" in before for y in (kept, erased, unpositioned))  # all three would rank
    assert f"/jeunes/{erased.id}\"" in _page(client, f"/offres/{offer.id}")  # and the pipeline shows Zoé
    privacy.erase_youth(make.admin(), erased, reason="Demande écrite du jeune")
    privacy.erase_youth(make.admin(), unpositioned, reason="Demande écrite du jeune")
    db.session.flush()

    ranking = _page(client, f"/offres/{offer.id}/candidats")
    assert "Inès Bon" in ranking and "Jeune anonymisé" not in ranking
    assert f"/jeunes/{erased.id}\"" not in ranking and f"/jeunes/{unpositioned.id}\"" not in ranking
    offer_page = _page(client, f"/offres/{offer.id}")
    assert "Jeune anonymisé" not in offer_page and f"/jeunes/{erased.id}\"" not in offer_page
    response = client.post(f"/offres/{offer.id}/candidats/{unpositioned.id}/retenir",
                           data={"csrf_token": csrf(f"/offres/{offer.id}/candidats")})
    assert response.status_code == 404
