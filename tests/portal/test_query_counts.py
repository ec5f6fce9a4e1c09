"""The pages of issue 19 §3 read a page of rows in a fixed number of queries, however many rows there are:
each page is measured with a few rows, then with many more, and must run the same statements count.
(The young people list, the follow-up list, the PMSMP list, the directory by commune and the home are
measured beside their own tests.)"""

from datetime import date, timedelta

import pytest

from crm.employers import services as employers
from crm.employers.activity import log_interaction
from crm.pmsmp.models import Placement
from portal.extensions import db


def _grows_not(client, count_queries, url: str, fill, expect: str) -> None:
    fill(2)
    assert client.get(url).status_code == 200  # caches of reference data warmed
    with count_queries() as few:
        assert client.get(url).status_code == 200
    fill(8)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert expect in page
    assert many.count == few.count, "\n".join(many.statements)


@pytest.fixture()
def counsellor(auth, make):
    user = make.counsellor()
    auth.login(user)
    return user


def test_candidates_for_an_offer(client, make, counsellor, count_queries):
    offer = make.offer()

    def fill(n):
        for _ in range(n):
            make.youth()  # a matching candidate in Thiers
            make.positioning(offer, make.youth(), status="retenue")

    _grows_not(client, count_queries, f"/offres/{offer.id}/candidats", fill, "Léa")


def test_offers_for_a_young_person(client, make, counsellor, count_queries):
    youth = make.youth()

    def fill(n):
        for _ in range(n):
            make.offer(make.company(owner_id=make.counsellor().id))
            make.positioning(make.offer(), youth, status="suggeree")

    _grows_not(client, count_queries, f"/jeunes/{youth.id}/offres", fill, "Forgeron")


def test_a_young_persons_record(client, make, counsellor, count_queries):
    youth = make.youth(referent_id=counsellor.id)

    def fill(n):
        for _ in range(n):
            make.positioning(make.offer(make.company(owner_id=make.counsellor().id)), youth)
            make.hire(youth=youth, company=make.company())

    _grows_not(client, count_queries, f"/jeunes/{youth.id}", fill, youth.last_name)


def test_companies_without_an_exchange_for_90_days(client, make, counsellor, count_queries):
    def fill(n):
        for _ in range(n):
            company = make.company(owner_id=make.counsellor().id)
            employers.add_contact(counsellor, company, full_name="Jean Bost")
            log_interaction(counsellor, company=company, kind="appel", summary="Appel",
                            occurred_on=date.today() - timedelta(days=120))

    _grows_not(client, count_queries, "/entreprises?sans_echange=90", fill, "Entreprise test")


def test_the_pmsmp_search(client, make, counsellor, count_queries):
    def fill(n):
        for _ in range(n):
            make.placement(actor=counsellor, youth=make.pmsmp_youth(last_name="Fargeix"))

    _grows_not(client, count_queries, "/pmsmp/?q=fargeix", fill, "Fargeix")
    assert db.session.query(Placement).count() == 10


def test_the_directory_search_by_words(client, make, counsellor, count_queries):
    def fill(n):
        for _ in range(n):
            make.directory_service(make.partner(), name="Permis solidaire")

    _grows_not(client, count_queries, "/annuaire?q=permis", fill, "Permis solidaire")


def test_the_young_people_search(client, make, counsellor, count_queries):
    def fill(n):
        for _ in range(n):
            make.youth(referent_id=make.counsellor().id)

    _grows_not(client, count_queries, "/jeunes?q=martin", fill, "Martin")


def test_the_positionings_waiting_on_the_counsellor(client, make, counsellor, count_queries):
    def fill(n):
        for i in range(n):  # each on its own company's offer, kept or asked for an interview
            offer = make.offer(make.company(), counsellor_id=counsellor.id)
            make.positioning(offer, status=("retenue", "entretien")[i % 2], proposed_at=None)

    _grows_not(client, count_queries, "/mises-en-relation/a-traiter", fill, "Forgeron·ne en coutellerie")
