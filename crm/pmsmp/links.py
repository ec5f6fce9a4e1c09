"""Personal links of a convention: signed tokens bound to the convention, the role and the e-mail."""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

LINK_MAX_AGE_DAYS = 30
SIGN, ASSESS = "sign", "assess"


class LinkError(Exception):
    """The link is expired, tampered with or no longer valid; `message` is French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"maillage-pmsmp-{purpose}")


def make_link_token(purpose: str, placement_id: int, role: str, email: str) -> str:
    """A signed token for one person (role + e-mail) on one convention."""
    return _serializer(purpose).dumps({"p": placement_id, "r": role, "e": email.strip().lower()})


def read_link_token(purpose: str, token: str) -> LinkClaims:
    """The claims of a valid token younger than 30 days, or LinkError."""
    if not token or len(token) > 600:
        raise LinkError("Ce lien n'est pas valide.")
    try:
        data = _serializer(purpose).loads(token, max_age=LINK_MAX_AGE_DAYS * 86400)
    except SignatureExpired as exc:
        raise LinkError("Ce lien a expiré (il est valable 30 jours). Demandez-en un nouveau à votre "
                        "conseiller·ère de la Mission Locale.") from exc
    except BadSignature as exc:
        raise LinkError("Ce lien n'est pas valide : il a peut-être été mal copié ou modifié.") from exc
    if not (isinstance(data, dict) and isinstance(data.get("p"), int) and isinstance(data.get("r"), str)
            and isinstance(data.get("e"), str)):
        raise LinkError("Ce lien n'est pas valide.")
    return LinkClaims(data["p"], data["r"], data["e"])
