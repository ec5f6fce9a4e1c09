"""A young person's search data, derived by `portal.search` on every write: names and i-milo identifier,
folded."""

from sqlalchemy import select

from crm.youth.models import YouthProfile
from portal import search
from portal.text import search_key


def youth_search_data(session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {ident: {"search_text": search_key(first, last, imilo)} for ident, first, last, imilo in session.execute(
        select(YouthProfile.id, YouthProfile.first_name, YouthProfile.last_name, YouthProfile.imilo_id)
        .where(YouthProfile.id.in_(ids)))}


search.derive(YouthProfile, compute=youth_search_data, reads=("first_name", "last_name", "imilo_id"))
