"""The partner's home: its organisation's services to confirm or correct, conventions ending or missing
their signed document."""

from datetime import date, timedelta

from crm.directory.home import returned_services, stale_services
from crm.partners.home import expiring, without_document
from crm.partners.models import ConventionDocument
from portal.extensions import db
from tests.factories import count_of


def test_services_to_confirm_and_to_correct_are_its_own(client, auth, make):
    user = make.partner_user()
    mine, other = user.partner, make.partner(name="Autre association")
    stale = make.directory_service(mine, name="Auto-école sociale", updated_on=date.today() - timedelta(days=400))
    make.directory_service(mine, name="Service à jour")
    returned = make.directory_service(mine, name="Garage solidaire", status="brouillon",
                                      review_note="Précisez les horaires.")
    make.directory_service(mine, name="En attente", status="brouillon", review_state="a_valider",
                           review_note="Ancienne remarque")
    make.directory_service(other, name="Celui des autres", updated_on=date.today() - timedelta(days=400))
    today = date.today()
    assert [s.name for s in db.session.scalars(stale_services(user, today))] == ["Auto-école sociale"]
    assert [s.name for s in db.session.scalars(returned_services(user))] == ["Garage solidaire"]
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/annuaire/services/{stale.id}"' in page
    assert f'href="/annuaire/services/{returned.id}/modifier"' in page and "Précisez les horaires." in page
    assert "Celui des autres" not in page
    assert client.get(f"/annuaire/services/{returned.id}/modifier").status_code == 200


def test_conventions_ending_soon_or_without_document(client, auth, make):
    user = make.partner_user()
    today = date.today()
    ending = make.convention(user.partner, title="Mobilité 2026", end_on=today + timedelta(days=20))
    documented = make.convention(user.partner, title="Convention signée", end_on=today + timedelta(days=300))
    db.session.add(ConventionDocument(convention_id=documented.id, filename="c.pdf", stored_name="c.pdf", sha256="0" * 64,
                                      size=10, uploaded_by_id=make.counsellor().id))
    make.convention(user.partner, title="Résiliée", status="resiliee")
    make.convention(title="D'un autre partenaire", end_on=today + timedelta(days=5))
    db.session.flush()
    assert [c.title for c in db.session.scalars(expiring(user, today))] == ["Mobilité 2026"]
    assert [c.title for c in db.session.scalars(without_document(user))] == ["Mobilité 2026"]
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Conventions qui arrivent à échéance" in page and f'href="/partenaires/conventions/{ending.id}"' in page
    assert 'href="/partenaires/conventions?echeance=1"' in page
    assert "D&#39;un autre partenaire" not in page
    # the list the to-do opens counts the same conventions
    listed = client.get("/partenaires/conventions?echeance=1").get_data(as_text=True)
    assert "Mobilité 2026" in listed and "Convention signée" not in listed


def test_a_partner_user_without_organisation_sees_nothing(make):
    user = make.partner_user(partner_id=None)
    make.convention(end_on=date.today() + timedelta(days=5))
    assert count_of(expiring(user, date.today())) == 0
    assert count_of(without_document(user)) == 0
