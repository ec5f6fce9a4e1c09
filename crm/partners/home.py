"""Home to-dos of the partner conventions: those ending soon, those whose signed document is missing."""

from flask import url_for
from sqlalchemy import exists

from crm.partners.models import Convention, ConventionDocument
from crm.partners.queries import conventions_for, filtered_conventions
from portal.access import PARTNER
from portal.home.widgets import SOON, WAITING, Row, from_query, todo
from portal.text import date_fr

EXPIRING_DAYS = 60  # the « échéance proche » filter of the conventions list


def expiring(user, today):
    """Active conventions ending within 60 days (the list's « échéance proche » filter)."""
    return filtered_conventions(user, expiring_within=EXPIRING_DAYS, today=today)


def without_document(user):
    """Draft or active conventions with no signed document on file, soonest end first."""
    return (conventions_for(user).where(Convention.status.in_(("brouillon", "active")),
                                        ~exists().where(ConventionDocument.convention_id == Convention.id))
            .order_by(Convention.end_on, Convention.id))


@todo((PARTNER,))
def expiring_todo(user, today):
    return from_query(
        expiring(user, today),
        lambda c: Row(c.title, url_for("partners.show_convention", convention_id=c.id),
                      f"se termine le {date_fr(c.end_on)}", late=c.end_on < today),
        key="conventions-echeance", title="Conventions qui arrivent à échéance", urgency=SOON,
        link=("Voir les conventions à échéance", url_for("partners.list_conventions", echeance="1")),
        empty="Vos conventions avec la Mission Locale courent encore plus de deux mois.")


@todo((PARTNER,))
def documents_todo(user, today):
    return from_query(
        without_document(user),
        lambda c: Row(c.title, url_for("partners.show_convention", convention_id=c.id),
                      "exemplaire signé à transmettre à votre référent·e de la Mission Locale"),
        key="documents", title="Conventions sans document signé", urgency=WAITING,
        empty="Chaque convention a son exemplaire signé.")
