"""The rooms of Maillage, in one list: a capability adds its lines here and nowhere else in the shell.

- MODELS: modules holding tables (so create_all and Alembic see every table);
- BLUEPRINTS: "module:attribute" of each blueprint;
- REGISTRATIONS: modules imported for what they register (navigation entries, demo seeders,
  reminder jobs, access rules, derived search data).
"""

import importlib

from flask import Flask

MODELS = [
    "portal.accounts.models",
    "portal.audit.models",
    "portal.import_mapping",
    "portal.notifications.models",
    "portal.referentials.models",
    "crm.employers.models",
    "crm.partners.models",
    "crm.directory.models",
    "portal.api.models",
    "crm.offers.models",
    "crm.youth.models",
    "crm.matching.models",
    "crm.followup.models",
    "crm.pmsmp.models",
    "charte.models",
    "crm.surveys.models",
]

BLUEPRINTS = [
    "portal.home:bp",
    "portal.accounts.views:bp",
    "portal.referentials.views:bp",
    "portal.audit.views:bp",
    "crm.employers.views:bp",
    "crm.partners.views:bp",
    "crm.directory.views:bp",
    "portal.api.views:bp",
    "crm.offers.views:bp",
    "crm.youth.views:bp",
    "crm.matching.views:bp",
    "crm.followup.views:bp",
    "charte.views:bp",
    "crm.pmsmp.views:bp",
    "crm.reporting.views:bp",
    "crm.surveys.views:bp",
    "portal.privacy.views:bp",
    "portal.notifications.views:bp",
]

REGISTRATIONS: list[str] = [
    "crm.followup.hooks",
    "crm.followup.reminders",
    "crm.followup.demo",
    "crm.employers.nav",
    "crm.employers.permissions",
    "crm.employers.providers",
    "crm.employers.demo",
    "crm.partners.nav",
    "crm.partners.reminders",
    "crm.partners.providers",
    "crm.directory.nav",
    "crm.directory.reminders",
    "crm.directory.demo",
    "crm.offers.nav",
    "crm.youth.access",
    "charte.access",
    "charte.nav",
    "charte.reminders",
    "charte.demo",
    "crm.pmsmp.permissions",
    "crm.pmsmp.reminders",
    "crm.pmsmp.timeline",
    "crm.pmsmp.demo",
    "crm.reporting.nav",
    "crm.reporting.event_outcomes",
    "crm.surveys.nav",
    "crm.surveys.permissions",
    "crm.surveys.reminders",
    "crm.surveys.demo",
    "crm.surveys.home",
    "portal.privacy.nav",
    "portal.notifications.nav",
    "portal.privacy.reminders",
    "crm.offers.timeline",
    "crm.employers.home",
    "crm.followup.home",
    "crm.offers.home",
    "crm.matching.home",
    "crm.pmsmp.home",
    "crm.partners.home",
    "crm.directory.home",
    "charte.home",
    "crm.reporting.home",
    "portal.privacy.home",
    "crm.employers.search",
    "crm.offers.search",
    "crm.youth.search",
    "crm.partners.search",
    "crm.directory.search",
    "crm.directory.api",
    "crm.offers.api",
    "charte.api",
]


def import_models() -> None:
    for module in MODELS:
        importlib.import_module(module)


def register(app: Flask) -> None:
    """Import every capability and register its blueprint."""
    import_models()
    for module in REGISTRATIONS:
        importlib.import_module(module)
    for target in BLUEPRINTS:
        module, attr = target.split(":")
        app.register_blueprint(getattr(importlib.import_module(module), attr))
