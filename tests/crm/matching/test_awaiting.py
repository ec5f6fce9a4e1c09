"""« Mises en relation à traiter »: the whole list of the counsellor's home to-do, from the same query."""

import re
from datetime import datetime, timedelta
from html import unescape

import pytest

from crm.matching.queries import awaiting_counsellor
from portal.extensions import db
from portal.models import utcnow
from portal.privacy import services as privacy
from tests.factories import count_of

URL = "/mises-en-relation/a-traiter"


def _page(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def _rows(html: str) -> int:
    return len(re.findall(r'<a href="/offres/\d+">', html.split("<tbody>")[1].split("</tbody>")[0]))


def test_the_counsellors_waiting_positionings_and_no_one_elses(client, auth, make):
    me, colleague = make.counsellor(), make.counsellor()
    offer = make.offer(make.company(name="Coutellerie Chambriard"), counsellor_id=me.id, title="Émouleur·se")
    kept = make.positioning(offer, make.youth(first_name="Inès", last_name="Bon"), status="retenue",
                            proposed_at=None)
    kept.updated_at = datetime(2026, 11, 30, 23, 30)  # 1 December in Paris
    meet = make.positioning(offer, make.youth(first_name="Noah", last_name="Rencontre"), status="entretien",
                            employer_answered_at=datetime(2026, 12, 2, 9, 0))
    make.positioning(offer, make.youth(first_name="Zoé", last_name="Attend"), status="proposee")  # on the employer
    theirs = make.offer(counsellor_id=colleague.id, title="Offre du collègue")
    make.positioning(theirs, make.youth(first_name="Lou", last_name="Collègue"), status="retenue")
    db.session.flush()
    auth.login(me)
    page = _page(client)
    assert "<title>Mises en relation à traiter" in page and "<h1>Mises en relation à traiter</h1>" in page
    assert "Lou Collègue" not in page and "Offre du collègue" not in page and "Zoé Attend" not in page
    # the employer's wish first, then the oldest
    assert page.index("Noah Rencontre") < page.index("Inès Bon")
    assert f'href="/jeunes/{kept.youth_id}">Inès Bon</a>' in page
    assert f'href="/offres/{offer.id}">Émouleur·se</a>' in page and "Coutellerie Chambriard" in page
    assert "à proposer à l'employeur" in page and "l'employeur souhaite rencontrer" in page
    assert "01/12/2026" in page and "02/12/2026" in page
    assert f'href="/jeunes/{meet.youth_id}">Noah Rencontre</a>' in page and _rows(page) == 2


def test_the_home_to_do_links_to_the_list_and_counts_its_rows(client, auth, make):
    me = make.counsellor()
    offer = make.offer(counsellor_id=me.id)
    for _ in range(27):
        make.positioning(offer, status="retenue", proposed_at=None)
    auth.login(me)
    home = _page(client, "/")
    todo = home.split('id="todo-mises-en-relation"')[1].split("</li>\n    <li class=\"todo\"")[0]
    assert f'<a href="{URL}">Voir toutes mes mises en relation à traiter (et 22 de plus)</a>' in todo
    assert re.search(r'badge-info">27</span>', todo)
    first = _page(client)
    assert count_of(awaiting_counsellor(me)) == 27 and "27 résultats" in first and "Page 1 sur 2" in first
    assert _rows(first) == 25
    second = _page(client, f"{URL}?page=2")
    assert _rows(second) == 2 and "Page 2 sur 2" in second


def test_nothing_waiting_says_where_to_look_for_candidates(client, auth, make):
    auth.login(make.counsellor())
    page = _page(client)
    assert "Aucune mise en relation n'attend votre action." in page
    assert "« Candidats suggérés »" in page and 'href="/offres">voir les offres</a>' in page


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999", "1.5", "²"])
def test_a_bad_page_number_is_never_an_error(client, auth, make, page):
    me = make.counsellor()
    make.positioning(make.offer(counsellor_id=me.id), status="retenue", proposed_at=None)
    auth.login(me)
    response = client.get(URL, query_string={"page": page})
    assert response.status_code == 200


def test_an_anonymised_young_person_is_neither_listed_nor_counted(client, auth, make):
    me = make.counsellor()
    offer = make.offer(counsellor_id=me.id)
    make.positioning(offer, make.youth(first_name="Inès", last_name="Bon"), status="retenue", proposed_at=None)
    erased = make.youth(first_name="Zoé", last_name="Effacée")
    make.positioning(offer, erased, status="entretien", employer_answered_at=utcnow() - timedelta(days=1))
    privacy.erase_youth(make.admin(), erased, reason="Demande écrite du jeune")
    db.session.flush()
    assert count_of(awaiting_counsellor(me)) == 1
    auth.login(me)
    page = _page(client)
    assert "Inès Bon" in page and f'/jeunes/{erased.id}"' not in page and _rows(page) == 1
    assert "Jeune anonymisé" not in _page(client, "/")


def test_refused_to_employers_partners_and_visitors(client, auth, make):
    assert client.get(URL).headers["Location"].startswith("/connexion")
    for user in (make.employer(), make.partner_user()):
        auth.login(user)
        assert client.get(URL).status_code == 403
        auth.logout()
    auth.login(make.admin())
    assert client.get(URL).status_code == 200
