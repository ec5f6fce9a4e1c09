"""Business errors and the French error pages (HTML for browsers, JSON for API clients)."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.access import wants_json
from portal.extensions import db


class DomainError(Exception):
    """A business rule said no; `message` is French and shown to the user, beside `field` if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def all_or_none(items: list, action, *, empty: str, refused: str, name) -> list:
    """Apply `action` to every item of a bulk action, or, on the first refusal, to none (the caller's
    transaction is rolled back): the refusal says `refused`, then which item and why."""
    if not items:
        raise DomainError(empty)
    done = []
    for item in items:
        try:
            done.append(action(item))
        except DomainError as exc:
            raise DomainError(f"{refused} {name(item)} : {exc.message}") from exc
    return done


ERROR_TITLES = {
    400: "Requête invalide",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    413: "Fichier trop volumineux",
    429: "Trop de tentatives",
    500: "Erreur interne",
}
ERROR_MESSAGES = {
    400: "La requête n'a pas pu être comprise.",
    401: "Vous devez vous connecter pour accéder à cette page.",
    403: "Vous n'avez pas accès à cette page.",
    404: "La page demandée n'existe pas ou n'est pas accessible avec votre compte.",
    405: "Cette action n'est pas possible de cette manière.",
    413: "Le fichier envoyé dépasse la taille autorisée.",
    429: "Trop de tentatives en peu de temps. Merci de patienter quelques minutes avant de réessayer.",
    500: "Une erreur inattendue s'est produite. L'équipe technique a été prévenue.",
}

CSRF_MESSAGE = (
    "Le formulaire a expiré ou n'a pas pu être vérifié (jeton de sécurité absent ou invalide). "
    "Vos saisies sont conservées : vérifiez-les puis renvoyez le formulaire."
)


def error_response(code: int, message: str | None = None):
    message = message or ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    if wants_json():
        return jsonify(error=message), code
    return render_template("errors/error.html", code=code, title=ERROR_TITLES.get(code, "Erreur"),
                           message=message), code


def _handle_http(exc: HTTPException):
    if exc.code == 429 and getattr(exc, "description", None) and request.endpoint == "accounts.login":
        # the login page's views import this module (error pages): imported when the limit is reached
        from portal.accounts.views import render_throttled_login

        return render_throttled_login()
    response = make_response(error_response(exc.code or 500))
    for name, value in exc.get_headers():
        if name.lower() != "content-type":  # keep what the error says beside its body: Allow on a 405, Retry-After
            response.headers[name] = value
    return response


# French labels of the field names most forms share; other names are shown as they are.
FIELD_LABELS = {
    "email": "Adresse électronique",
    "full_name": "Prénom et nom",
    "name": "Nom",
    "role": "Rôle",
    "company_id": "Entreprise",
    "partner_id": "Organisation partenaire",
    "commune": "Commune",
    "epci": "Intercommunalité",
    "phone": "Téléphone",
    "title": "Intitulé",
    "description": "Description",
    "notes": "Notes",
    "siret": "SIRET",
    "password": "Mot de passe",
    "current_password": "Mot de passe actuel",
    "new_password": "Nouveau mot de passe",
    "new_password_confirm": "Confirmation du nouveau mot de passe",
    "password_confirm": "Confirmation du mot de passe",
}


def field_label(name: str) -> str:
    """A readable French label for a submitted field name."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def _handle_csrf(exc: CSRFError):
    if wants_json() or request.method != "POST":
        return error_response(400, CSRF_MESSAGE)
    # Give the user back what they typed in a form carrying a fresh token; passwords are never echoed
    # but asked again, so that resending works; files cannot be kept.
    kept, retype = [], []
    for name, value in request.form.items(multi=True):
        if name == "csrf_token":
            continue
        if "password" in name.lower():
            if name not in retype:
                retype.append(name)
        else:
            kept.append((name, value))
    return render_template("errors/csrf.html", kept=kept, retype=retype, label=field_label,
                           action=request.full_path.rstrip("?"), message=CSRF_MESSAGE,
                           lost_files=bool(request.files)), 400


def _handle_500(exc: Exception):
    db.session.rollback()
    return error_response(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(500, _handle_500)
