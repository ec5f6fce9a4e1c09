"""The direction's home: RGPD (profiles past retention), moderation queues, last retention report, the
month's key figures."""

from datetime import date, timedelta

from sqlalchemy import update

from charte.home import awaiting_validation
from crm.directory.home import moderation_queue
from crm.youth.models import YouthProfile
from portal.extensions import db
from portal.models import utcnow
from portal.privacy.home import past_retention
from portal.privacy.services import run_retention
from tests.factories import count_of


def test_profiles_past_their_retention_time_are_listed_then_gone_after_the_run(client, auth, make, app):
    admin = make.admin()
    old = make.youth(first_name="Ancienne")
    make.youth(first_name="Récente")
    db.session.execute(update(YouthProfile).where(YouthProfile.id == old.id)
                       .values(updated_at=utcnow() - timedelta(days=800)))
    today = date.today()
    assert [y.id for y in past_retention(today)] == [old.id]
    auth.login(admin)
    page = client.get("/").get_data(as_text=True)
    assert "Données personnelles : profils à anonymiser" in page
    assert f'href="/donnees-personnelles/jeunes/{old.id}"' in page
    assert "La conservation des données n&#39;a encore jamais tourné" in page
    run_retention(today)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert past_retention(today) == []
    assert "Conservation des données : 1 profil(s) anonymisé(s)" in page


def test_moderation_queues_are_the_lists_they_open(client, auth, make):
    admin = make.admin()
    pending = make.charter_signature(status="en_attente")
    make.charter_signature(status="active")
    review = make.directory_service(make.partner(), name="Garage solidaire", status="brouillon",
                                    review_state="a_valider")
    make.directory_service(name="Publié sans demande")
    assert count_of(awaiting_validation(admin, date.today())) == 1
    assert count_of(moderation_queue(admin)) == 1
    auth.login(admin)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/charte/signatures/{pending.id}"' in page and 'href="/charte/signatures?statut=en_attente"' in page
    assert f'href="/annuaire/services/{review.id}"' in page and 'href="/annuaire/gestion?a_valider=1"' in page
    listed = client.get("/annuaire/gestion?a_valider=1").get_data(as_text=True)
    assert "Garage solidaire" in listed and "Publié sans demande" not in listed


def test_the_months_key_figures_link_to_the_indicators(client, auth, make):
    admin = make.admin()
    make.offer(status="soumise")
    auth.login(admin)
    page = client.get("/").get_data(as_text=True)
    assert "Les chiffres de " in page and "offres reçues" in page
    today = date.today()
    assert f"/indicateurs?periode=mois&amp;annee={today.year}&amp;mois={today.month}" in page
    assert client.get(f"/indicateurs?periode=mois&annee={today.year}&mois={today.month}").status_code == 200


def test_counsellors_and_employers_get_no_direction_todo(client, auth, make):
    make.charter_signature(status="en_attente")
    for user in (make.counsellor(), make.employer()):
        auth.login(user)
        page = client.get("/").get_data(as_text=True)
        assert "Signatures de la charte à valider" not in page and "profils à anonymiser" not in page
        auth.logout()
