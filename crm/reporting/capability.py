"""Indicators, dashboards and the funder report: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.reporting",
    blueprints=("crm.reporting.views:bp",),
    registers=(
        "crm.reporting.nav",             # menu entry
        "crm.reporting.event_outcomes",  # what followed an event, on the event page
        "crm.reporting.home",            # home widget: the month in figures
    ),
)
