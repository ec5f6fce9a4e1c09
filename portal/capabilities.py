"""The capabilities of Maillage, one line each: the only place in the shell that names them.

Each capability is a package holding a `capability.py` that declares, in one `Capability`, everything it
adds to the whole (think of Django's `AppConfig`): its tables, its blueprint, and the modules that
register its menu entries, access rules, reminder jobs, home to-dos, demo data, search data, privacy
exporters and erasers, indicator sources... `register(app)` imports them (`Capability.ready`) and
registers the blueprints of the capabilities the app is built with (config `CAPABILITIES`, this list by
default). The registries stay process-wide; what a capability left out of an app registered is skipped by
`installed`, so a missing capability simply contributes nothing.
"""

import importlib
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context

# The order is the order of the registrations: the company page lists its timeline and key figures, and
# `flask reminders run` runs its jobs, in this order.
CAPABILITIES = [
    "crm.followup",
    "crm.employers",
    "crm.partners",
    "crm.directory",
    "crm.offers",
    "crm.youth",
    "crm.matching",
    "charte",
    "crm.pmsmp",
    "crm.reporting",
    "crm.surveys",
    "portal.privacy",
    "portal.notifications",
]


@dataclass(frozen=True)
class Capability:
    """What one capability adds to the whole."""

    name: str  # its package: "crm.offers", "charte"
    models: tuple[str, ...] = ()  # modules holding its tables (create_all and Alembic see them)
    blueprints: tuple[str, ...] = ()  # "module:attribute"
    registers: tuple[str, ...] = ()  # modules imported for what they register with the shell or other capabilities

    def ready(self) -> None:
        """Import the tables, then every registration module."""
        for module in self.models + self.registers:
            importlib.import_module(module)

    def register(self, app: Flask) -> None:
        """Make the capability part of `app`: registrations, then blueprints."""
        self.ready()
        for target in self.blueprints:
            module, attr = target.split(":")
            app.register_blueprint(getattr(importlib.import_module(module), attr))


# The shell's own rooms: always there, and first.
SHELL = Capability(
    "portal",
    models=("portal.accounts.models", "portal.audit.models", "portal.import_mapping", "portal.notifications.models",
            "portal.referentials.models", "portal.api.models"),
    blueprints=("portal.home:bp", "portal.accounts.views:bp", "portal.referentials.views:bp", "portal.audit.views:bp",
                "portal.api.views:bp"),
)


def load(name: str) -> Capability:
    """The `capability` declared in `<name>/capability.py`."""
    return importlib.import_module(f"{name}.capability").capability


def import_models(names: list[str] | None = None) -> None:
    """Import every table of the shell and of the capabilities (all of them by default)."""
    for capability in [SHELL] + [load(n) for n in (CAPABILITIES if names is None else names)]:
        for module in capability.models:
            importlib.import_module(module)


def register(app: Flask) -> None:
    """Import every capability of the app (config `CAPABILITIES`) and register its blueprint."""
    names = list(app.config.get("CAPABILITIES") or CAPABILITIES)
    app.extensions["capabilities"] = tuple(names)
    # every table first: a capability's models may name another's in a relationship
    import_models(names)
    SHELL.register(app)
    for name in names:
        load(name).register(app)


def _owner(module: str, names) -> str | None:
    owners = [n for n in names if module == n or module.startswith(n + ".")]
    return max(owners, key=len, default=None)


def installed(thing) -> bool:
    """Whether `thing` (a registered function, or a dotted module or capability name) belongs to the shell or
    to a capability the current app is built with. True outside an application context."""
    if not has_app_context():
        return True
    names = current_app.extensions.get("capabilities", CAPABILITIES)
    module = thing if isinstance(thing, str) else getattr(thing, "__module__", "") or ""
    owner = _owner(module, set(CAPABILITIES) | set(names))
    return owner is None or owner in names
