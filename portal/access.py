"""Who may use what: one declaration per endpoint, one `can` for objects and actions.

Every view declares its audience with `@roles(...)` or `@public`; a guard run before every request
enforces it, and refuses (and logs) any endpoint that declared nothing, so an undeclared view can never
be reached. `tests/portal/test_access.py` walks the URL map and fails on such a view.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, jsonify, request
from flask_login import current_user

from portal.extensions import login_manager

ADMIN = "admin"
COUNSELLOR = "counsellor"
EMPLOYER = "employer"
PARTNER = "partner"
ROLES = (ADMIN, COUNSELLOR, EMPLOYER, PARTNER)
STAFF = (ADMIN, COUNSELLOR)
ROLE_LABELS = {
    ADMIN: "Administration",
    COUNSELLOR: "Conseiller·ère",
    EMPLOYER: "Employeur",
    PARTNER: "Partenaire",
}

PUBLIC = frozenset({"public"})
ACCESS_ATTR = "maillage_access"

# action name -> predicate(user, obj) ; filled by capability packages with @rule
_RULES: dict[str, Callable[[Any, Any], bool]] = {}


def roles(*allowed: str) -> Callable:
    """Declare the roles that may use a view (the user must be logged in)."""
    unknown = set(allowed) - set(ROLES)
    if unknown or not allowed:
        raise ValueError(f"rôles inconnus ou absents : {unknown or allowed}")

    def decorator(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTR, frozenset(allowed))
        return view

    return decorator


def public(view: Callable) -> Callable:
    """Declare a view open to anyone, logged in or not."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def declared_access(view: Callable) -> frozenset[str] | None:
    """The audience a view declared, or None."""
    return getattr(view, ACCESS_ATTR, None)


def rule(action: str) -> Callable:
    """Register the predicate that answers `can(user, action, obj)`."""

    def decorator(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        if action in _RULES:
            raise ValueError(f"règle déjà déclarée : {action}")
        _RULES[action] = fn
        return fn

    return decorator


def can(user: Any, action: str, obj: Any = None) -> bool:
    """True when `user` may do `action` (on `obj`); unknown actions are refused."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    predicate = _RULES.get(action)
    if predicate is None:
        current_app.logger.error("Règle d'accès inconnue : %s", action)
        return False
    return bool(predicate(user, obj))


def wants_json() -> bool:
    """JSON clients (API, autocomplete) get JSON errors instead of pages and redirects."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _guard():
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    if any(isinstance(v, str) and "\x00" in v for v in (request.view_args or {}).values()):
        abort(404)  # no identifier contains NUL; the database would refuse it
    view = current_app.view_functions.get(endpoint)
    allowed = declared_access(view) if view else None
    if allowed is None:
        current_app.logger.error("Point d'accès sans règle déclarée : %s", endpoint)
        abort(403)
    if allowed is PUBLIC:
        return None
    if not current_user.is_authenticated:
        if wants_json():
            return jsonify(error="Authentification requise."), 401

        return login_manager.unauthorized()
    if current_user.role not in allowed:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_guard)
    app.jinja_env.globals["can"] = lambda action, obj=None: can(current_user, action, obj)
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS


# --- rules owned by the shell -------------------------------------------------------------------


def is_staff(user: Any) -> bool:
    """Admins and counsellors: the Mission Locale's own people."""
    return user.role in STAFF


@rule("accounts.manage")
def _manage_accounts(user, obj):
    return user.role == ADMIN


@rule("accounts.invite")
def _invite(user, role):
    # An admin invites anyone; a counsellor invites employer and partner users only.
    if user.role == ADMIN:
        return True
    return user.role == COUNSELLOR and role in (None, EMPLOYER, PARTNER)


@rule("territory.edit")
def _edit_territory(user, obj):
    return user.role == ADMIN


@rule("audit.read")
def _read_audit(user, obj):
    return user.role == ADMIN
