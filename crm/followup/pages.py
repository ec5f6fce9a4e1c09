"""What the follow-up adds to other capabilities' pages (portal/pages.py): a young person's hires."""

from crm.followup import queries
from portal import pages


@pages.section("youth.detail", "crm/followup/_youth_hires.html", order=30)
def youth_hires(user, youth) -> dict:
    return {"followup_hires": queries.hires_of_youth(user, youth.id)}
