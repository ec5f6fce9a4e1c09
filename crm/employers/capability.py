"""Employer relations: companies, contacts, interactions, tasks, events: what it adds to the whole."""

from portal.capabilities import Capability

capability = Capability(
    "crm.employers",
    models=("crm.employers.models",),
    blueprints=("crm.employers.views:bp",),
    registers=(
        "crm.employers.nav",          # menu entries
        "crm.employers.permissions",  # access rules companies.*
        "crm.employers.providers",    # company page, reminder job: tasks due, the company of an employer account
        "crm.employers.demo",         # demo seeders: the demo employer's company, companies, young participants
        "crm.employers.home",         # home to-dos: my tasks, the team's queue
        "crm.employers.search",       # search data of companies and contacts
        "crm.employers.privacy",      # tasks, events and interactions in the DPO's tools
    ),
)
