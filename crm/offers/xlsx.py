"""Offer spreadsheets: the columns of the list export."""

from typing import Any

from crm.offers.models import Offer
from portal.text import local_day

EXPORT_HEADERS = ["Intitulé", "Entreprise", "Code ROME", "Métier", "Contrat", "Heures par semaine", "Commune",
                  "Début", "Postes", "Permis B exigé", "Véhicule exigé", "Niveau de formation", "Statut",
                  "Publiée le", "Mise à jour le"]


def export_row(offer: Offer) -> list[Any]:
    """What the list shows of an offer, and the requirements a reader of the spreadsheet needs."""
    return [offer.title, offer.company.name, offer.rome_code, offer.appellation.label, offer.contract_label,
            float(offer.hours_per_week) if offer.hours_per_week is not None else None, offer.work_commune.name,
            offer.start_on, offer.positions, "Oui" if offer.requires_licence else "Non",
            "Oui" if offer.requires_vehicle else "Non", offer.education_label, offer.status_label,
            local_day(offer.published_at) if offer.published_at else None,
            local_day(offer.updated_at) if offer.updated_at else None]
