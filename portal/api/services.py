"""API tokens: create, revoke, authenticate."""

import hashlib
import secrets

from sqlalchemy import func, select

from portal.access import PARTNER
from portal.api.models import ApiToken
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow

PREFIX = "mlg_"
MAX_ACTIVE = 5


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, *, name: str) -> tuple[ApiToken, str]:
    """A new personal token for a partner user; returns the row and the clear token (shown once)."""
    if actor.role != PARTNER:
        raise DomainError("Seuls les comptes partenaires disposent de jetons d'API.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Donnez un nom au jeton (par exemple : « tableur de suivi »).", field="name")
    active = db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == actor.id,
                                                                     ApiToken.revoked_at.is_(None)))
    if active >= MAX_ACTIVE:
        raise DomainError(f"Vous avez déjà {MAX_ACTIVE} jetons actifs : révoquez-en un d'abord.", field="name")
    clear = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name[:100], prefix=clear[:12], token_hash=_digest(clear))
    db.session.add(token)
    db.session.flush()
    record(actor, "api.token_create", token, summary=f"Jeton d'API créé : {token.name}")
    return token, clear


def revoke_token(actor, token: ApiToken) -> None:
    """Revoke one of the actor's tokens."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        record(actor, "api.token_revoke", token, summary=f"Jeton d'API révoqué : {token.name}")


def user_for_token(clear: str):
    """The active user owning a valid token, or None; notes the last use."""
    if not clear or not clear.startswith(PREFIX) or len(clear) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(clear),
                                                     ApiToken.revoked_at.is_(None)))
    if token is None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())))


def token_of(user, token_id: int) -> ApiToken | None:
    return db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
