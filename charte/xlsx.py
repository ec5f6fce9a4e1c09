"""Export of the staff list of signatures, through the shared streaming writer (portal/xlsx_write.py)."""

from datetime import date

from flask import Response
from sqlalchemy import Select

from charte.models import CharterSignature
from portal.xlsx_tables import Column, Table, or_blank, oui_non, paris_day


def _sector(signature: CharterSignature, _) -> str:
    company = signature.company
    return company.naf.section.label if company.naf else ""


SIGNATURES = Table("Signataires", [
    Column("company", "Entreprise", get="company.name"),
    Column("siret", "SIRET", get="company.siret", format=or_blank),
    Column("commune", "Commune", get="company.commune.name", format=or_blank),
    Column("sector", "Secteur", get=_sector),
    Column("status", "Statut", get="status_label"),
    Column("number", "N° d'attestation", get="number", format=or_blank),
    Column("charter", "Version de la charte", get="charter.number"),
    Column("signatory_name", "Signataire", get="signatory_name"),
    Column("signatory_role", "Fonction", get="signatory_role"),
    Column("signatory_email", "Adresse électronique", get="signatory_email"),
    Column("commitments", "Engagements", get=lambda signature, _: " ; ".join(c.label for c in signature.commitments)),
    Column("public_consent", "Liste publique", get="public_consent", format=oui_non),
    Column("signed_at", "Signée le", get="signed_at", format=paris_day),
    Column("validated_at", "Validée le", get="validated_at", format=paris_day),
    Column("renewal_due_on", "Échéance de l'engagement", get="renewal_due_on"),
    Column("withdrawn_at", "Retirée le", get="withdrawn_at", format=paris_day),
    Column("withdrawal_reason", "Motif du retrait", get="withdrawal_reason", format=or_blank),
])


def export_signatures_response(stmt: Select) -> Response:
    """Stream the signatures selected by `stmt` as an xlsx download (formulas neutralised by the writer)."""
    return SIGNATURES.export(f"signataires-charte-{date.today():%Y-%m-%d}.xlsx", stmt)
