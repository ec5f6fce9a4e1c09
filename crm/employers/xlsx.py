"""Company spreadsheets: the list export and the import of companies with their contact; the tasks and events
lists' exports."""

import re
from typing import Any

from sqlalchemy import select

from crm.employers import services
from crm.employers.models import Company
from crm.employers.rules import BUCKET_LABELS, name_key, task_bucket
from portal import search
from portal.extensions import db
from portal.forms import clean_siret, siret_problem
from portal.referentials.models import Commune
from portal.referentials.queries import commune_coded_or_named, get_naf
from portal.text import fold
from portal.xlsx_tables import (
    Column,
    ImportSpec,
    Row,
    Table,
    cell_text,
    email,
    oui_non,
    phone,
    postal_code,
    text,
    yes_no,
)


def _naf(value: Any) -> str:
    text = cell_text(value).upper().replace(" ", "")
    if re.fullmatch(r"\d{4}[A-Z]", text):
        text = text[:2] + "." + text[2:]
    naf = get_naf(text)
    if naf is None:
        raise ValueError("code NAF inconnu (exemple : 25.71Z).")
    return naf.code


def _siret(value: Any) -> str:
    text = clean_siret(cell_text(value))
    problem = siret_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _outside(company: Company, ctx: dict) -> str:
    return oui_non(company.commune_code and company.commune_code not in ctx["territory"])


def _primary(company: Company, ctx: dict) -> str | None:
    contact = ctx["primary"].get(company.id)
    return contact.full_name if contact else None


_phone = phone("04 73 80 00 00")

# The companies' spreadsheet: the list export (columns with `get`, in this order; `ctx` is the batch's
# `queries.page_details` plus "stages", the stage labels), the import and its template (columns imported).
COMPANIES = Table("Entreprises", [
    Column("name", "Raison sociale", ("Entreprise", "Nom", "Nom de l'entreprise", "Dénomination", "Société",
                                      "Employeur", "Enseigne"), required=True, parse=text(200),
           example="Coutellerie Exemple", get="name"),
    Column("siret", "SIRET", ("N° SIRET", "Numéro SIRET", "Siret établissement"), parse=_siret,
           example="73282932000074", get="siret"),
    Column("naf_code", "Code NAF", ("NAF", "APE", "Code APE", "Code NAF/APE", "Activité (NAF)"), parse=_naf,
           example="25.71Z", get="naf_code"),
    Column("address", "Adresse", ("Adresse postale", "Rue", "Voie"), parse=text(300),
           example="12 rue de la Coutellerie", get="address"),
    Column("postal_code", "Code postal", ("CP", "Code post."), parse=postal_code, example="63300",
           get="postal_code"),
    Column("commune", "Commune", ("Ville", "Localité", "Code INSEE", "Commune (INSEE)"), required=True,
           parse=text(200), example="Thiers", get="commune.name"),
    Column("outside", "Hors territoire", get=_outside, imported=False),
    Column("phone", "Téléphone", ("Tél", "Tel", "Téléphone entreprise", "Standard"), parse=_phone,
           example="04 73 80 00 00", get="phone"),
    Column("email", "Courriel", ("E-mail", "Email", "Mail", "Adresse électronique", "Mél"), parse=email,
           example="contact@exemple.fr", get="email"),
    Column("website", "Site web", ("Site", "Site internet", "Web"), parse=text(300), get="website"),
    Column("stage", "Étape", get=lambda company, ctx: ctx["stages"].get(company.stage, company.stage),
           imported=False),
    Column("owner", "Chargé·e de relation", get="owner.display_name", imported=False),
    Column("in_tension", "Secteur en tension", ("Tension", "Métier en tension"), parse=yes_no, example="oui",
           get="in_tension", format=oui_non),
    Column("accepts_pmsmp", "Accueille des PMSMP", ("PMSMP", "Immersion"), parse=yes_no, example="oui",
           get="accepts_pmsmp", format=oui_non),
    Column("accepts_apprentices", "Accueille des apprentis", get="accepts_apprentices", format=oui_non,
           imported=False),
    Column("source", "Source", ("Origine",), parse=text(100), example="Salon"),
    Column("notes", "Notes", ("Commentaire", "Commentaires", "Observations", "Remarques"), parse=text(5000)),
    Column("contact_name", "Contact", ("Nom du contact", "Contact nom", "Interlocuteur", "Nom contact"),
           parse=text(200), example="Marie Durand"),
    Column("contact_title", "Fonction du contact", ("Fonction", "Poste du contact", "Poste"), parse=text(200),
           example="Responsable RH"),
    Column("contact_email", "Courriel du contact", ("E-mail contact", "Email contact", "Mail contact"),
           parse=email),
    Column("contact_phone", "Téléphone du contact", ("Tél contact", "Tel contact", "Portable"), parse=_phone),
    Column("primary_contact", "Contact principal", get=_primary, imported=False),
    Column("last_exchange", "Dernier échange", get=lambda company, ctx: ctx["last"].get(company.id),
           imported=False),
    Column("archived", "Archivée", get="archived_at", format=oui_non, imported=False),
])


# the tasks list (`ctx`: today)
TASKS = Table("Tâches", [
    Column("title", "Tâche", get="title"),
    Column("due_on", "Échéance", get="due_on"),
    Column("bucket", "État", get=lambda task, today: BUCKET_LABELS[task_bucket(task.due_on, task.is_done, today)]),
    Column("assignee", "Confiée à", get="assignee_label"),
    Column("company", "Entreprise", get="company.name"),
    Column("done_at", "Terminée le", get="done_at"),
])

# the events list (`ctx`: the number of companies of each event)
EVENTS = Table("Événements", [
    Column("title", "Intitulé", get="title"),
    Column("kind", "Type", get="kind_label"),
    Column("held_on", "Date", get="held_on"),
    Column("commune", "Commune", get="commune.name"),
    Column("place", "Lieu", get="place"),
    Column("companies", "Entreprises", get=lambda event, counts: counts.get(event.id, 0)),
    Column("youth", "Jeunes présents", get="youth_count"),
])

# the imported columns that are the company's own fields (the commune is resolved to its code, the contact's
# columns make the contact)
_COMPANY_KEYS = [c.key for c in COMPANIES.imported if c.key != "commune" and not c.key.startswith("contact_")]


class CompanyImport(ImportSpec):
    """Companies with their (primary) contact, as kept in the team's spreadsheets."""

    name = "entreprises"
    title = COMPANIES.title
    columns = COMPANIES.imported

    def __init__(self) -> None:
        self._communes: dict[tuple[str, str], Commune | None] = {}

    def _commune(self, text: str, postal_code: str | None) -> Commune | None:
        """A commune by INSEE code, or by name (and postal code when several share the name)."""
        cache_key = (text, postal_code or "")
        if cache_key not in self._communes:
            self._communes[cache_key] = commune_coded_or_named(text, postal_code)
        return self._communes[cache_key]

    def file_keys(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        keys = [("SIRET", values.get("siret") or "")]
        if values.get("name") and values.get("commune"):
            keys.append(("nom et commune", name_key(values["name"]) + "|" + fold(values["commune"])))
        return keys

    def check_chunk(self, rows: list[Row]) -> None:
        for row in rows:
            commune = self._commune(row.values["commune"], row.values.get("postal_code"))
            if commune is None:
                row.errors.append(f"Commune : « {row.values['commune']} » introuvable (indiquez le code postal "
                                  "ou le code INSEE si plusieurs communes portent ce nom).")
            else:
                row.values["commune_code"] = commune.insee_code
        sirets = {r.values["siret"] for r in rows if r.values.get("siret")}
        known = dict(db.session.execute(select(Company.siret, Company.name).where(
            search.among(db.session, Company.siret, sirets))).all()) if sirets else {}
        keys = {id(r): name_key(r.values["name"]) for r in rows if not r.errors}
        same_name = {(k, c): n for k, c, n in db.session.execute(
            select(Company.name_key, Company.commune_code, Company.name).where(
                search.among(db.session, Company.name_key, set(keys.values()))))} if keys else {}
        for row in rows:
            if row.errors:
                continue
            siret = row.values.get("siret")
            if siret and siret in known:
                row.duplicate = f"déjà enregistrée : SIRET de « {known[siret]} »"
            elif (keys[id(row)], row.values.get("commune_code")) in same_name:
                other = same_name[(keys[id(row)], row.values["commune_code"])]
                row.duplicate = f"déjà enregistrée : « {other} » dans la même commune"

    def write_many(self, actor: Any, rows: list[Row]) -> list[Row]:
        """Every row at once (checked by `check_chunk` just before): a few statements for thousands of rows."""
        companies = []
        for row in rows:
            values = row.values
            fields = {key: values.get(key) for key in _COMPANY_KEYS} | {"commune_code": values.get("commune_code")}
            fields.update(in_tension=bool(values.get("in_tension")), accepts_pmsmp=bool(values.get("accepts_pmsmp")),
                          source=fields["source"] or "Import")
            contact = {"full_name": values["contact_name"], "job_title": values.get("contact_title"),
                       "email": values.get("contact_email"), "phone": values.get("contact_phone"),
                       "communication_consent": False} if values.get("contact_name") else None
            companies.append((fields, contact))
        services.import_companies(actor, companies)
        return []
