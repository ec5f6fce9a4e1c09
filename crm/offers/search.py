"""An offer's search data, derived by `portal.search` on every write: its title, its company's name (renaming
or merging the company refreshes it) and its ROME codes, folded."""

from sqlalchemy import select

from crm.employers.models import Company
from crm.offers.models import Offer
from portal import search
from portal.text import search_key


def offer_search_data(session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {ident: {"search_text": search_key(title, company, appellation, rome)}
            for ident, title, company, appellation, rome in session.execute(
                select(Offer.id, Offer.title, Company.name, Offer.appellation_code, Offer.rome_code)
                .outerjoin(Company, Company.id == Offer.company_id).where(Offer.id.in_(ids)))}


search.derive(Offer, compute=offer_search_data, reads=("title", "company_id", "appellation_code", "rome_code"),
              follows=[(Offer.company_id, ("name",))])
