"""Public charter signatories in the open data API (/api/v1/signataires): active signatures whose company
consented to the public list, never the person who signed."""

from charte import queries
from charte.models import CharterSignature
from portal.api.registry import Dataset, paged, register
from portal.api.schemas import Commune, Signataire


def signatory_item(signature: CharterSignature) -> Signataire:
    company = signature.company
    return Signataire(
        entreprise=company.name,
        commune=Commune(code_insee=company.commune_code, nom=company.commune.name) if company.commune else None,
        code_naf=company.naf_code, activite=company.naf.label if company.naf else None,
        date_engagement=signature.period_start, engagements=[c.label for c in signature.commitments])


def public_signatories(limit: int, offset: int) -> tuple[list[Signataire], int]:
    """The charter's own public query, by company name."""
    rows, total = paged(queries.public_signatures(), limit, offset)
    return [signatory_item(s) for s in rows], total


register(Dataset("signataires", Signataire, public_signatories))
