"""The shared service directory: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.directory",
    models=("crm.directory.models",),
    blueprints=("crm.directory.views:bp",),
    registers=(
        "crm.directory.nav",        # menu entry
        "crm.directory.reminders",  # reminder job: services not updated for long
        "crm.directory.demo",       # demo seeder: partners and services
        "crm.directory.home",       # home to-dos: stale and returned services, moderation
        "crm.directory.search",     # search data of services
        "crm.directory.api",        # open data API: the directory's services and structures
        "crm.directory.pages",      # section of a partner's page: its services
    ),
)
