"""The OpenAPI document, generated from the API's views (apispec) and the data·inclusion models."""

from apispec import APISpec
from apispec_webframeworks.flask import FlaskPlugin
from data_inclusion.schema import v1
from flask import Flask

REF = "#/components/schemas/{model}"


def _add_model(spec: APISpec, model) -> None:
    schema = model.model_json_schema(ref_template=REF)
    for name, definition in schema.pop("$defs", {}).items():
        if name not in spec.components.schemas:
            spec.components.schema(name, definition)
    spec.components.schema(model.__name__, schema)


def _page(item: str) -> dict:
    return {"type": "object", "required": ["items", "total", "page", "size", "pages"], "properties": {
        "items": {"type": "array", "items": {"$ref": REF.format(model=item)}},
        "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 1}, "pages": {"type": "integer", "minimum": 0}}}


_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_CODE_LABEL = {"type": "object", "required": ["code", "libelle"], "additionalProperties": False,
               "properties": {"code": {"type": "string"}, "libelle": {"type": "string"}}}
_COMMUNE = {"type": "object", "required": ["code_insee", "nom"], "additionalProperties": False,
            "properties": {"code_insee": {"type": "string"}, "nom": {"type": "string"}}}


# RFC 9457 problem details, with each refused parameter named in `erreurs`
_PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string", "description": "Ce qui ne va pas, en français"},
        "erreurs": {"type": "array", "items": {
            "type": "object", "required": ["parametre", "message"], "additionalProperties": False,
            "properties": {"parametre": {"type": "string"}, "message": {"type": "string"}}}}}}


def _public_schemas(spec: APISpec) -> None:
    """Offers and charter signatories: the public fields, and no others (additionalProperties: false)."""
    spec.components.schema("Offre", {
        "type": "object", "additionalProperties": False,
        "required": ["id", "titre", "code_rome", "appellation", "contrat", "commune", "entreprise",
                     "date_publication", "date_debut", "date_fin"],
        "properties": {
            "id": {"type": "integer"}, "titre": {"type": "string"},
            "code_rome": {"type": "string", "pattern": "^[A-N][0-9]{4}$"},
            "appellation": _CODE_LABEL, "contrat": _CODE_LABEL, "commune": _COMMUNE,
            "entreprise": {"type": "string"}, "date_publication": _NULLABLE_DATE,
            "date_debut": _NULLABLE_DATE, "date_fin": _NULLABLE_DATE}})
    spec.components.schema("Signataire", {
        "type": "object", "additionalProperties": False,
        "required": ["entreprise", "commune", "code_naf", "activite", "date_engagement", "engagements"],
        "properties": {
            "entreprise": {"type": "string"}, "commune": {"oneOf": [_COMMUNE, {"type": "null"}]},
            "code_naf": {"type": ["string", "null"]}, "activite": {"type": ["string", "null"]},
            "date_engagement": _NULLABLE_DATE,
            "engagements": {"type": "array", "items": {"type": "string"}}}})
    spec.components.schema("PageOffres", _page("Offre"))
    spec.components.schema("PageSignataires", _page("Signataire"))


def build_spec(app: Flask) -> dict:
    """The document for every view of the `api` blueprint whose docstring carries an OpenAPI block."""
    spec = APISpec(title="Maillage — données ouvertes", version="1.0.0", openapi_version="3.1.0",
                   plugins=[FlaskPlugin()],
                   info={"description": "Annuaire partagé des services du territoire au format data·inclusion. "
                                        "Lecture seule ; les données non publiques demandent un jeton personnel."})
    spec.components.security_scheme("jeton", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Erreur", {"type": "object", "required": ["error"],
                                      "properties": {"error": {"type": "string"}}})
    spec.components.schema("Probleme", _PROBLEM)
    _add_model(spec, v1.Service)
    _add_model(spec, v1.Structure)
    spec.components.schema("PageServices", _page("Service"))
    spec.components.schema("PageStructures", _page("Structure"))
    _public_schemas(spec)
    spec.components.schema("ServiceGere", {"type": "object", "required": ["statut", "service"], "properties": {
        "statut": {"type": "string", "enum": ["brouillon", "publie", "archive"]},
        "en_attente_de_validation": {"type": "boolean"},
        "service": {"$ref": REF.format(model="Service")}}})
    with app.test_request_context():
        for endpoint, view in app.view_functions.items():
            if endpoint.startswith("api.") and view.__doc__ and "---" in view.__doc__:
                spec.path(view=view, app=app)
    return spec.to_dict()
