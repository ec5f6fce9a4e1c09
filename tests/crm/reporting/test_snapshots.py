"""The indicators kept a few minutes (crm/reporting/snapshots.py): always with the time they were counted,
« Recalculer » counts again, a kept snapshot never crosses from one scope to another, and 0 turns it off."""

import html
from dataclasses import replace
from datetime import timedelta

import pytest

from crm.reporting import snapshots
from tests.conftest import csrf_token
from tests.crm.reporting.conftest import THIERS, _at
from tests.crm.reporting.test_indicators import page_figures

YEAR_2025 = {"periode": "annee", "annee": "2025"}
RECOUNT = "/indicateurs/recalculer?periode=annee&annee=2025"


@pytest.fixture()
def kept(app):
    """Snapshots on (10 minutes), and none left from another test."""
    before = app.config["INDICATORS_MAX_AGE_MINUTES"]
    app.config["INDICATORS_MAX_AGE_MINUTES"] = "10"
    app.extensions.pop("indicator_snapshots", None)
    yield
    app.config["INDICATORS_MAX_AGE_MINUTES"] = before
    app.extensions.pop("indicator_snapshots", None)


def _page(client, query=YEAR_2025) -> str:
    response = client.get("/indicateurs", query_string=query)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_kept_figures_say_when_they_were_counted_and_recalculer_counts_again(kept, world, client, auth, make):
    auth.login(world.admin)
    before = page_figures(client, YEAR_2025)["entreprises_nouvelles"][0]
    make.company(commune_code=THIERS, created_at=_at("2025-06-01"))

    assert page_figures(client, YEAR_2025)["entreprises_nouvelles"][0] == before  # kept, not recounted
    page = _page(client)
    assert "Chiffres calculés le " in page and "gardés quelques minutes" in page

    response = client.post(RECOUNT, data={"csrf_token": csrf_token(client, "/indicateurs?periode=annee&annee=2025")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/indicateurs?periode=annee&annee=2025")
    assert page_figures(client, YEAR_2025)["entreprises_nouvelles"][0] == before + 1


def test_a_snapshot_older_than_the_setting_is_counted_again(kept, world, client, auth, make, app):
    auth.login(world.admin)
    before = page_figures(client, YEAR_2025)["entreprises_nouvelles"][0]
    make.company(commune_code=THIERS, created_at=_at("2025-06-01"))
    store = app.extensions["indicator_snapshots"]
    for key, snapshot in list(store.items()):  # counted eleven minutes ago
        store[key] = replace(snapshot, computed_at=snapshot.computed_at - timedelta(minutes=11))
    assert "gardés quelques minutes" not in _page(client)  # counted again for this page
    assert page_figures(client, YEAR_2025)["entreprises_nouvelles"][0] == before + 1


def test_an_employer_never_reads_the_staff_figures(kept, world, client, auth):
    auth.login(world.admin)
    staff = page_figures(client, YEAR_2025)
    auth.logout()
    auth.login(world.employer)
    own = page_figures(client, YEAR_2025)
    assert "entreprises_prospectees" in staff and "entreprises_prospectees" not in own
    assert own["contrats_signes"] == (3.0, 0.0)  # company A's hires only (see the world)
    assert own != staff


def test_without_a_max_age_every_page_counts(world, client, auth, make, app):
    assert app.config["INDICATORS_MAX_AGE_MINUTES"] == "0"
    auth.login(world.admin)
    before = page_figures(client, YEAR_2025)["entreprises_nouvelles"][0]
    make.company(commune_code=THIERS, created_at=_at("2025-06-01"))
    assert page_figures(client, YEAR_2025)["entreprises_nouvelles"][0] == before + 1
    assert "indicator_snapshots" not in app.extensions
    assert "gardés quelques minutes" not in _page(client)


def test_recalculer_without_its_token_counts_nothing(kept, world, client, auth, make):
    auth.login(world.admin)
    before = page_figures(client, YEAR_2025)["entreprises_nouvelles"][0]
    make.company(commune_code=THIERS, created_at=_at("2025-06-01"))
    response = client.post(RECOUNT, data={})
    assert response.status_code in (303, 400)
    assert page_figures(client, YEAR_2025)["entreprises_nouvelles"][0] == before


def test_recalculer_with_impossible_filters_shows_their_message(kept, world, client, auth):
    auth.login(world.admin)
    token = csrf_token(client, "/indicateurs?periode=annee&annee=2025")
    response = client.post("/indicateurs/recalculer?periode=annee&annee=2999", data={"csrf_token": token},
                           follow_redirects=True)
    assert response.status_code == 422
    assert "L'année doit être comprise entre 2000 et" in html.unescape(response.get_data(as_text=True))


def test_a_visitor_cannot_recount(client, kept, app):
    response = client.post(RECOUNT, data={})
    assert response.status_code in (302, 303, 400)
    if response.status_code != 400:  # the CSRF check may answer first; otherwise, the login page
        assert "/connexion" in response.headers["Location"]
    assert not app.extensions.get("indicator_snapshots")


def test_the_store_keeps_at_most_max_kept_snapshots(kept, world, client, auth, app, monkeypatch):
    monkeypatch.setattr(snapshots, "MAX_KEPT", 2)
    auth.login(world.admin)
    for year in ("2023", "2024", "2025"):
        page_figures(client, {"periode": "annee", "annee": year})
    currents = [key[1].split("current=Period(start=datetime.date(")[1][:4] for key in app.extensions["indicator_snapshots"]]
    assert currents == ["2024", "2025"]  # the least recently read (2023) went first
