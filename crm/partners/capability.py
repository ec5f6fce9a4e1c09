"""Partner organisations and their conventions: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.partners",
    models=("crm.partners.models",),
    blueprints=("crm.partners.views:bp",),
    registers=(
        "crm.partners.nav",        # menu entries
        "crm.partners.reminders",  # reminder job: expiring conventions
        "crm.partners.providers",  # task links to organisations and conventions, organisation of a partner account
        "crm.partners.demo",       # demo seeders: the demo partner account's organisation
        "crm.partners.home",       # home to-dos of partners
        "crm.partners.search",     # search data of partner organisations
    ),
)
