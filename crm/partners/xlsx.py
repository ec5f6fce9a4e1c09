"""Spreadsheet columns of the partners list and the conventions list."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select

from crm.partners.models import Convention, PartnerOrganisation
from portal.extensions import db

BATCH = 500

PARTNER_HEADERS = ["Organisation", "Type", "SIRET", "Adresse", "Code postal", "Commune", "Téléphone", "Courriel",
                   "Site web", "Référent·e", "Archivée"]
CONVENTION_HEADERS = ["Intitulé", "Partenaire", "Type", "Objet", "Début", "Fin", "Reconduction tacite",
                      "Durée de reconduction (mois)", "Statut", "Référent·e", "Fin effective"]


def batched(stmt: Select) -> Iterator[Any]:
    """Every row of a list query, loaded a batch at a time (with the query's eager loads) so that memory
    stays flat whatever the size."""
    offset = 0
    while True:
        batch = db.session.scalars(stmt.offset(offset).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        offset += BATCH


def partner_row(partner: PartnerOrganisation) -> list[Any]:
    return [partner.name, partner.kind_label, partner.siret, partner.address, partner.postal_code,
            partner.commune.name if partner.commune else None, partner.phone, partner.email, partner.website,
            partner.referent.display_name if partner.referent else None, "Oui" if partner.archived_at else "Non"]


def convention_row(convention: Convention) -> list[Any]:
    return [convention.title, convention.partner.name, convention.kind_label, convention.object or None,
            convention.start_on, convention.end_on, "Oui" if convention.tacit_renewal else "Non",
            convention.renewal_months if convention.tacit_renewal else None, convention.status_label,
            convention.referent.display_name if convention.referent else None, convention.ended_on]
