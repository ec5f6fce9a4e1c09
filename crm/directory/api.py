"""The directory in the open data API: published services and their structures (data·inclusion, see
opendata.py), and a partner's own services by personal token."""

from data_inclusion.schema import v1

from crm.directory import opendata, queries
from portal.api.registry import Dataset, register
from portal.api.schemas import ServiceGere


def published_services(limit: int, offset: int) -> tuple[list[dict], int]:
    rows, total = queries.published_services(limit=limit, offset=offset)
    return [opendata.service_payload(s) for s in rows], total


def published_service(service_id: int) -> dict | None:
    service = queries.published_service(service_id)
    return opendata.service_payload(service) if service else None


def services_of(user) -> list[ServiceGere]:
    """The services of the token's organisation, drafts and changes awaiting review included."""
    return [ServiceGere(statut=s.status, en_attente_de_validation=s.awaiting_review,
                        service=opendata.service_payload(s))
            for s in queries.services_of_partner(user, user.partner_id or 0)]


register(Dataset("services", v1.Service, published_services, one=published_service, mine=services_of,
                 mine_item=ServiceGere, index={"vocabulaires": opendata.vocabularies}))
register(Dataset("structures", v1.Structure, opendata.published_structures))
