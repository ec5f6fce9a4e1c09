"""Spreadsheet columns of the partners list and the conventions list."""

from portal.xlsx_tables import Column, Table, oui_non

PARTNERS = Table("Partenaires", [
    Column("name", "Organisation", get="name"),
    Column("kind", "Type", get="kind_label"),
    Column("siret", "SIRET", get="siret"),
    Column("address", "Adresse", get="address"),
    Column("postal_code", "Code postal", get="postal_code"),
    Column("commune", "Commune", get="commune.name"),
    Column("phone", "Téléphone", get="phone"),
    Column("email", "Courriel", get="email"),
    Column("website", "Site web", get="website"),
    Column("referent", "Référent·e", get="referent.display_name"),
    Column("archived", "Archivée", get="archived_at", format=oui_non),
])

CONVENTIONS = Table("Conventions", [
    Column("title", "Intitulé", get="title"),
    Column("partner", "Partenaire", get="partner.name"),
    Column("kind", "Type", get="kind_label"),
    Column("object", "Objet", get=lambda convention, _: convention.object or None),
    Column("start_on", "Début", get="start_on"),
    Column("end_on", "Fin", get="end_on"),
    Column("tacit_renewal", "Reconduction tacite", get="tacit_renewal", format=oui_non),
    Column("renewal_months", "Durée de reconduction (mois)",
           get=lambda convention, _: convention.renewal_months if convention.tacit_renewal else None),
    Column("status", "Statut", get="status_label"),
    Column("referent", "Référent·e", get="referent.display_name"),
    Column("ended_on", "Fin effective", get="ended_on"),
])
