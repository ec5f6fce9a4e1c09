"""What the matching adds to other capabilities' pages (portal/pages.py): the positionings of a young person
and the candidates of an offer."""

from crm.matching import queries
from portal import pages
from portal.access import PARTNER


@pages.section("youth.detail", "crm/matching/_youth_positionings.html", order=10)
def youth_positionings(user, youth) -> dict:
    return {"positionings": queries.positionings_of_youth(youth)}


@pages.section("offers.detail", "crm/matching/_offer_positionings.html", order=10)
def offer_positionings(user, offer) -> dict | None:
    """Staff and the offer's employer see its candidates; a partner reads the offer only."""
    if user.role == PARTNER:
        return None
    return {"positionings": queries.positionings_of_offer(user, offer)}
