"""What the immersions add to other capabilities' pages (portal/pages.py): a young person's conventions."""

from crm.pmsmp import queries
from portal import pages


@pages.section("youth.detail", "crm/pmsmp/_youth_placements.html", order=20)
def youth_placements(user, youth) -> dict:
    return {"youth_placements": queries.placements_of_youth(youth.id, user)}
