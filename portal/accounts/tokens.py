"""Signed, expiring, single-use links for invitations and password resets."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.accounts.rules import fingerprint

INVITATION = "invitation"
RESET = "password-reset"


class TokenError(Exception):
    """The link is expired, tampered with or already used; `message` is French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"maillage-{purpose}")


def user_fingerprint(user) -> str:
    # The password hash changes when the link is used, so the link works once only.
    return fingerprint(user.id, user.email, user.password_hash, user.active)


def make_token(user, purpose: str) -> str:
    """A signed token for `user` and `purpose`."""
    return _serializer(purpose).dumps({"u": user.id, "f": user_fingerprint(user)})


def read_token(token: str, purpose: str, max_age_seconds: int) -> tuple[int, str]:
    """The (user id, fingerprint) carried by a valid token, or TokenError."""
    if not token or len(token) > 500:
        raise TokenError("Ce lien n'est pas valide.")
    try:
        data = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenError("Ce lien a expiré. Demandez-en un nouveau.") from exc
    except BadSignature as exc:
        raise TokenError("Ce lien n'est pas valide : il a peut-être été mal copié.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("f"), str):
        raise TokenError("Ce lien n'est pas valide.")
    return data["u"], data["f"]
