"""An employer corrects its own need while it is `soumise`; offers list export."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.concurrency import conflict_message, page_text
from tests.factories import FORGER

NEED = {"title": "Forgeron·ne confirmé·e", "appellation_code": FORGER, "contract_type": "cdd",
        "hours_per_week": "30", "work_commune_code": "63430", "start_on": "01/09/2026", "end_on": "28/02/2027",
        "positions": "3", "education_level": "", "description": "Forge de lames."}


def _employer_offer(make, status="soumise"):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company, status=status, title="Forgeron·ne")
    db.session.commit()
    return employer, offer


def test_employer_edits_its_submitted_need(client, auth, make, csrf):
    employer, offer = _employer_offer(make)
    auth.login(employer)
    assert "Modifier mon besoin" in client.get(f"/offres/{offer.id}").get_data(as_text=True)
    url = f"/mes-offres/{offer.id}/modifier"
    response = client.post(url, data=NEED | {"version": str(offer.version), "csrf_token": csrf(url)})
    assert response.status_code == 303
    db.session.refresh(offer)
    assert (offer.title, offer.positions, offer.status) == ("Forgeron·ne confirmé·e", 3, "soumise")
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "offer.update",
                                                               AuditEvent.object_id == str(offer.id))) == employer.id


def test_employer_stale_version_is_refused_and_what_was_typed_is_kept(client, auth, make, csrf):
    employer, offer = _employer_offer(make)
    auth.login(employer)
    url = f"/mes-offres/{offer.id}/modifier"
    response = client.post(url, data=NEED | {"version": str(offer.version + 1), "csrf_token": csrf(url)})
    page = page_text(response)
    assert response.status_code == 422 and "Forgeron·ne confirmé·e" in page
    assert conflict_message(page).startswith("Cette offre a été modifiée entre-temps")
    db.session.refresh(offer)
    assert offer.title == "Forgeron·ne" and offer.positions == 1


def test_employer_bad_input_saves_nothing(client, auth, make, csrf):
    employer, offer = _employer_offer(make)
    auth.login(employer)
    url = f"/mes-offres/{offer.id}/modifier"
    response = client.post(url, data=NEED | {"hours_per_week": "60", "version": str(offer.version),
                                             "csrf_token": csrf(url)})
    assert response.status_code == 422
    db.session.refresh(offer)
    assert offer.title == "Forgeron·ne"


def test_employer_cannot_edit_a_published_need(client, auth, make, csrf):
    employer, offer = _employer_offer(make, status="publiee")
    auth.login(employer)
    assert "Modifier mon besoin" not in client.get(f"/offres/{offer.id}").get_data(as_text=True)
    url = f"/mes-offres/{offer.id}/modifier"
    response = client.get(url, follow_redirects=True)
    assert "contactez la Mission Locale" in response.get_data(as_text=True)
    token = csrf(f"/offres/{offer.id}")
    client.post(url, data=NEED | {"version": str(offer.version), "csrf_token": token})
    db.session.refresh(offer)
    assert offer.title == "Forgeron·ne"


def test_other_company_need_is_404_and_staff_or_partner_may_not_use_the_employer_page(client, auth, make):
    _, offer = _employer_offer(make)
    auth.login(make.employer())
    assert client.get(f"/mes-offres/{offer.id}/modifier").status_code == 404
    auth.logout()
    auth.login(make.partner_user())
    assert client.get(f"/mes-offres/{offer.id}/modifier").status_code == 403
    auth.logout()
    assert client.get(f"/mes-offres/{offer.id}/modifier").status_code in (302, 303)


def test_export_follows_filters_and_scope(client, auth, make):
    employer, mine = _employer_offer(make)
    make.offer(title="Offre publiée ailleurs", status="publiee")
    db.session.commit()
    auth.login(make.counsellor())
    sheet = load_workbook(io.BytesIO(client.get("/offres/export.xlsx?statut=publiee").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Intitulé" and [r[0] for r in rows[1:]] == ["Offre publiée ailleurs"]
    auth.logout()
    auth.login(employer)
    rows = list(load_workbook(io.BytesIO(client.get("/offres/export.xlsx").data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Forgeron·ne"]
    auth.logout()
    auth.login(make.partner_user())
    rows = list(load_workbook(io.BytesIO(client.get("/offres/export.xlsx").data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Offre publiée ailleurs"]
