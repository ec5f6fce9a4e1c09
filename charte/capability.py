"""The charter « Je m'engage pour la jeunesse de mon territoire »: what it adds to the whole."""

from portal.capabilities import Capability

capability = Capability(
    "charte",
    models=("charte.models",),
    blueprints=("charte.views:bp",),
    registers=(
        "charte.access",     # access rules charter.*
        "charte.nav",        # menu entries, company-list flag, company page (timeline, figures, merge), record counters
        "charte.reminders",  # reminder job: renewals
        "charte.demo",       # demo seeder: signatures
        "charte.home",       # home to-dos: renewal (employer), validation (admin)
        "charte.api",        # open data API: public signatories
    ),
)
