"""Immersions (PMSMP): conventions, signatures, assessments: what it adds to the whole."""

from portal.capabilities import Capability

capability = Capability(
    "crm.pmsmp",
    models=("crm.pmsmp.models",),
    blueprints=("crm.pmsmp.views:bp",),
    registers=(
        "crm.pmsmp.permissions",  # access rules pmsmp.*
        "crm.pmsmp.reminders",    # reminder job: signatures and assessments
        "crm.pmsmp.timeline",     # company page (conventions, figures, task links)
        "crm.pmsmp.demo",         # demo seeder: conventions
        "crm.pmsmp.home",         # home to-dos: to sign, conventions to follow
        "crm.pmsmp.privacy",      # conventions in the DPO's tools (export, erasure, inactivity)
        "crm.pmsmp.pages",        # section of the young person's page: conventions
        "crm.pmsmp.search",       # search data of conventions (the young person's and the company's)
    ),
)
