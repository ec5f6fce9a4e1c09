"""Offer spreadsheets: the columns of the list export."""

from portal.xlsx_tables import Column, Table, number, oui_non, paris_day

# What the list shows of an offer, and the requirements a reader of the spreadsheet needs.
OFFERS = Table("Offres", [
    Column("title", "Intitulé", get="title"),
    Column("company", "Entreprise", get="company.name"),
    Column("rome_code", "Code ROME", get="rome_code"),
    Column("appellation", "Métier", get="appellation.label"),
    Column("contract", "Contrat", get="contract_label"),
    Column("hours", "Heures par semaine", get="hours_per_week", format=number),
    Column("work_commune", "Commune", get="work_commune.name"),
    Column("start_on", "Début", get="start_on"),
    Column("positions", "Postes", get="positions"),
    Column("requires_licence", "Permis B exigé", get="requires_licence", format=oui_non),
    Column("requires_vehicle", "Véhicule exigé", get="requires_vehicle", format=oui_non),
    Column("education", "Niveau de formation", get="education_label"),
    Column("status", "Statut", get="status_label"),
    Column("published_at", "Publiée le", get="published_at", format=paris_day),
    Column("updated_at", "Mise à jour le", get="updated_at", format=paris_day),
])
