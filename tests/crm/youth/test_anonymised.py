"""An anonymised young person (RGPD erasure) keeps a page but leaves the lists, searches and pickers."""

from datetime import date
from html import unescape
from io import BytesIO

from openpyxl import load_workbook

from portal.extensions import db
from portal.privacy import services as privacy


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _erase(make, youth) -> None:
    privacy.erase_youth(make.admin(), youth, reason="Demande écrite du jeune")
    db.session.flush()


def test_anonymised_profiles_leave_lists_searches_and_pickers(client, auth, make):
    kept = make.youth(first_name="Inès", last_name="Garcia", programme="cej")
    erased = make.youth(first_name="Zoé", last_name="Vercingétorix", programme="cej")
    archived = make.youth(first_name="Jules", last_name="Archivé", archived_at=date(2026, 1, 1))
    auth.login(make.counsellor())
    assert "Vercingétorix" in _text(client.get("/jeunes"))
    _erase(make, erased)
    _erase(make, archived)

    for url in ("/jeunes", "/jeunes?programme=cej", "/jeunes?commune=63430", "/jeunes?archives=1",
                "/jeunes?q=jeune", "/jeunes?q=anonymise"):
        page = _text(client.get(url))
        assert "Jeune anonymisé" not in page and f"/jeunes/{erased.id}\"" not in page, url
    assert "Garcia Inès" in _text(client.get("/jeunes"))
    for url in (f"/jeunes/autocompletion?code={erased.id}", f"/suivis/jeunes/autocompletion?code={erased.id}",
                "/jeunes/autocompletion?q=jeune", "/suivis/jeunes/autocompletion?q=anonymise"):
        assert client.get(url).get_json() == {"results": []}, url
    assert client.get(f"/jeunes/autocompletion?code={kept.id}").get_json()["results"][0]["label"] == "Inès Garcia"
    exported = load_workbook(BytesIO(client.get("/jeunes/export.xlsx").data)).active
    rows = list(exported.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and "Garcia" in rows[0]  # the archived one is not in the active list anyway

    # their page stays, as before: « Jeune anonymisé », nothing else (the DPO's link points at it)
    page = _text(client.get(f"/jeunes/{erased.id}"))
    assert "Jeune anonymisé" in page and "Vercingétorix" not in page


def test_list_queries_do_not_grow_with_anonymised_profiles(client, auth, make, count_queries):
    auth.login(make.counsellor())
    make.youth()
    with count_queries() as few:
        client.get("/jeunes")
    for _ in range(3):
        _erase(make, make.youth())
    with count_queries() as many:
        page = _text(client.get("/jeunes"))
    assert many.count == few.count and "Jeune anonymisé" not in page
