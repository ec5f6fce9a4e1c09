"""RGPD: downloading a convention or its bilan as PDF is an access to the young person's data, logged; an
anonymised young person cannot be picked for a new convention."""

from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import select

from crm.pmsmp.models import Assessment
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.privacy import services as privacy
from tests.conftest import csrf_token
from tests.crm.pmsmp.test_views import count_placements, form_data


def _accesses() -> list[tuple]:
    return list(db.session.execute(select(AuditEvent.actor_id, AuditEvent.object_id, AuditEvent.details["what"]
                                          .as_string(), AuditEvent.summary)
                                   .where(AuditEvent.action == "privacy.access").order_by(AuditEvent.id)))


@pytest.fixture()
def assessed(make):
    p = make.placement(actor=make.counsellor())
    p.assessment = Assessment(outcome="complete", hours_done=Decimal("35"), skills_observed="Ponctuelle",
                              employer_feedback="Bien", filled_by_role="tuteur", filled_by_name="Jean Dumas",
                              content_hash="b" * 64)
    db.session.flush()
    return p


@pytest.mark.parametrize("role", ["counsellor", "employer"])
def test_pdf_downloads_are_logged_once_each(client, auth, make, assessed, role):
    p = assessed
    user = make.counsellor() if role == "counsellor" else make.employer(company_id=p.company_id)
    auth.login(user)
    for document in ("convention", "bilan"):
        response = client.get(f"/pmsmp/{p.id}/{document}.pdf")
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    youth = str(p.youth_id)
    assert _accesses() == [
        (user.id, youth, "pdf_convention", f"Consultation : convention PMSMP (PDF téléchargé) (jeune n° {youth})"),
        (user.id, youth, "pdf_bilan", f"Consultation : bilan PMSMP (PDF téléchargé) (jeune n° {youth})"),
    ]
    auth.logout()
    auth.login(make.admin())
    journal = unescape(client.get("/admin/journal?action=privacy.access").get_data(as_text=True))
    assert f"Consultation : convention PMSMP (PDF téléchargé) (jeune n° {youth})" in journal
    assert f"Consultation : bilan PMSMP (PDF téléchargé) (jeune n° {youth})" in journal
    dpo = unescape(client.get(f"/donnees-personnelles/jeunes/{youth}").get_data(as_text=True))
    assert "dont 3 consultation(s)" in dpo  # the two downloads and this visit of the DPO


def test_refused_downloads_log_nothing(client, auth, make, assessed):
    other_company = make.employer(company_id=make.company().id)
    auth.login(other_company)
    assert client.get(f"/pmsmp/{assessed.id}/convention.pdf").status_code == 404
    assert client.get(f"/pmsmp/{assessed.id}/bilan.pdf").status_code == 404
    auth.logout()
    auth.login(make.partner_user())
    assert client.get(f"/pmsmp/{assessed.id}/convention.pdf").status_code == 403
    auth.logout()
    auth.login(make.counsellor())
    unassessed = make.placement(actor=make.counsellor())
    assert client.get(f"/pmsmp/{unassessed.id}/bilan.pdf").status_code == 404
    assert _accesses() == []


def test_an_anonymised_young_person_cannot_be_picked(client, auth, make):
    counsellor, youth = make.counsellor(), make.pmsmp_youth()
    privacy.erase_youth(make.admin(), youth, reason="Demande écrite du jeune")
    auth.login(counsellor)
    data = form_data(youth, make.company(), counsellor, youth_email="jeune@exemple.test")
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    assert response.status_code == 422
    assert "Jeune introuvable : choisissez-le dans la liste proposée." in unescape(response.get_data(as_text=True))
    assert count_placements() == 0
