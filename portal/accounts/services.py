"""Account use cases: they flush, audit and queue e-mails; the view commits."""

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from portal.access import ADMIN, EMPLOYER, PARTNER, ROLE_LABELS, ROLES, can
from portal.accounts import tokens
from portal.accounts.models import User
from portal.accounts.rules import password_problem
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow
from portal.notifications.services import queue

# Checked against when the e-mail is unknown, so that both answers take the same time.
_DUMMY_HASH = generate_password_hash("maillage-dummy-password")


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # scrypt, Werkzeug's default


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work whether the e-mail exists or not)."""
    user = find_user_by_email(email)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password or "")
    if user is None or not user.password_hash or not valid or not user.active:
        return None
    return user


def end_sessions(user: User) -> None:
    """End every open session of the account, on every device: each was opened with the previous
    session version (one UPDATE, so two logouts at once never conflict)."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))


def logout_everywhere(actor: User, user: User) -> None:
    """An admin ends every session of another account (a lost phone, a shared computer)."""
    if not can(actor, "accounts.manage", user):
        raise DomainError("Seule l'administration peut déconnecter un compte.")
    if user.id == actor.id:
        raise DomainError("Pour fermer vos propres sessions, déconnectez-vous : toutes le sont alors.")
    end_sessions(user)
    record(actor, "account.logout_everywhere", user, summary=f"Déconnexion de toutes les sessions de {user.email}")


def record_login(user: User) -> None:
    """Note a successful login."""
    user.last_login_at = utcnow()
    record(user, "account.login", user, summary="Connexion")


def _check_password(password: str, email: str, field: str = "password") -> None:
    problem = password_problem(password, email=email)
    if problem:
        raise DomainError(problem, field=field)


def invite_user(actor: User, *, email: str, full_name: str, role: str,
                company_id: int | None = None, partner_id: int | None = None) -> User:
    """Create an inactive-until-accepted account and e-mail its invitation link."""
    email = normalise_email(email)
    if role not in ROLES:
        raise DomainError("Rôle inconnu.", field="role")
    if not can(actor, "accounts.invite", role):
        raise DomainError("Vous ne pouvez pas inviter un compte de ce rôle.", field="role")
    if find_user_by_email(email):
        raise DomainError("Un compte existe déjà avec cette adresse électronique.", field="email")
    if role == EMPLOYER and not company_id:
        raise DomainError("Choisissez l'entreprise de ce compte employeur.", field="company_id")
    if role == PARTNER and not partner_id:
        raise DomainError("Choisissez l'organisation de ce compte partenaire.", field="partner_id")
    user = User(
        email=email, full_name=full_name.strip(), role=role, active=True,
        company_id=company_id if role == EMPLOYER else None,
        partner_id=partner_id if role == PARTNER else None,
        invited_at=utcnow(), invited_by_id=actor.id,
    )
    db.session.add(user)
    db.session.flush()
    _send_invitation(user, actor)
    record(actor, "account.invite", user, summary=f"Invitation de {email} ({ROLE_LABELS[role]})")
    return user


def resend_invitation(actor: User, user: User) -> None:
    """Send a fresh invitation link to an account that has not chosen its password yet."""
    if user.has_password:
        raise DomainError("Ce compte a déjà choisi son mot de passe.")
    if not can(actor, "accounts.invite", user.role):
        raise DomainError("Vous ne pouvez pas inviter un compte de ce rôle.")
    user.invited_at = utcnow()
    _send_invitation(user, actor)
    record(actor, "account.reinvite", user, summary=f"Nouvelle invitation envoyée à {user.email}")


def _send_invitation(user: User, actor: User | None) -> None:
    token = tokens.make_token(user, tokens.INVITATION)
    link = public_url("accounts.accept_invitation", token=token)
    queue(user.email, "Votre accès à Maillage", "invitation.txt", user=user, link=link,
          inviter=actor.display_name if actor else None,
          days=current_app.config["INVITATION_MAX_AGE_DAYS"])


def user_from_token(token: str, purpose: str) -> User:
    """The account a valid, unused link points to, or TokenError."""
    user_id, fp = tokens.read_token(token, purpose)
    user = db.session.get(User, user_id)
    if user is None or tokens.user_fingerprint(user) != fp:
        raise tokens.TokenError("Ce lien a déjà été utilisé ou n'est plus valable.")
    if not user.active:
        raise tokens.TokenError("Ce compte est désactivé. Contactez la Mission Locale.")
    if purpose == tokens.INVITATION and user.has_password:
        raise tokens.TokenError("Cette invitation a déjà été acceptée : connectez-vous.")
    return user


def accept_invitation(token: str, *, password: str, full_name: str | None = None) -> User:
    """Set the invited account's password (the link then stops working)."""
    user = user_from_token(token, tokens.INVITATION)
    _check_password(password, user.email)
    if full_name and full_name.strip():
        user.full_name = full_name.strip()
    user.password_hash = hash_password(password)
    record(user, "account.accept_invitation", user, summary="Invitation acceptée")
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link when an active account has this address; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = tokens.make_token(user, tokens.RESET)
    link = public_url("accounts.reset_password", token=token)
    queue(user.email, "Réinitialisation de votre mot de passe Maillage", "password_reset.txt",
          user=user, link=link, hours=current_app.config["RESET_MAX_AGE_HOURS"])
    record(user, "account.reset_requested", user, summary="Demande de réinitialisation du mot de passe")


def reset_password(token: str, *, password: str) -> User:
    """Set a new password through a reset link (the link then stops working)."""
    user = user_from_token(token, tokens.RESET)
    _check_password(password, user.email)
    user.password_hash = hash_password(password)
    end_sessions(user)
    record(user, "account.reset_password", user, summary="Mot de passe réinitialisé")
    return user


def change_password(user: User, *, current: str, new: str) -> None:
    """Change one's own password, the current one being required."""
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise DomainError("Le mot de passe actuel est incorrect.", field="current_password")
    if current == new:
        raise DomainError("Le nouveau mot de passe doit être différent de l'actuel.", field="new_password")
    _check_password(new, user.email, field="new_password")
    user.password_hash = hash_password(new)
    end_sessions(user)  # the view opens a new one for the person who changed it
    record(user, "account.change_password", user, summary="Mot de passe modifié")


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account; one cannot deactivate oneself."""
    if user.id == actor.id:
        raise DomainError("Vous ne pouvez pas désactiver votre propre compte.")
    if actor.role != ADMIN and not (can(actor, "accounts.invite", user.role)):
        raise DomainError("Vous ne pouvez pas modifier ce compte.")
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        end_sessions(user)  # a reactivated account logs in again
    record(actor, "account.reactivate" if active else "account.deactivate", user,
           summary=("Réactivation" if active else "Désactivation") + f" du compte {user.email}")


def create_user(*, email: str, password: str, role: str, full_name: str = "",
                company_id: int | None = None, partner_id: int | None = None) -> User:
    """Create an active account directly (CLI and demo data; the web goes through invitations)."""
    if find_user_by_email(email):
        raise DomainError("Un compte existe déjà avec cette adresse électronique.", field="email")
    user = User(email=normalise_email(email), full_name=full_name, role=role,
                password_hash=hash_password(password), company_id=company_id, partner_id=partner_id)
    db.session.add(user)
    db.session.flush()
    record(None, "account.create", user, summary=f"Compte créé : {user.email}", actor_label="système")
    return user
