"""Company spreadsheets: the list export columns and the import of companies with their contact."""

import re
from typing import Any

from sqlalchemy import select

from crm.employers import services
from crm.employers.models import Company
from crm.employers.rules import name_key
from portal import search
from portal.extensions import db
from portal.forms import clean_siret, siret_problem
from portal.referentials.models import Commune
from portal.referentials.queries import get_commune, get_naf
from portal.text import fold
from portal.xlsx import Column, ImportSpec, Row, cell_text

EXPORT_HEADERS = ["Raison sociale", "SIRET", "Code NAF", "Adresse", "Code postal", "Commune", "Hors territoire",
                  "Téléphone", "Courriel", "Site web", "Étape", "Chargé·e de relation", "Secteur en tension",
                  "Accueille des PMSMP", "Accueille des apprentis", "Contact principal", "Dernier échange",
                  "Archivée"]


def export_row(company: Company, details: dict, stages: dict[str, str]) -> list[Any]:
    contact = details["primary"].get(company.id)
    return [company.name, company.siret, company.naf_code, company.address, company.postal_code,
            company.commune.name if company.commune else None,
            "Oui" if company.commune_code and company.commune_code not in details["territory"] else "Non",
            company.phone, company.email, company.website, stages.get(company.stage, company.stage),
            company.owner.display_name if company.owner else None,
            "Oui" if company.in_tension else "Non", "Oui" if company.accepts_pmsmp else "Non",
            "Oui" if company.accepts_apprentices else "Non", contact.full_name if contact else None,
            details["last"].get(company.id), "Oui" if company.archived_at else "Non"]


def _siret(value: Any) -> str:
    text = clean_siret(cell_text(value))
    problem = siret_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _postal(value: Any) -> str:
    text = cell_text(value).replace(" ", "")
    if text.isdigit() and len(text) == 4:  # a spreadsheet dropped the leading zero (01000 -> 1000)
        text = "0" + text
    if not re.fullmatch(r"\d{5}", text):
        raise ValueError("le code postal comporte 5 chiffres.")
    return text


def _naf(value: Any) -> str:
    text = cell_text(value).upper().replace(" ", "")
    if re.fullmatch(r"\d{4}[A-Z]", text):
        text = text[:2] + "." + text[2:]
    naf = get_naf(text)
    if naf is None:
        raise ValueError("code NAF inconnu (exemple : 25.71Z).")
    return naf.code


def _phone(value: Any) -> str:
    digits = re.sub(r"\D", "", cell_text(value))
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 9:  # a spreadsheet dropped the leading zero
        digits = "0" + digits
    if len(digits) != 10 or not digits.startswith("0"):
        raise ValueError("numéro invalide (exemple : 04 73 80 00 00).")
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def _email(value: Any) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(cell_text(value), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("adresse électronique invalide.") from exc


def _text(size: int):
    def parse(value: Any) -> str:
        text = cell_text(value)
        if len(text) > size:
            raise ValueError(f"{size} caractères au maximum.")
        return text

    return parse


def _yes_no(value: Any) -> bool:
    text = fold(cell_text(value))
    if text in ("oui", "o", "x", "1", "vrai", "yes"):
        return True
    if text in ("non", "n", "0", "faux", "no", ""):
        return False
    raise ValueError("répondez « oui » ou « non ».")


class CompanyImport(ImportSpec):
    """Companies with their (primary) contact, as kept in the team's spreadsheets."""

    name = "entreprises"
    title = "Entreprises"
    columns = [
        Column("name", "Raison sociale", ("Entreprise", "Nom", "Nom de l'entreprise", "Dénomination", "Société",
                                          "Employeur", "Enseigne"), required=True, parse=_text(200),
               example="Coutellerie Exemple"),
        Column("siret", "SIRET", ("N° SIRET", "Numéro SIRET", "Siret établissement"), parse=_siret,
               example="73282932000074"),
        Column("naf_code", "Code NAF", ("NAF", "APE", "Code APE", "Code NAF/APE", "Activité (NAF)"), parse=_naf,
               example="25.71Z"),
        Column("address", "Adresse", ("Adresse postale", "Rue", "Voie"), parse=_text(300),
               example="12 rue de la Coutellerie"),
        Column("postal_code", "Code postal", ("CP", "Code post."), parse=_postal, example="63300"),
        Column("commune", "Commune", ("Ville", "Localité", "Code INSEE", "Commune (INSEE)"), required=True,
               parse=_text(200), example="Thiers"),
        Column("phone", "Téléphone", ("Tél", "Tel", "Téléphone entreprise", "Standard"), parse=_phone,
               example="04 73 80 00 00"),
        Column("email", "Courriel", ("E-mail", "Email", "Mail", "Adresse électronique", "Mél"), parse=_email,
               example="contact@exemple.fr"),
        Column("website", "Site web", ("Site", "Site internet", "Web"), parse=_text(300)),
        Column("in_tension", "Secteur en tension", ("Tension", "Métier en tension"), parse=_yes_no, example="oui"),
        Column("accepts_pmsmp", "Accueille des PMSMP", ("PMSMP", "Immersion"), parse=_yes_no, example="oui"),
        Column("source", "Source", ("Origine",), parse=_text(100), example="Salon"),
        Column("notes", "Notes", ("Commentaire", "Commentaires", "Observations", "Remarques"), parse=_text(5000)),
        Column("contact_name", "Contact", ("Nom du contact", "Contact nom", "Interlocuteur", "Nom contact"),
               parse=_text(200), example="Marie Durand"),
        Column("contact_title", "Fonction du contact", ("Fonction", "Poste du contact", "Poste"), parse=_text(200),
               example="Responsable RH"),
        Column("contact_email", "Courriel du contact", ("E-mail contact", "Email contact", "Mail contact"),
               parse=_email),
        Column("contact_phone", "Téléphone du contact", ("Tél contact", "Tel contact", "Portable"), parse=_phone),
    ]

    def __init__(self) -> None:
        self._communes: dict[tuple[str, str], Commune | None] = {}

    def _commune(self, text: str, postal_code: str | None) -> Commune | None:
        """A commune by INSEE code, or by name (and postal code when several share the name)."""
        cache_key = (text, postal_code or "")
        if cache_key not in self._communes:
            compact = text.replace(" ", "")
            if re.fullmatch(r"\d[\dAB]\d{3}", compact.upper()):
                found = get_commune(compact.upper())
            else:
                candidates = list(db.session.scalars(select(Commune).where(
                    Commune.search_text == " " + fold(text)).limit(50)))
                if postal_code:
                    candidates = [c for c in candidates if postal_code in c.postal_codes.split()] or (
                        [] if len(candidates) > 1 else candidates)
                found = candidates[0] if len(candidates) == 1 else None
            self._communes[cache_key] = found
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
            fields = {k: values.get(k) for k in ("siret", "name", "naf_code", "address", "postal_code",
                                                 "commune_code", "phone", "email", "website", "source", "notes")}
            fields.update(in_tension=bool(values.get("in_tension")), accepts_pmsmp=bool(values.get("accepts_pmsmp")),
                          source=fields["source"] or "Import")
            contact = {"full_name": values["contact_name"], "job_title": values.get("contact_title"),
                       "email": values.get("contact_email"), "phone": values.get("contact_phone"),
                       "communication_consent": False} if values.get("contact_name") else None
            companies.append((fields, contact))
        services.import_companies(actor, companies)
        return []
