"""A directory service's search data, derived by `portal.search` on every write: name, description, owner
(renaming the partner organisation refreshes it), commune and the labels of its thematiques, folded."""

from sqlalchemy import select

from crm.directory import rules
from crm.directory.models import DirectoryService
from crm.partners.models import PartnerOrganisation
from portal import search
from portal.referentials.models import Commune
from portal.text import search_key

OWN_SERVICE = "Mission Locale"  # the owner named when a service belongs to no partner (DirectoryService.owner_name)


def service_search_data(session, ids: list[int]) -> dict[int, dict[str, str]]:
    found = {}
    for ident, name, description, owner, commune, codes in session.execute(
            select(DirectoryService.id, DirectoryService.name, DirectoryService.description,
                   PartnerOrganisation.name, Commune.name, DirectoryService.thematiques_codes)
            .outerjoin(PartnerOrganisation, PartnerOrganisation.id == DirectoryService.partner_id)
            .outerjoin(Commune, Commune.insee_code == DirectoryService.commune_code)
            .where(DirectoryService.id.in_(ids))):
        thematiques = rules.split_codes(codes)
        labels = [rules.THEMATIQUES.get(t, "") for t in thematiques]
        labels += [rules.CATEGORIES.get(t.split("--")[0], "") for t in thematiques]
        found[ident] = {"search_text": search_key(name, description, owner or OWN_SERVICE, commune,
                                                  *sorted(set(labels)))[:3000]}
    return found


search.derive(DirectoryService, compute=service_search_data,
              reads=("name", "description", "partner_id", "commune_code", "thematiques_codes"),
              follows=[(DirectoryService.partner_id, ("name",)), (DirectoryService.commune_code, ("name",))])
