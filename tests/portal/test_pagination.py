"""Lists count their rows up to a cap (LIST_COUNT_CAP): past it the page says « plus de … résultats » and offers
the pages of the rows counted; under it the count is exact. The count query reads at most cap + 1 rows."""

import re

import pytest
from sqlalchemy import select

from crm.youth.models import YouthProfile
from portal.extensions import db
from portal.pagination import paginate


@pytest.fixture()
def small_cap(app):
    before = app.config.get("LIST_COUNT_CAP")
    app.config["LIST_COUNT_CAP"] = 30
    yield 30
    if before is None:
        app.config.pop("LIST_COUNT_CAP")
    else:
        app.config["LIST_COUNT_CAP"] = before


def _count_line(html: str) -> str:
    return re.search(r"<p>Page .*?</p>", html, re.S).group(0)


def test_a_list_longer_than_the_cap_says_more_than(client, auth, make, small_cap):
    auth.login(make.counsellor())
    for n in range(small_cap + 6):
        make.youth(last_name=f"Liste{n:02d}")
    html = client.get("/jeunes").get_data(as_text=True)
    assert "Page 1 sur 2 · plus de 30 résultats : précisez la recherche pour aller plus loin" in _count_line(html)
    last = client.get("/jeunes?page=2").get_data(as_text=True)
    assert "Page 2 sur 2" in _count_line(last)
    assert 'rel="next"' not in last  # no third page: the rows past the cap are reached by searching


def test_a_list_under_the_cap_is_counted_exactly(client, auth, make, small_cap):
    auth.login(make.counsellor())
    for n in range(small_cap - 4):
        make.youth(last_name=f"Liste{n:02d}")
    html = client.get("/jeunes").get_data(as_text=True)
    assert "Page 1 sur 2 · 26 résultats" in _count_line(html)
    assert "plus de" not in _count_line(html)


def test_the_count_reads_at_most_the_cap_and_one_row(app, make, small_cap, count_queries):
    for n in range(small_cap + 10):
        make.youth(last_name=f"Liste{n:02d}")
    with count_queries() as counted:
        page = paginate(select(YouthProfile).order_by(YouthProfile.id), per_page=25, page=1)
        assert (page.total, page.capped, page.pages, len(page.items)) == (31, True, 2, 25)
    assert any("LIMIT" in statement.upper() and "count(" in statement for statement in counted.statements), \
        counted.statements
    exact = paginate(select(YouthProfile).where(YouthProfile.last_name < "Liste05"), per_page=25, page=1)
    assert (exact.total, exact.capped, exact.pages) == (5, False, 1)
    past = paginate(select(YouthProfile), per_page=25, page=9)
    assert past.items == [] and db.session.scalar(select(db.func.count()).select_from(YouthProfile)) == 40


def test_a_page_number_too_large_for_the_database_gives_an_empty_page(client, auth, make):
    auth.login(make.counsellor())
    make.youth(last_name="Seule")
    for url in ("/jeunes?page=99999999999999999999", "/offres?page=99999999999999999999"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Seule" not in response.get_data(as_text=True)
