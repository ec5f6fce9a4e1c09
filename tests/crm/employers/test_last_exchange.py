"""« Sans échange depuis N jours » reads the day of each company's latest exchange, derived from its exchanges:
a new exchange, a redated one, a merge and a deleted one all move it, and the list follows."""

from datetime import date, timedelta

from sqlalchemy import delete

from crm.employers.activity import log_interaction
from crm.employers.merge import merge_companies
from crm.employers.models import Interaction
from portal.extensions import db

URL = "/entreprises?sans_echange=90"


def _listed(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_follows_every_exchange(client, auth, make):
    me = make.counsellor()
    auth.login(me)
    today = date.today()  # the filter counts its days back from the day the page is read
    old = make.company(name="Ancienne Forge")
    log_interaction(me, company=old, kind="appel", summary="Appel", occurred_on=today - timedelta(days=100))
    recent = make.company(name="Récente Coutellerie")
    log_interaction(me, company=recent, kind="appel", summary="Appel", occurred_on=today - timedelta(days=10))
    never = make.company(name="Jamais Vue")
    db.session.commit()
    assert (old.last_interaction_on, recent.last_interaction_on, never.last_interaction_on) == (
        today - timedelta(days=100), today - timedelta(days=10), None)
    page = _listed(client)
    assert "Ancienne Forge" in page and "Jamais Vue" in page and "Récente Coutellerie" not in page

    log_interaction(me, company=old, kind="visite", summary="Visite", occurred_on=today)
    db.session.commit()
    assert old.last_interaction_on == today
    assert "Ancienne Forge" not in _listed(client)

    merge_companies(me, recent, never)  # the exchanges of the merged company go to the one kept
    db.session.commit()
    assert never.last_interaction_on == today - timedelta(days=10)
    assert "Jamais Vue" not in _listed(client)

    db.session.execute(delete(Interaction).where(Interaction.company_id == never.id))
    db.session.commit()
    assert never.last_interaction_on is None
    assert "Jamais Vue" in _listed(client)
