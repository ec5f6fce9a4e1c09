"""A company's derived data, kept by `portal.search` on every write: its search text (name, SIRET, commune and
the names of its current contacts, folded, plus each word with its doubled letters collapsed: "coutelerie"
finds "Coutellerie"); its name key for the likely-duplicate warning; and the day of its latest exchange, which
the list's « sans échange depuis N jours » reads through an index instead of every company's exchanges."""

from collections import defaultdict

from sqlalchemy import func, select

from crm.employers.models import Company, Contact, Interaction
from crm.employers.queries import squash
from crm.employers.rules import name_key
from portal import search
from portal.referentials.models import Commune
from portal.text import search_key


def company_search_data(session, ids: list[int]) -> dict[int, dict]:
    latest = dict(session.execute(select(Interaction.company_id, func.max(Interaction.occurred_on))
                                  .where(search.among(session, Interaction.company_id, ids))
                                  .group_by(Interaction.company_id)).all())
    contacts: dict[int, list[str]] = defaultdict(list)
    for company_id, full_name in session.execute(
            select(Contact.company_id, Contact.full_name)
            .where(search.among(session, Contact.company_id, ids), Contact.archived_at.is_(None)).order_by(Contact.id)):
        contacts[company_id].append(full_name)
    found = {}
    for ident, name, siret, commune in session.execute(
            select(Company.id, Company.name, Company.siret, Commune.name)
            .outerjoin(Commune, Commune.insee_code == Company.commune_code).where(search.among(session, Company.id, ids))):
        key = search_key(name, siret, commune, *contacts[ident])
        words = set(key.split())  # one squash of the whole key: doubled letters never span two words
        squashed = " ".join(sorted(set(squash(key).split()) - words))
        found[ident] = {"search_text": (key + (" " + squashed if squashed else ""))[:600], "name_key": name_key(name),
                        "last_interaction_on": latest.get(ident)}
    return found


search.derive(Company, compute=company_search_data, columns=("search_text", "name_key", "last_interaction_on"),
              reads=("name", "siret", "commune_code"),
              follows=[(Contact.company_id, ("full_name", "archived_at")), (Company.commune_code, ("name",)),
                       (Interaction.company_id, ("occurred_on",))])
