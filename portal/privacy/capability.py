"""Personal data of young people: the DPO's page, export, erasure, retention: what it adds to the whole."""

from portal.capabilities import Capability

capability = Capability(
    "portal.privacy",
    blueprints=("portal.privacy.views:bp",),
    registers=(
        "portal.privacy.nav",        # menu entry
        "portal.privacy.reminders",  # reminder job: retention
        "portal.privacy.home",       # home widget and to-do of the retention
    ),
)
