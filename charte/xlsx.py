"""Export of the staff list of signatures, through the shared streaming engine (portal/xlsx.py)."""

from collections.abc import Iterator
from datetime import date

from flask import Response
from sqlalchemy import Select

from charte.models import CharterSignature
from portal.extensions import db
from portal.text import local_day
from portal.xlsx import export_response

HEADERS = ("Entreprise", "SIRET", "Commune", "Secteur", "Statut", "N° d'attestation", "Version de la charte",
           "Signataire", "Fonction", "Adresse électronique", "Engagements", "Liste publique", "Signée le",
           "Validée le", "Échéance de l'engagement", "Retirée le", "Motif du retrait")


def row(signature: CharterSignature) -> list:
    company = signature.company
    sector = company.naf.section.label if company.naf else ""
    return [company.name, company.siret or "", company.commune.name if company.commune else "", sector,
            signature.status_label, signature.number or "", signature.charter.number, signature.signatory_name,
            signature.signatory_role, signature.signatory_email, " ; ".join(c.label for c in signature.commitments),
            "Oui" if signature.public_consent else "Non", local_day(signature.signed_at),
            local_day(signature.validated_at) if signature.validated_at else None, signature.renewal_due_on,
            local_day(signature.withdrawn_at) if signature.withdrawn_at else None, signature.withdrawal_reason or ""]


def rows(stmt: Select, batch: int = 500) -> Iterator[list]:
    """The rows of the list in its order, loaded a batch at a time (ids first) so that memory stays flat."""
    ids = list(db.session.scalars(stmt.with_only_columns(CharterSignature.id)))
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        loaded = {s.id: s for s in db.session.scalars(stmt.where(CharterSignature.id.in_(chunk)))}
        for signature_id in chunk:
            yield row(loaded[signature_id])


def export_signatures_response(stmt: Select) -> Response:
    """Stream the signatures selected by `stmt` as an xlsx download (formulas neutralised by the engine)."""
    return export_response(f"signataires-charte-{date.today():%Y-%m-%d}.xlsx", HEADERS, rows(stmt),
                           sheet_title="Signataires")
