"""Recruitment needs and job offers: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.offers",
    models=("crm.offers.models",),
    blueprints=("crm.offers.views:bp",),
    registers=(
        "crm.offers.nav",       # menu entries (offers, young people), access rules, reminder job: idle offers
        "crm.offers.timeline",  # company page (offers and positionings, figures, task links)
        "crm.offers.home",      # home to-dos of employers: idle offers, drafts
        "crm.offers.search",    # search data of offers
        "crm.offers.api",       # open data API: published offers
    ),
)
