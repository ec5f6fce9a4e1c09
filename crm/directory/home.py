"""Home to-dos of the service directory: the partner's services to confirm (stale) or to correct
(returned by moderation); the direction's moderation queue."""

from flask import url_for

from crm.directory.models import DirectoryService
from crm.directory.queries import editable_services_for, managed_services
from portal.access import ADMIN, PARTNER
from portal.home.widgets import SOON, TODAY, WAITING, Row, from_query, todo
from portal.text import date_fr


def stale_services(user, today):
    """The user's published services past their update frequency, stalest first."""
    return (editable_services_for(user).where(DirectoryService.status == "publie", DirectoryService.stale_on < today)
            .order_by(DirectoryService.stale_on, DirectoryService.id))


def returned_services(user):
    """The user's services sent back by moderation with a note, not resubmitted since."""
    return (editable_services_for(user).where(DirectoryService.review_state.is_(None),
                                              DirectoryService.review_note.is_not(None),
                                              DirectoryService.status != "archive")
            .order_by(DirectoryService.updated_at, DirectoryService.id))


def moderation_queue(user):
    """Services waiting for validation (the management list's « à valider » filter)."""
    return managed_services(user, review=True)


@todo((PARTNER,))
def stale_todo(user, today):
    return from_query(
        stale_services(user, today),
        lambda s: Row(s.name, url_for("directory.show_service", service_id=s.id),
                      f"à confirmer depuis le {date_fr(s.stale_on)}", late=True),
        key="services-a-confirmer", title="Services à confirmer (toujours d'actualité ?)", urgency=SOON,
        empty="Vos services publiés sont à jour.",
        empty_link=("Gérer mes services", url_for("directory.manage_services")))


@todo((PARTNER,))
def returned_todo(user, today):
    return from_query(
        returned_services(user),
        lambda s: Row(s.name, url_for("directory.edit_service", service_id=s.id), s.review_note or ""),
        key="services-a-corriger", title="Services renvoyés par la Mission Locale, à corriger", urgency=TODAY,
        empty="Aucun service à corriger.",
        empty_link=("Proposer un nouveau service", url_for("directory.create_service")))


@todo((ADMIN,))
def moderation_todo(user, today):
    return from_query(
        moderation_queue(user),
        lambda s: Row(s.name, url_for("directory.show_service", service_id=s.id),
                      s.partner.name if s.partner else "Mission Locale"),
        key="moderation-annuaire", title="Services de l'annuaire à valider", urgency=WAITING,
        link=("Voir la file de validation", url_for("directory.manage_services", a_valider="1")),
        empty="Aucun service n'attend de validation.")
