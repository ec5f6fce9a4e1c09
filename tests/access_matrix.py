"""DESIGN.md §4 as data: the most each room gives to each audience. A view may give less, never more.

`public` stands for a visitor without an account. The URL-map test (tests/portal/test_access.py) fails
when an endpoint declares an audience outside its room's line, or declares nothing.
"""

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER

PUBLIC = "public"
ALL_ROLES = {ADMIN, COUNSELLOR, EMPLOYER, PARTNER}
STAFF = {ADMIN, COUNSELLOR}

# endpoint prefix (blueprint or blueprint.view) -> audiences allowed at most; longest prefix wins
MAX_ACCESS = {
    "home": ALL_ROLES | {PUBLIC},
    "accounts": ALL_ROLES | {PUBLIC},
    "accounts.list_users": STAFF,
    "accounts.invite_user": STAFF,
    "accounts.deactivate_user": STAFF,
    "accounts.reactivate_user": STAFF,
    "accounts.resend_invitation": STAFF,
    "referentials": ALL_ROLES | {PUBLIC},
    "referentials.show_territory": {ADMIN},
    "referentials.add_territory_commune": {ADMIN},
    "referentials.remove_territory_commune": {ADMIN},
    "referentials.add_territory_epci": {ADMIN},
    "referentials.remove_territory_epci": {ADMIN},
    "audit": {ADMIN},
    "employers": STAFF | {EMPLOYER},
    "partners": STAFF | {PARTNER},
}


def max_access(endpoint: str) -> set[str]:
    """The audiences DESIGN.md §4 allows at most for an endpoint."""
    best = None
    for prefix in MAX_ACCESS:
        if endpoint == prefix or endpoint.startswith(prefix + "."):
            if best is None or len(prefix) > len(best):
                best = prefix
    if best is None:
        raise AssertionError(f"{endpoint} : aucune ligne de DESIGN.md §4 ne couvre cette salle (tests/access_matrix.py)")
    return MAX_ACCESS[best]
