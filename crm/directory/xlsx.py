"""Directory spreadsheets: the services list export, and the import of services (validated by the same
`services.clean_values` as the form, then written as drafts through `services.create_service`)."""

import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from crm.directory import rules, services
from crm.directory.models import DirectoryService
from crm.partners.models import PartnerOrganisation
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import clean_siret
from portal.referentials.models import Commune
from portal.referentials.queries import get_commune
from portal.text import escape_like, fold
from portal.xlsx import Column, ImportSpec, Row, cell_text

EXPORT_HEADERS = ["Nom du service", "Structure", "Statut", "En attente de validation", "Thématiques", "Publics",
                  "Type", "Frais", "Modes d'accueil", "Zone d'éligibilité", "Adresse", "Code postal", "Commune",
                  "Contact", "Téléphone", "Courriel", "Horaires", "Modes de mobilisation", "Lien de mobilisation",
                  "Mis à jour le", "Fréquence de mise à jour", "À actualiser depuis le"]


BATCH = 500


def batched(stmt) -> Any:
    """Every row of a list query, a batch at a time (with its eager loads): memory stays flat."""
    offset = 0
    while True:
        batch = db.session.scalars(stmt.offset(offset).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        offset += BATCH


def _labels(codes: list[str], vocabulary: dict[str, str]) -> str:
    return " ; ".join(vocabulary.get(c, c) for c in codes)


def export_row(service: DirectoryService, today) -> list[Any]:
    """One service as the management list shows it, vocabularies in words."""
    return [service.name, service.owner_name, service.status_label, "Oui" if service.awaiting_review else "Non",
            _labels(service.thematiques, rules.THEMATIQUES), _labels(service.publics, rules.PUBLICS),
            rules.TYPES.get(service.service_type or "", service.service_type),
            rules.FEES.get(service.fees or "", service.fees), _labels(service.reception_modes, rules.RECEPTION_MODES),
            " ".join(service.zone), service.address, service.postal_code,
            service.commune.name if service.commune else None, service.contact_name, service.phone, service.email,
            service.opening_hours, _labels(service.mobilisation_modes, rules.MOBILISATION_MODES),
            service.mobilisation_url, service.updated_on,
            rules.UPDATE_FREQUENCIES.get(service.update_frequency, ("",))[0],
            service.stale_on if service.is_stale(today) else None]


# --- import --------------------------------------------------------------------------------------


def _text(size: int):
    def parse(value: Any) -> str:
        text = cell_text(value)
        if len(text) > size:
            raise ValueError(f"{size} caractères au maximum.")
        return text

    return parse


def _codes(vocabulary: dict[str, str]):
    """Codes or labels of a vocabulary, separated by commas, semicolons or line breaks."""
    by_label = {fold(label): code for code, label in vocabulary.items()}

    def parse(value: Any) -> list[str]:
        found = []
        for part in re.split(r"[;,\n]+", cell_text(value)):
            part = part.strip()
            if part:
                found.extend(part.split() if all(p in vocabulary for p in part.split())
                             else [by_label.get(fold(part), part)])
        return found

    return parse


def _choice(vocabulary: dict[str, str]):
    by_label = {fold(label): code for code, label in vocabulary.items()}

    def parse(value: Any) -> str:
        text = cell_text(value)
        return text if text in vocabulary else by_label.get(fold(text), text)

    return parse


def _frequency(value: Any) -> str:
    text = fold(cell_text(value))
    for code, (label, _days) in rules.UPDATE_FREQUENCIES.items():
        if text in (code, fold(label)):
            return code
    raise ValueError("mensuelle, trimestrielle, semestrielle ou annuelle.")


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
    try:
        return validate_email(cell_text(value), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("adresse électronique invalide.") from exc


def _postal(value: Any) -> str:
    text = cell_text(value).replace(" ", "")
    if not re.fullmatch(r"\d{5}", text):
        raise ValueError("le code postal comporte 5 chiffres.")
    return text


COLUMNS = [
    Column("name", "Nom du service", ("Nom", "Service", "Intitulé"), required=True, parse=_text(150),
           example="Garage solidaire"),
    Column("structure", "Structure", ("Structure porteuse", "Partenaire", "Organisation", "SIRET de la structure"),
           parse=_text(200), example="Mobilité Solidaire"),
    Column("description", "Description", ("Présentation",), required=True, parse=_text(10000),
           example="Réparation et location de véhicules à petit prix pour les personnes en insertion."),
    Column("thematiques", "Thématiques", ("Thématique",), required=True, parse=_codes(rules.THEMATIQUES),
           example="mobilite--etre-accompagne-dans-son-parcours-mobilite"),
    Column("publics", "Publics", ("Public",), required=True, parse=_codes(rules.PUBLICS), example="jeunes"),
    Column("publics_details", "Précisions sur les publics", (), parse=_text(500)),
    Column("access_conditions", "Conditions d'accès", (), parse=_text(500)),
    Column("service_type", "Type", ("Type de service",), parse=_choice(rules.TYPES), example="accompagnement"),
    Column("fees", "Frais", (), parse=_choice(rules.FEES), example="gratuit"),
    Column("fees_details", "Précisions sur les frais", (), parse=_text(500)),
    Column("reception_modes", "Modes d'accueil", ("Mode d'accueil", "Accueil"), required=True,
           parse=_codes(rules.RECEPTION_MODES), example="en-presentiel"),
    Column("zone", "Zone d'éligibilité", ("Zone", "Territoire"), required=True, parse=_text(3000),
           example="200070712 63430"),
    Column("address", "Adresse", (), parse=_text(300), example="2 rue de la Gare"),
    Column("postal_code", "Code postal", ("CP",), parse=_postal, example="63300"),
    Column("commune", "Commune", ("Ville", "Code INSEE"), parse=_text(200), example="63430"),
    Column("contact_name", "Contact", ("Personne à contacter",), parse=_text(200)),
    Column("phone", "Téléphone", ("Tél", "Tel"), parse=_phone, example="04 73 00 00 00"),
    Column("email", "Courriel", ("E-mail", "Email", "Mail"), parse=_email, example="contact@exemple.fr"),
    Column("opening_hours", "Horaires", ("Horaires d'accueil",), parse=_text(300), example="Lundi-vendredi 9h-17h"),
    Column("mobilisation_modes", "Modes de mobilisation", ("Comment le mobiliser",),
           parse=_codes(rules.MOBILISATION_MODES), example="telephoner"),
    Column("mobilisable_by", "Mobilisable par", ("Qui peut le mobiliser",), parse=_codes(rules.MOBILISABLE_BY)),
    Column("mobilisation_details", "Précisions sur la mobilisation", (), parse=_text(5000)),
    Column("mobilisation_url", "Lien de mobilisation", ("Lien",), parse=_text(300)),
    Column("update_frequency", "Fréquence de mise à jour", ("Fréquence",), parse=_frequency,
           example="semestrielle"),
]
_HEADERS = {c.key: c.header for c in COLUMNS} | {"commune_code": "Commune", "partner_id": "Structure"}


class ServiceImport(ImportSpec):
    """Services of the directory, each row checked by the form's own validator; written as drafts."""

    name = "annuaire-services"
    title = "Services"
    columns = COLUMNS

    def __init__(self) -> None:
        self._partners: dict[str, PartnerOrganisation | None] = {}
        self._communes: dict[str, Commune | None] = {}

    def _partner(self, text: str) -> PartnerOrganisation | None:
        """A partner by SIRET or by name (accents and case ignored)."""
        if text not in self._partners:
            siret = clean_siret(text)
            if siret.isdigit() and len(siret) == 14:
                found = db.session.scalars(select(PartnerOrganisation).where(PartnerOrganisation.siret == siret)).all()
            else:
                candidates = db.session.scalars(select(PartnerOrganisation).where(
                    PartnerOrganisation.search_text.like("%" + escape_like(fold(text)) + "%", escape="\\"))).all()
                found = [p for p in candidates if fold(p.name) == fold(text)]
            self._partners[text] = found[0] if len(found) == 1 else None
        return self._partners[text]

    def _commune(self, text: str) -> Commune | None:
        if text not in self._communes:
            compact = text.replace(" ", "").upper()
            if re.fullmatch(r"\d[\dAB]\d{3}", compact):
                self._communes[text] = get_commune(compact)
            else:
                found = list(db.session.scalars(select(Commune).where(
                    Commune.search_text == " " + fold(text)).limit(2)))
                self._communes[text] = found[0] if len(found) == 1 else None
        return self._communes[text]

    def file_keys(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        if not values.get("name"):
            return []
        return [("nom et structure", fold(values["name"]) + "|" + fold(values.get("structure") or ""))]

    def _resolve(self, row: Row) -> None:
        """Structure and commune to ids, then the form's validator: the first problem becomes the row's error."""
        values = row.values
        structure = values.get("structure")
        partner = self._partner(structure) if structure else None
        if structure and partner is None:
            row.errors.append(f"Structure : « {structure} » introuvable (indiquez son nom exact ou son SIRET).")
            return
        values["partner_id"] = partner.id if partner else None
        commune = self._commune(values["commune"]) if values.get("commune") else None
        if values.get("commune") and commune is None:
            row.errors.append(f"Commune : « {values['commune']} » introuvable (indiquez le code INSEE).")
            return
        values["commune_code"] = commune.insee_code if commune else None
        try:
            services.clean_values(values)
        except DomainError as exc:
            row.errors.append(f"{_HEADERS.get(exc.field or '', 'Ligne')} : {exc.message}")

    def check_chunk(self, rows: list[Row]) -> None:
        for row in rows:
            self._resolve(row)
        names = {fold(r.values["name"]) for r in rows if r.ok}
        if not names:
            return
        known = {(fold(name), partner_id): name for name, partner_id in db.session.execute(
            select(DirectoryService.name, DirectoryService.partner_id)
            .where(DirectoryService.status != "archive")).all() if fold(name) in names}
        for row in rows:
            key = (fold(row.values["name"]), row.values.get("partner_id"))
            if row.ok and key in known:
                row.duplicate = f"déjà enregistré : « {known[key]} » pour la même structure"

    def write(self, actor: Any, values: dict[str, Any]) -> None:
        if "partner_id" not in values:  # a fresh parse at confirmation time: resolve again
            row = Row(number=0, values=values, raw=[])
            self._resolve(row)
            if row.errors:
                raise DomainError(row.errors[0])
        fields = {k: v for k, v in values.items() if k not in ("structure", "commune", "partner_id")}
        services.create_service(actor, partner_id=values.get("partner_id"), **fields)
