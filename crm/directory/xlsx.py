"""Directory spreadsheets: the services list export, and the import of services (validated by the same
`services.clean_values` as the form, then written as drafts through `services.create_service`)."""

import re
from typing import Any

from sqlalchemy import select

from crm.directory import rules, services
from crm.directory.models import DirectoryService
from crm.partners.models import PartnerOrganisation
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import clean_siret
from portal.referentials.models import Commune
from portal.referentials.queries import commune_coded_or_named
from portal.text import escape_like, fold, is_digits
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
)


def _labels(vocabulary: dict[str, str]):
    """Codes of a vocabulary shown in words."""
    return lambda codes: " ; ".join(vocabulary.get(c, c) for c in codes)


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


def _postal(value: Any) -> str:
    return postal_code(value, pad=False)


def _frequency(value: Any) -> str:
    text = fold(cell_text(value))
    for code, (label, _days) in rules.UPDATE_FREQUENCIES.items():
        if text in (code, fold(label)):
            return code
    raise ValueError("mensuelle, trimestrielle, semestrielle ou annuelle.")


# The services' spreadsheet: the management list's export (columns with `get`, in this order; `ctx`: today), the
# import of services and its template (columns imported).
SERVICES = Table("Services", [
    Column("name", "Nom du service", ("Nom", "Service", "Intitulé"), required=True, parse=text(150),
           example="Garage solidaire", get="name"),
    Column("structure", "Structure", ("Structure porteuse", "Partenaire", "Organisation", "SIRET de la structure"),
           parse=text(200), example="Mobilité Solidaire", get="owner_name"),
    Column("status", "Statut", get="status_label", imported=False),
    Column("awaiting_review", "En attente de validation", get="awaiting_review", format=oui_non, imported=False),
    Column("description", "Description", ("Présentation",), required=True, parse=text(10000),
           example="Réparation et location de véhicules à petit prix pour les personnes en insertion."),
    Column("thematiques", "Thématiques", ("Thématique",), required=True, parse=_codes(rules.THEMATIQUES),
           example="mobilite--etre-accompagne-dans-son-parcours-mobilite", get="thematiques",
           format=_labels(rules.THEMATIQUES)),
    Column("publics", "Publics", ("Public",), required=True, parse=_codes(rules.PUBLICS), example="jeunes",
           get="publics", format=_labels(rules.PUBLICS)),
    Column("publics_details", "Précisions sur les publics", (), parse=text(500)),
    Column("access_conditions", "Conditions d'accès", (), parse=text(500)),
    Column("service_type", "Type", ("Type de service",), parse=_choice(rules.TYPES), example="accompagnement",
           get=lambda service, _: rules.TYPES.get(service.service_type or "", service.service_type)),
    Column("fees", "Frais", (), parse=_choice(rules.FEES), example="gratuit",
           get=lambda service, _: rules.FEES.get(service.fees or "", service.fees)),
    Column("fees_details", "Précisions sur les frais", (), parse=text(500)),
    Column("reception_modes", "Modes d'accueil", ("Mode d'accueil", "Accueil"), required=True,
           parse=_codes(rules.RECEPTION_MODES), example="en-presentiel", get="reception_modes",
           format=_labels(rules.RECEPTION_MODES)),
    Column("zone", "Zone d'éligibilité", ("Zone", "Territoire"), required=True, parse=text(3000),
           example="200070712 63430", get=lambda service, _: " ".join(service.zone)),
    Column("address", "Adresse", (), parse=text(300), example="2 rue de la Gare", get="address"),
    Column("postal_code", "Code postal", ("CP",), parse=_postal, example="63300", get="postal_code"),
    Column("commune", "Commune", ("Ville", "Code INSEE"), parse=text(200), example="63430", get="commune.name"),
    Column("contact_name", "Contact", ("Personne à contacter",), parse=text(200), get="contact_name"),
    Column("phone", "Téléphone", ("Tél", "Tel"), parse=phone("04 73 80 00 00"), example="04 73 00 00 00",
           get="phone"),
    Column("email", "Courriel", ("E-mail", "Email", "Mail"), parse=email, example="contact@exemple.fr",
           get="email"),
    Column("opening_hours", "Horaires", ("Horaires d'accueil",), parse=text(300), example="Lundi-vendredi 9h-17h",
           get="opening_hours"),
    Column("mobilisation_modes", "Modes de mobilisation", ("Comment le mobiliser",),
           parse=_codes(rules.MOBILISATION_MODES), example="telephoner", get="mobilisation_modes",
           format=_labels(rules.MOBILISATION_MODES)),
    Column("mobilisable_by", "Mobilisable par", ("Qui peut le mobiliser",), parse=_codes(rules.MOBILISABLE_BY)),
    Column("mobilisation_details", "Précisions sur la mobilisation", (), parse=text(5000)),
    Column("mobilisation_url", "Lien de mobilisation", ("Lien",), parse=text(300), get="mobilisation_url"),
    Column("updated_on", "Mis à jour le", get="updated_on", imported=False),
    Column("update_frequency", "Fréquence de mise à jour", ("Fréquence",), parse=_frequency,
           example="semestrielle",
           get=lambda service, _: rules.UPDATE_FREQUENCIES.get(service.update_frequency, ("",))[0]),
    Column("stale_on", "À actualiser depuis le", imported=False,
           get=lambda service, today: service.stale_on if service.is_stale(today) else None),
])
COLUMNS = SERVICES.imported
_HEADERS = {c.key: c.header for c in COLUMNS} | {"commune_code": "Commune", "partner_id": "Structure"}


class ServiceImport(ImportSpec):
    """Services of the directory, each row checked by the form's own validator; written as drafts."""

    name = "annuaire-services"
    title = SERVICES.title
    columns = COLUMNS

    def __init__(self) -> None:
        self._partners: dict[str, PartnerOrganisation | None] = {}
        self._communes: dict[str, Commune | None] = {}

    def _partner(self, text: str) -> PartnerOrganisation | None:
        """A partner by SIRET or by name (accents and case ignored)."""
        if text not in self._partners:
            siret = clean_siret(text)
            if is_digits(siret) and len(siret) == 14:
                found = db.session.scalars(select(PartnerOrganisation).where(PartnerOrganisation.siret == siret)).all()
            else:
                candidates = db.session.scalars(select(PartnerOrganisation).where(
                    PartnerOrganisation.search_text.like("%" + escape_like(fold(text)) + "%", escape="\\"))).all()
                found = [p for p in candidates if fold(p.name) == fold(text)]
            self._partners[text] = found[0] if len(found) == 1 else None
        return self._partners[text]

    def _commune(self, text: str) -> Commune | None:
        if text not in self._communes:
            self._communes[text] = commune_coded_or_named(text)
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
