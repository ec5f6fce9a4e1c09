"""What the offers capability registers: navigation (offers, young people), access rules, reminders."""

from datetime import date

import crm.offers.access  # noqa: F401 - registers the offers.* rules
import crm.offers.timeline  # noqa: F401 - company page timeline, figures and task subjects
from crm.offers import services
from portal import navigation, reminders
from portal.access import EMPLOYER, PARTNER, STAFF

navigation.add("Offres", "offers.list_offers", STAFF, order=30)
navigation.add("Jeunes", "youth.list_youth", STAFF, order=35)
navigation.add("Mes offres", "offers.my_offers", (EMPLOYER,), order=30)
navigation.add("Offres publiées", "offers.published_offers", (PARTNER,), order=30)


@reminders.job("offres-inactives")
def idle_offers(today: date) -> str:
    """Warn at 45 days without update, close at 60."""
    warned, closed = services.handle_idle_offers(today)
    return f"{warned} offre(s) signalée(s) inactive(s), {closed} close(s) automatiquement"
