"""Hires and post-hire check-ins: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.followup",
    models=("crm.followup.models",),
    blueprints=("crm.followup.views:bp",),
    registers=(
        "crm.followup.hooks",      # menu entries, access rules, hires told by matching and PMSMP (signals), company page
        "crm.followup.reminders",  # reminder job: post-hire check-ins
        "crm.followup.demo",       # demo seeders: hires, a reported difficulty
        "crm.followup.home",       # home to-dos: check-ins, difficulties
        "crm.followup.privacy",    # hires and check-ins in the DPO's tools (export, erasure, inactivity)
        "crm.followup.pages",      # section of the young person's page: hires
        "crm.followup.derived",    # derived data: a check-in's « difficulté signalée » flag (portal.search)
    ),
)
