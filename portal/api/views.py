"""/api/v1/: the datasets the capabilities registered (registry.py): published services and structures
(data·inclusion), offers and charter signatories, and a partner's own services by token.
Also the pages where a partner user manages its personal tokens."""

from math import ceil

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from pydantic_core import to_jsonable_python
from wtforms import StringField

from portal.access import PARTNER, public, roles
from portal.api import services
from portal.api.openapi import build_spec
from portal.api.registry import Dataset, datasets, serves
from portal.api.schemas import Page, ParametreRefuse, Probleme
from portal.errors import DomainError
from portal.extensions import db, limiter, login_manager
from portal.forms import EmptyForm, Form, length, required
from portal.text import is_digits, number_fr

bp = Blueprint("api", __name__)
MAX_SIZE = 100
MAX_PAGE = 10_000
MAX_ID = 2**31 - 1
# the index links to each list whose dataset a capability registered
LISTS = {"services": ".list_services", "structures": ".list_structures", "offres": ".list_offers",
         "signataires": ".list_signatories"}


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    return "api-token:" + header[7:19] if header.startswith("Bearer ") else "api-ip:" + (request.remote_addr or "")


@login_manager.request_loader
def _load_user_from_token(req):
    """API clients authenticate with `Authorization: Bearer <jeton>`, on /api/ only."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    return services.user_for_token(header[7:].strip())


def problem(status: int, title: str, detail: str, **members) -> Response:
    """An RFC 9457 problem document (`application/problem+json`), in French."""
    document = Probleme(type="about:blank", title=title, status=status, detail=detail, **members)
    response = jsonify(document.model_dump(mode="json", exclude_none=True))
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


PAGING = {"page": (MAX_PAGE, 1), "size": (MAX_SIZE, 50)}  # name -> (largest value, default)


def _paging() -> tuple[int, int]:
    """`page` and `size` from the query string; anything but one whole number within bounds (letters, a sign,
    a decimal point, zero, too large, given twice) is a 400 problem naming the parameter."""
    values, errors = [], []
    for name, (largest, default) in PAGING.items():
        given = request.args.getlist(name)
        text = given[0] if given else str(default)
        if len(given) > 1:
            errors.append(ParametreRefuse(parametre=name, message=f"« {name} » est donné plusieurs fois : "
                                                                   "donnez-le une fois."))
        elif not (text.isascii() and is_digits(text) and len(text) <= 9 and 1 <= int(text) <= largest):
            shown = text if len(text) <= 20 else text[:20] + "…"
            errors.append(ParametreRefuse(parametre=name, message=f"« {name} » doit être un nombre entier de 1 à "
                                                                   f"{number_fr(largest)} (reçu : « {shown} »)."))
        else:
            values.append(int(text))
    if errors:
        abort(problem(400, "Paramètres de pagination invalides", " ".join(e.message for e in errors),
                      erreurs=errors))
    return values[0], values[1]


def _page(dataset: Dataset):
    """The page of `dataset` the query string asks for."""
    page, size = _paging()
    items, total = dataset.page(size, (page - 1) * size)
    document = Page[dataset.item](items=items, total=total, page=page, size=size,
                                  pages=ceil(total / size) if total else 0)
    # serialize_as_any: a data·inclusion item comes as the directory wrote it, a plain dict
    return jsonify(document.model_dump(mode="json", serialize_as_any=True))


def _one(dataset: Dataset, item_id: int):
    item = (dataset.one(item_id) if dataset.one and item_id <= MAX_ID else None) or abort(404)
    return jsonify(to_jsonable_python(item))


@bp.get("/api/v1/")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
def index():
    """Where to start.
    ---
    get:
      summary: Point d'entrée de l'API
      responses:
        200:
          description: Liens vers les ressources
          content:
            application/json:
              schema: {type: object}
    """
    published = datasets()
    links = {name: url_for(endpoint) for name, endpoint in LISTS.items() if name in published}
    more = {key: entry() for dataset in published.values() for key, entry in dataset.index.items()}
    return jsonify(openapi=url_for(".openapi"), **links, **more)


@bp.get("/api/v1/openapi.json")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
def openapi():
    return jsonify(build_spec(current_app))


@bp.get("/api/v1/services")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("services")
def list_services(dataset: Dataset):
    """Published services.
    ---
    get:
      summary: Services publiés de l'annuaire (schéma data·inclusion)
      parameters:
        - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
        - {in: query, name: size, schema: {type: integer, minimum: 1, maximum: 100, default: 50}}
      responses:
        200:
          description: Une page de services
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PageServices"}
        400:
          description: Paramètres de pagination invalides (chacun nommé dans `erreurs`)
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Probleme"}
        429:
          description: Trop de requêtes
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Erreur"}
    """
    return _page(dataset)


@bp.get("/api/v1/services/<int:service_id>")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("services")
def get_service(dataset: Dataset, service_id: int):
    """One published service.
    ---
    get:
      summary: Un service publié
      parameters:
        - {in: path, name: service_id, required: true, schema: {type: integer, minimum: 1}}
      responses:
        200:
          description: Le service
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Service"}
        404:
          description: Service inconnu ou non publié
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Erreur"}
    """
    return _one(dataset, service_id)


@bp.get("/api/v1/structures")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("structures")
def list_structures(dataset: Dataset):
    """Structures with published services.
    ---
    get:
      summary: Structures porteuses de services publiés (schéma data·inclusion)
      parameters:
        - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
        - {in: query, name: size, schema: {type: integer, minimum: 1, maximum: 100, default: 50}}
      responses:
        200:
          description: Une page de structures
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PageStructures"}
        400:
          description: Paramètres de pagination invalides (chacun nommé dans `erreurs`)
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Probleme"}
    """
    return _page(dataset)


@bp.get("/api/v1/offres")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("offres")
def list_offers(dataset: Dataset):
    """Published offers.
    ---
    get:
      summary: Offres d'emploi publiées (champs publics seulement)
      parameters:
        - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
        - {in: query, name: size, schema: {type: integer, minimum: 1, maximum: 100, default: 50}}
      responses:
        200:
          description: Une page d'offres, la plus récemment publiée d'abord
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PageOffres"}
        400:
          description: Paramètres de pagination invalides (chacun nommé dans `erreurs`)
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Probleme"}
        429:
          description: Trop de requêtes
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Erreur"}
    """
    return _page(dataset)


@bp.get("/api/v1/offres/<int:offer_id>")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("offres")
def get_offer(dataset: Dataset, offer_id: int):
    """One published offer.
    ---
    get:
      summary: Une offre publiée
      parameters:
        - {in: path, name: offer_id, required: true, schema: {type: integer, minimum: 1}}
      responses:
        200:
          description: L'offre
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Offre"}
        404:
          description: Offre inconnue ou non publiée
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Erreur"}
    """
    return _one(dataset, offer_id)


@bp.get("/api/v1/signataires")
@public
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("signataires")
def list_signatories(dataset: Dataset):
    """Public charter signatories.
    ---
    get:
      summary: Signataires de la charte ayant accepté de figurer sur la liste publique
      parameters:
        - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 10000, default: 1}}
        - {in: query, name: size, schema: {type: integer, minimum: 1, maximum: 100, default: 50}}
      responses:
        200:
          description: Une page de signataires, par nom d'entreprise
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PageSignataires"}
        400:
          description: Paramètres de pagination invalides (chacun nommé dans `erreurs`)
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Probleme"}
    """
    return _page(dataset)


@bp.get("/api/v1/moi/services")
@roles(PARTNER)
@limiter.limit(_rate_limit, key_func=_rate_key)
@serves("services")
def my_services(dataset: Dataset):
    """The partner's own services, drafts included (personal token).
    ---
    get:
      summary: Services de mon organisation, y compris brouillons et modifications en attente
      security: [{jeton: []}]
      responses:
        200:
          description: Les services de l'organisation du jeton
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/ServiceGere"}}
        401:
          description: Jeton absent ou invalide
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Erreur"}
    """
    mine = dataset.mine(current_user) if dataset.mine else abort(404)
    return jsonify(to_jsonable_python(mine, serialize_as_any=True))


# --- personal tokens (HTML pages) ---------------------------------------------------------------------


class TokenForm(Form):
    name = StringField("Nom du jeton", validators=[required(), length(100)])


@bp.route("/mon-organisation/jetons-api", methods=["GET", "POST"])
@roles(PARTNER)
def list_tokens():
    form, clear = TokenForm(), None
    if form.validate_on_submit():
        try:
            _token, clear = services.create_token(current_user, name=form.name.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    status = 422 if form.errors else 200
    return render_template("portal/api/tokens.html", form=form, clear=clear,
                           tokens=services.tokens_of(current_user)), status


@bp.post("/mon-organisation/jetons-api/<int:token_id>/revoquer")
@roles(PARTNER)
def revoke_token(token_id: int):
    token = services.token_of(current_user, token_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.revoke_token(current_user, token)
        db.session.commit()
        flash(f"Le jeton « {token.name} » est révoqué : il ne donne plus accès à l'API.", "success")
    return redirect(url_for(".list_tokens"), 303)
