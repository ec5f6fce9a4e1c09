"""The « attestation d'engagement » of a signature, as a French PDF."""

from flask import current_app

from charte.models import CharterSignature
from portal.pdf import FrenchDocument
from portal.text import date_fr


def certificate_pdf(signature: CharterSignature) -> bytes:
    """The attestation of an active (or to-renew) signature: number, charter version, dates, commitments."""
    organisation = current_app.config["ORGANISATION_NAME"]
    company, charter = signature.company, signature.charter
    doc = FrenchDocument(title=f"Attestation d'engagement n° {signature.number}", author=organisation)
    doc.paragraph(organisation, size=10, align="L")
    doc.ln(4)
    doc.heading("Attestation d'engagement")
    doc.paragraph(f"Charte « {charter.title} »", size=13, align="L")
    doc.ln(2)
    commune = company.commune.name if company.commune else ""
    doc.paragraph(
        f"La {organisation} atteste que l'entreprise {company.name}"
        + (f", établie à {commune}" if commune else "")
        + (f" (SIRET {company.siret})" if company.siret else "")
        + f", a signé la charte « {charter.title} » et s'est engagée, aux côtés de la Mission Locale, "
          "en faveur des jeunes de son territoire."
    )
    doc.key_values([
        ("Numéro d'attestation", signature.number or ""),
        ("Version de la charte", f"{charter.number}, publiée le {date_fr(charter.published_at)}"),
        ("Signée le", date_fr(signature.signed_at)),
        ("Validée le", date_fr(signature.validated_at)),
        ("Engagement valable jusqu'au", date_fr(signature.renewal_due_on)),
        ("Signataire", f"{signature.signatory_name}, {signature.signatory_role}"),
    ])
    doc.subheading("Les engagements de l'entreprise")
    doc.bullets([c.label for c in signature.commitments])
    doc.ln(4)
    doc.paragraph(f"Fait pour servir et valoir ce que de droit. Document établi par la {organisation}.",
                  size=10, align="L")
    return doc.to_bytes()
