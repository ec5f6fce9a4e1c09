"""The directory in the data·inclusion schema: services and structures as published by the open data API,
validated by the schema package's own models."""

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.directory import rules
from crm.directory.models import DirectoryService
from crm.partners.models import PartnerOrganisation
from portal import contact
from portal.extensions import db
from portal.text import fold

SOURCE = "maillage"
MISSION_LOCALE_ID = "mission-locale"


def source_id() -> str:
    """The producer identifier: the organisation's name as a slug."""
    return "-".join(fold(current_app.config["ORGANISATION_NAME"]).split()) or SOURCE


def structure_id(partner_id: int | None) -> str:
    return f"{source_id()}--{f'partenaire-{partner_id}' if partner_id else MISSION_LOCALE_ID}"


def _phone_e164(phone: str | None) -> str | None:
    return contact.phone_e164(phone)


def _email(value: str | None) -> str | None:
    """The address when data·inclusion would accept it (reserved domains are dropped, not exported)."""
    if not value:
        return None
    try:
        return contact.email_address(value)
    except ValueError:
        return None


def service_payload(service: DirectoryService) -> dict:
    """A service as a data·inclusion `Service` (plain JSON types)."""
    commune = service.commune
    return {
        "source": source_id(), "structure_id": structure_id(service.partner_id),
        "id": f"{source_id()}--service-{service.id}", "nom": service.name, "description": service.description,
        "date_maj": min(service.updated_on, date.today()).isoformat(),
        "type": service.service_type, "thematiques": service.thematiques or None, "frais": service.fees,
        "frais_precisions": service.fees_details, "publics": service.publics or None,
        "publics_precisions": service.publics_details, "conditions_acces": service.access_conditions,
        "commune": commune.name if commune else None, "code_postal": service.postal_code,
        "code_insee": service.commune_code, "adresse": service.address,
        "longitude": commune.longitude if commune else None, "latitude": commune.latitude if commune else None,
        "telephone": _phone_e164(service.phone), "courriel": _email(service.email),
        "modes_accueil": service.reception_modes or None, "zone_eligibilite": service.zone or None,
        "contact_nom_prenom": service.contact_name, "lien_mobilisation": service.mobilisation_url,
        "modes_mobilisation": service.mobilisation_modes or None, "mobilisable_par": service.mobilisable_by or None,
        "mobilisation_precisions": service.mobilisation_details, "horaires_accueil": None,
    }


def partner_payload(partner: PartnerOrganisation | None, updated_on: date) -> dict:
    """A partner organisation (or the Mission Locale itself when None) as a data·inclusion `Structure`."""
    if partner is None:
        return {"source": source_id(), "id": structure_id(None), "nom": current_app.config["ORGANISATION_NAME"],
                "date_maj": updated_on.isoformat(),
                "description": "Mission Locale : accompagnement des jeunes de 16 à 25 ans vers l'emploi et "
                               "l'autonomie."}
    commune = partner.commune
    website = partner.website if (partner.website or "").startswith(("http://", "https://")) else None
    return {
        "source": source_id(), "id": structure_id(partner.id), "nom": partner.name,
        "date_maj": min(partner.updated_at.date(), date.today()).isoformat(), "siret": partner.siret,
        "commune": commune.name if commune else None, "code_postal": partner.postal_code,
        "code_insee": partner.commune_code, "adresse": partner.address,
        "longitude": commune.longitude if commune else None, "latitude": commune.latitude if commune else None,
        "telephone": _phone_e164(partner.phone), "courriel": _email(partner.email), "site_web": website,
    }


def published_structures(limit: int, offset: int) -> tuple[list[dict], int]:
    """Structures holding at least one published service (the Mission Locale first when it has one)."""
    owners = select(DirectoryService.partner_id).where(DirectoryService.status == "publie").distinct()
    owner_ids = [row for row in db.session.scalars(owners)]
    keys = sorted({0 if o is None else o for o in owner_ids})
    window = keys[offset: offset + limit]
    partners = {p.id: p for p in db.session.scalars(
        select(PartnerOrganisation).where(PartnerOrganisation.id.in_([k for k in window if k]))
        .options(selectinload(PartnerOrganisation.commune)))}
    payloads = [partner_payload(partners.get(k), date.today()) for k in window]
    return payloads, len(keys)


def vocabularies() -> dict:
    """The data·inclusion vocabularies used by the directory, with their French labels."""
    return {"thematiques": rules.THEMATIQUES, "publics": rules.PUBLICS, "types": rules.TYPES, "frais": rules.FEES,
            "modes_accueil": rules.RECEPTION_MODES, "modes_mobilisation": rules.MOBILISATION_MODES}
