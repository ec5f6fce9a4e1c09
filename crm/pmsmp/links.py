"""Personal links of a convention: signed tokens bound to the convention, the role and the e-mail."""

from dataclasses import dataclass
from datetime import timedelta

from portal.links import LinkError, LinkKind, declare

LINK_MAX_AGE_DAYS = 30
SIGN, ASSESS = "sign", "assess"


class ConventionEnded(LinkError):
    """The link is genuine but its convention was cancelled, refused or has lapsed: it shows no document any
    more, only a page saying so (`title`, `message`: French)."""

    def __init__(self, title: str, message: str):
        super().__init__(message)
        self.title = title


@dataclass(frozen=True)
class LinkClaims:
    placement_id: int
    role: str
    email: str


def _link_kind(purpose: str) -> LinkKind:
    return declare(f"pmsmp-{purpose}", salt=f"maillage-pmsmp-{purpose}",
                   # read at each use (a test shortens it)
                   max_age=lambda: timedelta(days=LINK_MAX_AGE_DAYS),
                   fields={"p": int, "r": str, "e": str}, max_length=600,
                   expired="Ce lien a expiré (il est valable 30 jours). Demandez-en un nouveau à votre "
                           "conseiller·ère de la Mission Locale.",
                   tampered="Ce lien n'est pas valide : il a peut-être été mal copié ou modifié.")


KINDS = {SIGN: _link_kind(SIGN), ASSESS: _link_kind(ASSESS)}


def make_link_token(purpose: str, placement_id: int, role: str, email: str) -> str:
    """A signed token for one person (role + e-mail) on one convention."""
    return KINDS[purpose].sign({"p": placement_id, "r": role, "e": email.strip().lower()})


def read_link_token(purpose: str, token: str) -> LinkClaims:
    """The claims of a valid token younger than 30 days, or LinkError."""
    data = KINDS[purpose].read(token)
    return LinkClaims(data["p"], data["r"], data["e"])
