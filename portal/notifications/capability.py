"""Sent e-mails (the outbox page): what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "portal.notifications",
    blueprints=("portal.notifications.views:bp",),
    registers=(
        "portal.notifications.nav",  # menu entry
    ),
)
