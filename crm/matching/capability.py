"""Matching engine and positionings: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.matching",
    models=("crm.matching.models",),
    blueprints=("crm.matching.views:bp",),
    registers=(
        "crm.matching.timeline",  # company page: young people proposed (timeline, key figure)
        "crm.matching.demo",     # demo seeders: offers, young people and positionings, home to-dos
        "crm.matching.home",     # home to-dos: candidates, positionings
        "crm.matching.privacy",  # positionings in the DPO's tools (export, erasure, inactivity)
        "crm.matching.pages",    # sections of the young person's and the offer's pages: positionings
    ),
)
