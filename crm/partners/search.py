"""A partner organisation's search data, derived by `portal.search` on every write: name and SIRET, folded."""

from sqlalchemy import select

from crm.partners.models import PartnerOrganisation
from portal import search
from portal.text import search_key


def partner_search_data(session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {ident: {"search_text": search_key(name, siret)} for ident, name, siret in session.execute(
        select(PartnerOrganisation.id, PartnerOrganisation.name, PartnerOrganisation.siret)
        .where(PartnerOrganisation.id.in_(ids)))}


search.derive(PartnerOrganisation, compute=partner_search_data, reads=("name", "siret"))
