"""Young people's profiles: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.youth",
    models=("crm.youth.models",),
    blueprints=("crm.youth.views:bp",),
    registers=(
        "crm.youth.access",   # access rules youth.*
        "crm.youth.search",   # search data of young people
        "crm.youth.privacy",  # the profiles and their part of the DPO's tools (export, erasure)
    ),
)
