"""The API's own schemas, declared once: the payloads are built from them and the OpenAPI document is written from
them (pydantic, as data·inclusion's `Service` and `Structure`, which the directory's items follow)."""

from datetime import date
from typing import Annotated, Generic, Literal, TypeVar

from data_inclusion.schema import v1
from pydantic import BaseModel, ConfigDict, Field, WrapValidator

Item = TypeVar("Item")

# Items arrive built by their capability, an `Offre` validated when made, a data·inclusion `Service` as the directory
# wrote it (its tests check it against data·inclusion's model): a page carries them as they are, and the document
# still describes them by their schema.
Built = WrapValidator(lambda value, _handler: value)


class Schema(BaseModel):
    pass  # the API's own schemas: the OpenAPI document spells them without titles nor defaults


class _Closed(Schema):
    # public fields and no others (additionalProperties: false); no docstring in these classes: it would be
    # the schema's description
    model_config = ConfigDict(extra="forbid")


class Page(Schema, Generic[Item]):
    items: list[Annotated[Item, Built]]
    total: Annotated[int, Field(ge=0)]
    page: Annotated[int, Field(ge=1)]
    size: Annotated[int, Field(ge=1)]
    pages: Annotated[int, Field(ge=0)]


class Erreur(Schema):
    error: str


class ParametreRefuse(_Closed):
    parametre: str
    message: str


class Probleme(Schema):
    # RFC 9457 problem details, with each refused parameter named in `erreurs`
    type: str
    title: str
    status: int
    detail: Annotated[str, Field(description="Ce qui ne va pas, en français")]
    erreurs: list[ParametreRefuse] = Field(None)  # absent unless parameters are refused (never null)


class CodeLibelle(_Closed):
    code: str
    libelle: str


class Commune(_Closed):
    code_insee: str
    nom: str


class Offre(_Closed):
    # a published offer: nothing about a person (no contact, no description written for candidates)
    id: int
    titre: str
    code_rome: Annotated[str, Field(pattern=r"^[A-N][0-9]{4}$")]
    appellation: CodeLibelle
    contrat: CodeLibelle
    commune: Commune
    entreprise: str
    date_publication: date | None
    date_debut: date | None
    date_fin: date | None


class Signataire(_Closed):
    # a public charter signatory: the company, never the person who signed
    entreprise: str
    commune: Commune | None
    code_naf: str | None
    activite: str | None
    date_engagement: date | None
    engagements: list[str]


class ServiceGere(Schema):
    # one of a partner's own services, and where it stands
    statut: Literal["brouillon", "publie", "archive"]
    en_attente_de_validation: bool = False
    service: Annotated[v1.Service, Built]
