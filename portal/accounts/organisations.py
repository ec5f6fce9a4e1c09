"""The organisation an employer or partner account belongs to. The shell knows neither companies nor partner
organisations: employer relations registers how to find a company, partners how to find an organisation."""

from collections.abc import Callable
from typing import Any

from portal.capabilities import installed

_LOOKUPS: dict[str, Callable[[int], Any]] = {}


def register(role: str, lookup: Callable[[int], Any]) -> None:
    """`lookup(id)` returns the organisation of an account of `role` with that id, or None."""
    _LOOKUPS[role] = lookup


def find(role: str, organisation_id: int) -> Any:
    """The organisation, or None when it does not exist or no capability of the app provides this role's."""
    lookup = _LOOKUPS.get(role)
    if lookup is None or not installed(lookup):
        return None
    return lookup(organisation_id)
