"""What the directory adds to other capabilities' pages (portal/pages.py): an organisation's services."""

from crm.directory import queries
from portal import pages


@pages.section("partners.detail", "crm/directory/_partner_services.html", order=10)
def partner_services(user, partner) -> dict:
    return {"services": queries.services_of_partner(user, partner.id)}
