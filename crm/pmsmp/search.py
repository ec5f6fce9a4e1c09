"""A convention's search data, derived by `portal.search`: its young person's search text and its company's, as
they are stored (names and i-milo identifier; name, SIRET, commune and current contacts), refreshed whenever
either changes (a renamed company, a corrected or anonymised young person, a contact added) or the convention
changes hands. The two texts are kept apart by a character that no folded search term holds, so that a
searched phrase is found in one of them as before, never across both."""

from sqlalchemy import select

from crm.employers.models import Company
from crm.pmsmp.models import Placement
from crm.youth.models import YouthProfile
from portal import search

SEPARATOR = "|"


def placement_search_data(session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {ident: {"search_text": youth[:400] + SEPARATOR + company[:600]}
            for ident, youth, company in session.execute(
                select(Placement.id, YouthProfile.search_text, Company.search_text)
                .join(YouthProfile, YouthProfile.id == Placement.youth_id)
                .join(Company, Company.id == Placement.company_id).where(search.among(session, Placement.id, ids)))}


search.derive(Placement, compute=placement_search_data, reads=("youth_id", "company_id"),
              follows=[(Placement.youth_id, ("search_text",)), (Placement.company_id, ("search_text",))])
