"""Signed, expiring, single-use links for invitations and password resets."""

from portal.accounts.rules import fingerprint
from portal.links import LinkError, config_days, config_hours, declare

INVITATION = "invitation"
RESET = "password-reset"

# The name the accounts views, the check-in and the survey links have always caught.
TokenError = LinkError

_EXPIRED = "Ce lien a expiré. Demandez-en un nouveau."
KINDS = {
    INVITATION: declare("invitation", salt="maillage-invitation", max_age=config_days("INVITATION_MAX_AGE_DAYS"),
                        fields={"u": int, "f": str}, expired=_EXPIRED),
    RESET: declare("password-reset", salt="maillage-password-reset", max_age=config_hours("RESET_MAX_AGE_HOURS"),
                   fields={"u": int, "f": str}, expired=_EXPIRED),
}


def user_fingerprint(user) -> str:
    # The password hash changes when the link is used, so the link works once only.
    return fingerprint(user.id, user.email, user.password_hash, user.active)


def make_token(user, purpose: str) -> str:
    """A signed token for `user` and `purpose`."""
    return KINDS[purpose].sign({"u": user.id, "f": user_fingerprint(user)})


def read_token(token: str, purpose: str) -> tuple[int, str]:
    """The (user id, fingerprint) carried by a valid token, or TokenError."""
    data = KINDS[purpose].read(token)
    return data["u"], data["f"]
