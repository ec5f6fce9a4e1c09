"""The daily stale-services job: owners reminded once per staleness period, fresh or unpublished ones left."""

from datetime import date, timedelta

from sqlalchemy import select

from crm.directory.reminders import remind_stale_services
from portal.extensions import db
from portal.notifications.models import OutboxMessage


def _messages() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_stale_published_services_remind_their_owners_once(make):
    today = date.today()
    partner = make.partner(email="accueil@partenaire.test")
    owner = make.partner_user(partner_id=partner.id)
    old = today - timedelta(days=400)
    stale = make.directory_service(partner, name="Garage ancien", updated_on=old)
    make.directory_service(partner, name="Récent")
    make.directory_service(partner, name="Brouillon ancien", updated_on=old, status="brouillon")
    make.directory_service(make.partner(email="autre@partenaire.test"), name="Archivé ancien", updated_on=old,
                           status="archive")
    make.directory_service(None, name="Service de la Mission Locale", updated_on=old)  # no one to remind

    summary = remind_stale_services(today)
    assert summary == "2 service(s) à actualiser, 2 rappel(s) envoyé(s)"
    messages = _messages()
    assert [m.recipient for m in messages] == [owner.email]
    assert "Garage ancien" in messages[0].subject and "à actualiser" in messages[0].subject
    assert stale.stale_notified_on == today

    assert remind_stale_services(today + timedelta(days=1)).endswith("0 rappel(s) envoyé(s)")
    assert len(_messages()) == 1


def test_organisation_address_is_used_without_partner_accounts(make):
    partner = make.partner(email="contact@sans-compte.test")
    make.directory_service(partner, name="Sans compte", updated_on=date.today() - timedelta(days=200))
    remind_stale_services(date.today())
    assert [m.recipient for m in _messages()] == ["contact@sans-compte.test"]
