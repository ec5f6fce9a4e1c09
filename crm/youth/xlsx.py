"""Young people's spreadsheets: the list export and the import of an i-milo–style extract.

The import recognises the headers an i-milo extract (or a counsellor's own table) uses, parses each cell,
then checks every row through `crm.youth.services.validate_profile`, the validator the form uses too.
Duplicates (i-milo identifier, or name + birth date) are looked for within the file and, a chunk at a
time, in the database.
"""

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from crm.youth import services
from crm.youth.models import YouthProfile
from crm.youth.rules import EDUCATION_LEVELS, MOBILITY_MODES
from portal.errors import DomainError
from portal.extensions import db
from portal.referentials.models import Commune, RomeAppellation, RomeCode
from portal.referentials.queries import commune_named, commune_with_postal_code, get_commune
from portal.referentials.vocabulary import CONTRACT_TYPES
from portal.text import fold
from portal.xlsx_tables import (
    YES,
    Column,
    ImportSpec,
    Row,
    Table,
    cell_text,
    day,
    email,
    insee_code,
    oui_non,
    phone,
    postal_code,
    text,
    yes_no,
)

# --- export --------------------------------------------------------------------------------------


def _age(youth: YouthProfile, today: date) -> int:
    return youth.age(today)


# The list export (`ctx`: today): what the list shows of a young person, no contact details (minimal data).
YOUTH_LIST = Table("Jeunes", [
    Column("last_name", "Nom", get="last_name"),
    Column("first_name", "Prénom", get="first_name"),
    Column("age", "Âge", get=_age),
    Column("is_minor", "Mineur·e", get="is_minor", format=oui_non),
    Column("commune", "Commune", get="commune.name"),
    Column("targets", "Métiers visés (codes ROME)", get=lambda youth, _: ", ".join(youth.rome_codes)),
    Column("programme", "Accompagnement", get="programme_label"),
    Column("consent", "Consentement", get=lambda youth, _: "Recueilli" if youth.has_consent else "Non recueilli"),
    Column("imilo_id", "Identifiant i-milo", get="imilo_id"),
    Column("referent", "Référent·e", get="referent.display_name"),
    Column("archived", "Archivé", get="archived_at", format=oui_non),
])


# --- import: cell parsers ------------------------------------------------------------------------


_phone = phone("06 12 34 56 78")


def _yes_no(value: Any) -> bool:
    return yes_no(value, YES + ("y",))


def _sex(value: Any) -> str:
    text = fold(cell_text(value)).replace(".", "").strip()
    if text in ("f", "femme", "feminin", "mme", "madame", "mlle"):
        return "femme"
    if text in ("h", "m", "homme", "masculin", "monsieur"):
        return "homme"
    return "non_renseigne"


# Levels of the national scale (2019: 3 to 8), of the former one (V bis and VI to I), and the usual labels, with
# or without the level in front: « 4 (Bac) », « 3 (CAP/BEP) », « Niveau 5 », « Infra 3 », « Bac+2 », « IV ».
_LEVEL_NUMBERS = {"1": "infra3", "2": "infra3", "3": "niveau3", "4": "niveau4", "5": "niveau5", "6": "niveau6",
                  "7": "niveau6", "8": "niveau6",
                  "vi": "infra3", "vbis": "infra3", "v": "niveau3", "iv": "niveau4", "iii": "niveau5", "ii": "niveau6",
                  "i": "niveau6"}
_LEVEL_LABELS = {
    "infra": "infra3", "infra3": "infra3", "infrav": "infra3", "infrabac": "infra3", "sansdiplome": "infra3",
    "aucundiplome": "infra3", "sansqualification": "infra3", "brevet": "infra3", "dnb": "infra3", "cfg": "infra3",
    "cap": "niveau3", "bep": "niveau3", "capbep": "niveau3", "bepcap": "niveau3", "capa": "niveau3",
    "bac": "niveau4", "baccalaureat": "niveau4", "bacpro": "niveau4", "bacprofessionnel": "niveau4",
    "bacgeneral": "niveau4", "bactechnologique": "niveau4", "bp": "niveau4", "bt": "niveau4",
    "bac1": "niveau4", "bac2": "niveau5", "bts": "niveau5", "dut": "niveau5", "deust": "niveau5",
    "bac3": "niveau6", "licence": "niveau6", "licencepro": "niveau6", "licenceprofessionnelle": "niveau6",
    "but": "niveau6", "bachelor": "niveau6", "bac4": "niveau6", "maitrise": "niveau6", "bac5": "niveau6",
    "master": "niveau6", "ingenieur": "niveau6", "bac8": "niveau6", "doctorat": "niveau6",
}


def education_level(label: str) -> str | None:
    """The project's level (EDUCATION_LEVELS) for a level as written in an extract, or None if unknown."""
    words = fold(label).split()
    if "".join(words) in EDUCATION_LEVELS:
        return "".join(words)
    if "".join(words) in _LEVEL_LABELS:  # « Bac+2 », « Infra 3 »: the number belongs to the label
        return _LEVEL_LABELS["".join(words)]
    words = [w for w in words if w not in ("niveau", "niv")]
    if words[:2] == ["v", "bis"]:
        words = ["vbis", *words[2:]]
    if words and words[0] in _LEVEL_NUMBERS:  # « 4 (Bac) », « Niveau IV », « 3 CAP/BEP »
        return _LEVEL_NUMBERS[words[0]]
    while words and (words[-1] in _LEVEL_NUMBERS or words[-1] == "infra"):  # « CAP (niveau 3) », « Bac+2 (5) »
        words.pop()
        if "".join(words) in _LEVEL_LABELS:
            return _LEVEL_LABELS["".join(words)]
    return None


def _education(value: Any) -> str:
    level = education_level(cell_text(value))
    if level is None:
        raise ValueError(f"niveau inconnu « {cell_text(value)[:30]} » (exemples : 3 (CAP/BEP), 4 (Bac), Bac+2, "
                         "Infra 3, Niveau V).")
    return level


def _programme(value: Any) -> str:
    text = fold(cell_text(value))
    if "cej" in text or "engagement" in text:
        return "cej"
    if "pacea" in text:
        return "pacea"
    if text in ("", "aucun", "non", "sans", "droit commun"):
        return "aucun"
    raise ValueError("dispositif inconnu (CEJ, PACEA ou aucun).")


def _mobility(value: Any) -> str:
    text = fold(cell_text(value))
    for code, label in MOBILITY_MODES.items():
        if text in (fold(code), fold(label)):
            return code
    for word, code in (("voiture", "voiture"), ("scooter", "deux_roues"), ("moto", "deux_roues"),
                       ("roues", "deux_roues"), ("covoit", "covoiturage"), ("transport", "transports"),
                       ("bus", "transports"), ("velo", "velo"), ("pied", "a_pied")):
        if word in text:
            return code
    raise ValueError("mode de déplacement inconnu (voiture, deux-roues, covoiturage, transports, vélo, à pied).")


def _km(value: Any) -> int:
    text = cell_text(value).lower().replace("km", "").replace(",", ".").strip()
    try:
        km = float(text)
    except ValueError as exc:
        raise ValueError("indiquez un nombre de kilomètres.") from exc
    return int(round(km))


def _contracts(value: Any) -> list[str]:
    wanted = []
    by_name = {fold(label): code for code, label in CONTRACT_TYPES.items()} | {fold(c): c for c in CONTRACT_TYPES}
    for part in re.split(r"[,;/]", cell_text(value)):
        key = fold(part)
        if not key:
            continue
        if key not in by_name:
            raise ValueError(f"type de contrat inconnu « {part.strip()[:30]} ».")
        wanted.append(by_name[key])
    return wanted


def _romes(value: Any) -> list[str]:
    codes = [c for c in re.split(r"[\s,;/]+", cell_text(value).upper()) if c]
    if len(codes) > 3:
        raise ValueError("trois codes au plus.")
    return codes


# which column a validator's field stands for, to name it in a row's error
_FIELD_HEADERS = {"first_name": "Prénom", "last_name": "Nom", "birth_date": "Date de naissance",
                  "commune_code": "Commune", "education_level": "Niveau de formation",
                  "mobility_mode": "Mode de déplacement", "max_commute_km": "Trajet maximum (km)",
                  "wanted_contracts": "Contrats souhaités", "target_1": "Code ROME", "target_2": "Code ROME",
                  "target_3": "Code ROME", "imilo_id": "Identifiant i-milo"}


# The import of an i-milo–style extract or of a counsellor's table, and its template.
YOUTH_IMPORT = Table("Jeunes", [
    Column("imilo_id", "Identifiant i-milo", ("ID i-milo", "Identifiant imilo", "ID imilo", "N° i-milo",
                                              "Numéro i-milo", "Identifiant jeune", "ID jeune", "Identifiant",
                                              "N° dossier", "Numéro de dossier", "Dossier"),
           parse=text(30), example="1234567"),
    Column("last_name", "Nom", ("Nom de famille", "Nom du jeune", "Nom d'usage", "Nom de naissance"),
           required=True, parse=text(100), example="Martin"),
    Column("first_name", "Prénom", ("Prénom du jeune", "Prenom usuel", "Prénom usuel"), required=True,
           parse=text(100), example="Léa"),
    Column("birth_date", "Date de naissance", ("Né(e) le", "Née le", "Né le", "Date naissance", "DDN"),
           required=True, parse=day, example="26/11/2006"),
    Column("sex", "Sexe", ("Genre", "Civilité"), parse=_sex, example="F"),
    Column("commune", "Commune", ("Commune de résidence", "Ville", "Localité", "Commune (libellé)"),
           parse=text(200), example="Thiers"),
    Column("insee", "Code INSEE", ("INSEE", "Code commune", "Code INSEE commune", "Commune (INSEE)"),
           parse=insee_code, example="63430"),
    Column("postal_code", "Code postal", ("CP", "Code post."), parse=postal_code, example="63300"),
    Column("phone", "Téléphone", ("Tél", "Tel", "Téléphone portable", "Portable", "Mobile", "Tél. portable"),
           parse=_phone, example="06 12 34 56 78"),
    Column("email", "Courriel", ("Email", "E-mail", "Mail", "Adresse mail", "Adresse électronique", "Mél"),
           parse=email, example="lea.martin@exemple.fr"),
    Column("targets", "Code ROME", ("Codes ROME", "ROME", "Métier(s) visé(s) ROME", "Métiers visés",
                                    "Code ROME métier visé", "Projet professionnel (ROME)", "Métier visé"),
           parse=_romes, example="G1602, G1603"),
    Column("education_level", "Niveau de formation", ("Niveau", "Niveau scolaire", "Niveau de qualification",
                                                      "Niveau d'études", "Niveau de diplôme"),
           parse=_education, example="CAP"),
    Column("has_licence", "Permis B", ("Permis", "Permis de conduire", "Titulaire du permis B"), parse=_yes_no,
           example="oui"),
    Column("has_vehicle", "Véhicule", ("Véhiculé", "Véhiculé(e)", "Véhicule personnel"), parse=_yes_no,
           example="non"),
    Column("mobility_mode", "Mode de déplacement", ("Mobilité", "Moyen de locomotion", "Moyen de transport"),
           parse=_mobility, example="Transports en commun"),
    Column("max_commute_km", "Trajet maximum (km)", ("Rayon de mobilité", "Rayon de mobilité (km)",
                                                     "Distance maximum", "Km max"), parse=_km, example=20),
    Column("available_from", "Disponible à partir du", ("Disponibilité", "Date de disponibilité"),
           parse=day),
    Column("wanted_contracts", "Contrats souhaités", ("Type de contrat", "Types de contrat", "Contrats"),
           parse=_contracts, example="CDI, Apprentissage"),
    Column("programme", "Dispositif", ("Accompagnement", "Programme", "Dispositif d'accompagnement",
                                       "Dispositif en cours"), parse=_programme, example="CEJ"),
    Column("qpv", "QPV", ("Résident QPV", "Quartier prioritaire", "Quartier prioritaire de la ville"),
           parse=_yes_no, example="non"),
    Column("zrr", "ZRR", ("Résident ZRR", "Zone de revitalisation rurale"), parse=_yes_no, example="oui"),
])


class YouthImport(ImportSpec):
    """Young people from an i-milo–style extract or a counsellor's table."""

    name = "jeunes"
    title = YOUTH_IMPORT.title
    columns = YOUTH_IMPORT.imported

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self._communes: dict[tuple[str, str, str], Commune | None] = {}

    def commune(self, values: dict[str, Any]) -> Commune | None:
        """The commune by INSEE code, else by name (and postal code when several share the name)."""
        key = (values.get("insee") or "", values.get("commune") or "", values.get("postal_code") or "")
        if key not in self._communes:
            insee, name, postal_code = key
            self._communes[key] = (get_commune(insee) if insee else commune_named(name, postal_code) if name
                                   else commune_with_postal_code(postal_code) if postal_code else None)
        return self._communes[key]

    def profile_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """A parsed row as the keyword arguments of `services.create_youth`."""
        commune = self.commune(values)
        profile = {k: values.get(k) for k in ("first_name", "last_name", "birth_date", "phone", "email",
                                              "education_level", "available_from", "imilo_id")}
        profile.update(
            sex=values.get("sex") or "non_renseigne", commune_code=commune.insee_code if commune else None,
            has_licence=bool(values.get("has_licence")), has_vehicle=bool(values.get("has_vehicle")),
            mobility_mode=values.get("mobility_mode") or ("voiture" if values.get("has_vehicle") else "transports"),
            max_commute_km=15 if values.get("max_commute_km") is None else values["max_commute_km"],
            wanted_contracts=values.get("wanted_contracts") or [], programme=values.get("programme") or "aucun",
            qpv=bool(values.get("qpv")), zrr=bool(values.get("zrr")), targets=values.get("targets") or [])
        return profile

    def file_keys(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        keys = [("identifiant i-milo", values.get("imilo_id") or "")]
        if values.get("first_name") and values.get("last_name") and values.get("birth_date"):
            keys.append(("nom, prénom et date de naissance", _name_key(values["first_name"], values["last_name"],
                                                                        values["birth_date"])))
        return keys

    def check_chunk(self, rows: list[Row]) -> None:
        held = self._preload(rows)  # noqa: F841 - kept referenced so that the validator finds them in the session
        for row in rows:
            row.values.pop("_profile", None)
            if not (row.values.get("insee") or row.values.get("commune") or row.values.get("postal_code")):
                row.errors.append("Commune : information obligatoire (nom, code INSEE ou code postal).")
                continue
            profile = self.profile_values(row.values)
            if profile["commune_code"] is None:
                typed = row.values.get("insee") or row.values.get("commune") or row.values.get("postal_code")
                row.errors.append(f"Commune : « {typed} » introuvable (indiquez le code INSEE ou le code postal "
                                  "si plusieurs communes portent ce nom).")
                continue
            try:
                row.values["_profile"] = services.validate_profile(profile, today=self.today, check_duplicate=False,
                                                                   require_target=False)
            except DomainError as exc:
                row.errors.append(f"{_FIELD_HEADERS.get(exc.field or '', 'Profil')} : {exc.message}")
        self._check_database_duplicates([r for r in rows if not r.errors])

    def _preload(self, rows: list[Row]) -> list:
        """The ROME codes and appellations the chunk names, in two queries (rather than one per row)."""
        codes = {c.upper() for r in rows for c in (r.values.get("targets") or [])}
        if not codes:
            return []
        return [*db.session.scalars(select(RomeCode).where(RomeCode.code.in_(codes))),
                *db.session.scalars(select(RomeAppellation).where(RomeAppellation.code.in_(codes)))]

    def write_many(self, actor: Any, rows: list[Row]) -> list[Row]:
        """Every row at once (checked by `check_chunk` just before): a few statements for thousands of rows."""
        services.import_profiles(actor, [row.values["_profile"] for row in rows])
        return []

    def _check_database_duplicates(self, rows: list[Row]) -> None:
        """Two queries for the chunk: same i-milo identifiers, same birth dates (then names compared)."""
        ids = {r.values["imilo_id"] for r in rows if r.values.get("imilo_id")}
        known_ids = dict(db.session.execute(select(YouthProfile.imilo_id, YouthProfile.id).where(
            YouthProfile.imilo_id.in_(ids))).all()) if ids else {}
        births = {r.values["birth_date"] for r in rows}
        known_names = {_name_key(f, n, b) for f, n, b in db.session.execute(select(
            YouthProfile.first_name, YouthProfile.last_name, YouthProfile.birth_date).where(
            YouthProfile.birth_date.in_(births)))} if births else set()
        for row in rows:
            values = row.values
            if values.get("imilo_id") and values["imilo_id"] in known_ids:
                row.duplicate = f"déjà enregistré : identifiant i-milo {values['imilo_id']}"
            elif _name_key(values["first_name"], values["last_name"], values["birth_date"]) in known_names:
                row.duplicate = (f"déjà enregistré : {values['first_name']} {values['last_name']}, né·e le "
                                 f"{values['birth_date'].strftime('%d/%m/%Y')}")


def _name_key(first_name: str, last_name: str, birth_date: date) -> str:
    return f"{fold(first_name)}|{fold(last_name)}|{birth_date.isoformat()}"
