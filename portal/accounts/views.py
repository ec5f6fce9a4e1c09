"""Login, logout, "mon compte", invitations, password resets and account administration."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER, ROLES, STAFF, can, public, roles
from portal.accounts import services, tokens
from portal.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    ResetPasswordForm,
)
from portal.accounts.models import User
from portal.accounts.rules import local_path
from portal.errors import DomainError
from portal.extensions import db, limiter, login_manager
from portal.forms import EmptyForm
from portal.pagination import paginate
from portal.text import escape_like, fold, is_digits

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = "Adresse électronique ou mot de passe incorrect."
THROTTLED = ("Trop de tentatives de connexion échouées. Par sécurité, la connexion est bloquée "
             "pendant 15 minutes pour ce compte ou cette adresse. Vous pouvez aussi réinitialiser votre mot de passe.")

login_manager.login_view = "accounts.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str):
    """The account of a session ("<id>:<session version>", see User.get_id), while that session is open."""
    user_id, _, version = session_id.partition(":")
    if not (is_digits(user_id) and is_digits(version) and len(session_id) < 40):
        return None  # includes sessions opened before session versions: they log in again once
    user = db.session.get(User, int(user_id))
    # A deactivated account, or one whose sessions were ended since, loses its open sessions at once.
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _login_limit() -> str:
    return f"{current_app.config['LOGIN_MAX_FAILURES']} per {current_app.config['LOGIN_WINDOW_MINUTES']} minutes"


def _email_key() -> str:
    return "login-email:" + services.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    # Only failures count: a successful login redirects with 303.
    return response.status_code != 303


@bp.route("/connexion", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, key_func=_email_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            services.record_login(user)
            db.session.commit()
            return redirect(local_path(form.next.data) or url_for("home.index"), 303)
        form.password.errors = [LOGIN_FAILED]
        return render_template("portal/accounts/login.html", form=form), 401
    return render_template("portal/accounts/login.html", form=form), (422 if form.errors else 200)


def render_throttled_login():
    """The login page refused by throttling: HTTP 429, the e-mail kept, a French message."""
    form = LoginForm(formdata=None)
    form.email.data = request.form.get("email", "")[:254]
    form.next.data = request.form.get("next", "")[:500]
    return render_template("portal/accounts/login.html", form=form, throttled=THROTTLED), 429


@bp.post("/deconnexion")
@roles(*ROLES)
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        # every session of the account ends, not only this browser's: a copied cookie opens nothing
        services.end_sessions(current_user)
        db.session.commit()
        logout_user()
        flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("accounts.login"), 303)


@bp.route("/mon-compte", methods=["GET", "POST"])
@roles(*ROLES)
def my_account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, current=form.current_password.data,
                                     new=form.new_password.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the other sessions ended, this one goes on
            flash("Votre mot de passe a été modifié. Vos autres sessions ont été fermées.", "success")
            return redirect(url_for(".my_account"), 303)
    status = 422 if form.errors else 200
    return render_template("portal/accounts/my_account.html", form=form), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    try:
        user = services.user_from_token(token, tokens.INVITATION)
    except tokens.TokenError as exc:
        return render_template("portal/accounts/link_error.html", message=exc.message), 400
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.full_name.data = user.full_name
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, password=form.password.data, full_name=form.full_name.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        except tokens.TokenError as exc:
            db.session.rollback()
            return render_template("portal/accounts/link_error.html", message=exc.message), 400
        else:
            login_user(user)
            services.record_login(user)
            db.session.commit()
            flash("Bienvenue sur Maillage : votre compte est prêt.", "success")
            return redirect(url_for("home.index"), 303)
    return render_template("portal/accounts/accept_invitation.html", form=form, user=user), (
        422 if form.errors else 200)


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash("Si un compte actif existe avec cette adresse, un lien de réinitialisation vient d'y être envoyé. "
              "Il est valable quelques heures.", "info")
        return redirect(url_for(".login"), 303)
    return render_template("portal/accounts/forgot_password.html", form=form), (422 if form.errors else 200)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    try:
        services.user_from_token(token, tokens.RESET)
    except tokens.TokenError as exc:
        return render_template("portal/accounts/link_error.html", message=exc.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, password=form.password.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        except tokens.TokenError as exc:
            db.session.rollback()
            return render_template("portal/accounts/link_error.html", message=exc.message), 400
        else:
            db.session.commit()
            flash("Votre mot de passe a été modifié : vous pouvez vous connecter.", "success")
            return redirect(url_for(".login"), 303)
    return render_template("portal/accounts/reset_password.html", form=form), (422 if form.errors else 200)


# --- administration ------------------------------------------------------------------------------


def _visible_users():
    """Admins see every account; counsellors the employer and partner accounts they may invite."""
    stmt = select(User)
    if current_user.role != ADMIN:
        stmt = stmt.where(User.role.in_([EMPLOYER, PARTNER]))
    return stmt


@bp.get("/comptes")
@roles(*STAFF)
def list_users():
    stmt = _visible_users()
    q = request.args.get("q", "", type=str)[:100]
    role = request.args.get("role", "", type=str)
    status = request.args.get("statut", "", type=str)
    if q.strip():
        # as typed (accents included) or folded ("remi" finds "Remi Forges"; accents must then match)
        typed = "%" + escape_like(q.strip()) + "%"
        conditions = [User.email.ilike(typed, escape="\\"), User.full_name.ilike(typed, escape="\\")]
        if fold(q):
            conditions.append(User.full_name.ilike("%" + escape_like(fold(q)) + "%", escape="\\"))
        stmt = stmt.where(or_(*conditions))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    if status == "actif":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactif":
        stmt = stmt.where(User.active.is_(False))
    elif status == "invite":
        stmt = stmt.where(User.password_hash.is_(None))
    stmt = stmt.options(joinedload(User.company), joinedload(User.partner)).order_by(User.email)
    page = paginate(stmt, per_page=25)
    return render_template("portal/accounts/list.html", page=page, filters={"q": q, "role": role, "statut": status},
                           action_form=EmptyForm())


def _invitable_roles() -> list[str]:
    return [r for r in (ADMIN, COUNSELLOR, EMPLOYER, PARTNER) if can(current_user, "accounts.invite", r)]


@bp.route("/comptes/inviter", methods=["GET", "POST"])
@roles(*STAFF)
def invite_user():
    form = InviteForm()
    form.set_role_choices(_invitable_roles())
    if request.method == "GET":
        form.role.data = request.args.get("role", EMPLOYER)
        form.company_id.data = request.args.get("entreprise", "")[:12]
        form.partner_id.data = request.args.get("partenaire", "")[:12]
    if form.validate_on_submit():
        try:
            user = services.invite_user(current_user, email=form.email.data, full_name=form.full_name.data,
                                        role=form.role.data, company_id=form.company_id.data,
                                        partner_id=form.partner_id.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"Invitation envoyée à {user.email}.", "success")
            return redirect(url_for(".list_users"), 303)
    return render_template("portal/accounts/invite.html", form=form), (422 if form.errors else 200)


def _target_user(user_id: int) -> User:
    user = db.session.scalar(_visible_users().where(User.id == user_id))
    if user is None:
        abort(404)
    return user


@bp.post("/comptes/<int:user_id>/desactiver")
@roles(*STAFF)
def deactivate_user(user_id):
    return _act_on_account(user_id, lambda actor, user: services.set_active(actor, user, False),
                           "Le compte {email} a été désactivé.")


@bp.post("/comptes/<int:user_id>/reactiver")
@roles(*STAFF)
def reactivate_user(user_id):
    return _act_on_account(user_id, lambda actor, user: services.set_active(actor, user, True),
                           "Le compte {email} a été réactivé.")


@bp.post("/comptes/<int:user_id>/deconnecter")
@roles(ADMIN)
def logout_user_everywhere(user_id):
    return _act_on_account(user_id, services.logout_everywhere,
                           "Toutes les sessions de {email} sont fermées : il faudra se reconnecter.")


@bp.post("/comptes/<int:user_id>/reinviter")
@roles(*STAFF)
def resend_invitation(user_id):
    return _act_on_account(user_id, services.resend_invitation, "Une nouvelle invitation a été envoyée à {email}.")


def _act_on_account(user_id: int, action, done: str):
    """A button of the account list: the service `action(actor, user)`, one commit, a French message."""
    user = _target_user(user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            action(current_user, user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(done.format(email=user.email), "success")
    return redirect(url_for(".list_users"), 303)
