"""The main navigation, by role. Capabilities add their entries with `add`."""

from dataclasses import dataclass

from flask import current_app, request, url_for

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER, STAFF


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: tuple[str, ...]
    order: int = 100


_ITEMS: list[NavItem] = []


def add(label: str, endpoint: str, roles: tuple[str, ...], order: int = 100) -> None:
    """Add a navigation entry shown to `roles` once its endpoint exists."""
    if not any(i.endpoint == endpoint for i in _ITEMS):
        _ITEMS.append(NavItem(label, endpoint, roles, order))


def items_for(user) -> list[dict]:
    """Entries for the user's role; one is flagged current: the exact endpoint, else the first entry of
    the same room (blueprint)."""
    if not getattr(user, "is_authenticated", False):
        return []
    current = request.endpoint or ""
    room = current.rsplit(".", 1)[0]
    visible = [i for i in sorted(_ITEMS, key=lambda i: i.order)
               if user.role in i.roles and i.endpoint in current_app.view_functions]
    chosen = next((i for i in visible if i.endpoint == current), None)
    if chosen is None:
        chosen = next((i for i in visible if i.order > 0 and i.endpoint.rsplit(".", 1)[0] == room), None)
    return [{"label": i.label, "url": url_for(i.endpoint), "current": i is chosen} for i in visible]

add("Accueil", "home.index", (ADMIN, COUNSELLOR, EMPLOYER, PARTNER), order=0)
add("Comptes", "accounts.list_users", STAFF, order=900)
add("Territoire", "referentials.show_territory", (ADMIN,), order=910)
add("Journal", "audit.list_events", (ADMIN,), order=920)
