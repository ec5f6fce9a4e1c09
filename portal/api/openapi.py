"""The OpenAPI document, generated from the API's views (apispec) and from the very schemas the payloads are built
with (pydantic): the API's own, and those of the datasets the capabilities registered."""

from apispec import APISpec
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from portal.api.registry import datasets
from portal.api.schemas import Erreur, Page, Probleme, Schema

REF = "#/components/schemas/{model}"


class _Plain(GenerateJsonSchema):
    """The API's own schemas without the titles and defaults pydantic adds (annotations, not constraints)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        return self.generate_inner(schema["schema"])

    def model_schema(self, schema):
        json_schema = super().model_schema(schema)
        json_schema.pop("title", None)
        return json_schema


def _add_model(spec: APISpec, model: type[BaseModel], name: str | None = None) -> None:
    """A model and the models it refers to, as components (a foreign model, data·inclusion's, spelled as is)."""
    generator = _Plain if issubclass(model, Schema) else GenerateJsonSchema
    schema = model.model_json_schema(ref_template=REF, schema_generator=generator)
    for def_name, definition in schema.pop("$defs", {}).items():
        if def_name not in spec.components.schemas:
            spec.components.schema(def_name, definition)
    spec.components.schema(name or model.__name__, schema)


def build_spec(app: Flask) -> dict:
    """The document for every view of the `api` blueprint whose docstring carries an OpenAPI block, but those
    of a dataset no capability registered."""
    spec = APISpec(title="Maillage — données ouvertes", version="1.0.0", openapi_version="3.1.0",
                   plugins=[FlaskPlugin()],
                   info={"description": "Annuaire partagé des services du territoire au format data·inclusion. "
                                        "Lecture seule ; les données non publiques demandent un jeton personnel."})
    spec.components.security_scheme("jeton", {"type": "http", "scheme": "bearer"})
    _add_model(spec, Erreur)
    _add_model(spec, Probleme)
    published = datasets()
    for dataset in published.values():
        _add_model(spec, dataset.item)  # before the models that refer to it, which take its spelling
        _add_model(spec, Page[dataset.item], dataset.page_name)
        if dataset.mine_item:
            _add_model(spec, dataset.mine_item)
    with app.test_request_context():
        for endpoint, view in app.view_functions.items():
            if (endpoint.startswith("api.") and view.__doc__ and "---" in view.__doc__
                    and getattr(view, "api_dataset", None) in (None, *published)):
                spec.path(view=view, app=app)
    return spec.to_dict()
