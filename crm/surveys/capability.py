"""Satisfaction surveys: what the capability adds to the whole (portal/capabilities.py)."""

from portal.capabilities import Capability

capability = Capability(
    "crm.surveys",
    models=("crm.surveys.models",),
    blueprints=("crm.surveys.views:bp",),
    registers=(
        "crm.surveys.nav",          # menu entry
        "crm.surveys.permissions",  # access rules surveys.*
        "crm.surveys.reminders",    # reminder job: respondents to remind
        "crm.surveys.demo",         # demo seeder: a survey
        "crm.surveys.home",         # home to-do: the survey to send
    ),
)
