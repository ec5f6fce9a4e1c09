"""Exports of « mes suivis » and of the list of hires: the rows the page shows, audited, staff only."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db

TODAY = date.today()


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_my_follow_ups_export_holds_the_rows_of_the_page(client, auth, make):
    me, colleague = make.counsellor(), make.counsellor()
    mine = make.hire(youth=make.followup_youth(referent_id=me.id, last_name="Mienne"))
    make.hire(youth=make.followup_youth(referent_id=colleague.id, last_name="Autre"))
    auth.login(me)
    page = client.get("/suivis").get_data(as_text=True)
    assert "Mienne" in page and "Autre" not in page and "/suivis/export.xlsx" in page
    rows = _sheet(client.get("/suivis/export.xlsx"))
    assert rows[0][:3] == ("Priorité", "Jeune", "Entreprise")
    assert [r[1] for r in rows[1:]] == [mine.youth.full_name]
    assert rows[1][0] == "En retard" and rows[1][4] == "J+7"
    event = _events("followup.export_queue")[-1]
    assert event.actor_id == me.id and event.details == {"rows": 1, "filters": {"tous": False}}
    everyone = _sheet(client.get("/suivis/export.xlsx?tous=1"))
    assert {"Mienne", "Autre"} <= {r[1].split()[-1] for r in everyone[1:]}


def test_hires_export_follows_the_filters(client, auth, make):
    auth.login(make.counsellor())
    cdd = make.hire(contract_type="cdd", end_on=TODAY + timedelta(days=100), job_title="Magasinier")
    cdi = make.hire(contract_type="cdi", job_title="=Formule")
    rows = _sheet(client.get("/suivis/embauches/export.xlsx?contrat=cdd"))
    assert rows[0][:4] == ("Jeune", "Entreprise", "Poste", "Contrat")
    names = [r[0] for r in rows[1:]]
    assert cdd.youth.full_name in names and cdi.youth.full_name not in names
    mine = next(r for r in rows if r[0] == cdd.youth.full_name)
    assert mine[2:4] == ("Magasinier", "CDD") and mine[8] == "En cours"
    all_rows = _sheet(client.get("/suivis/embauches/export.xlsx"))
    assert "'=Formule" in [r[2] for r in all_rows]  # a formula is never written as such
    page = client.get("/suivis/embauches?contrat=cdd").get_data(as_text=True)
    assert "/suivis/embauches/export.xlsx?contrat=cdd" in page
    assert _events("followup.export_hires")[0].details["filters"] == {"etat": "", "contrat": "cdd"}


def test_ruptured_filter_exports_only_ruptures(client, auth, make):
    auth.login(make.counsellor())
    from crm.followup import services

    broken, kept = make.hire(), make.hire()
    services.record_rupture(make.counsellor(), broken, ended_on=TODAY - timedelta(days=2), initiative="jeune",
                            reason="mobilite", reopen_positioning=False)
    rows = _sheet(client.get("/suivis/embauches/export.xlsx?etat=rompue"))
    names = [r[0] for r in rows[1:]]
    assert broken.youth.full_name in names and kept.youth.full_name not in names
    assert next(r for r in rows if r[0] == broken.youth.full_name)[9].date() == TODAY - timedelta(days=2)


@pytest.mark.parametrize("url", ["/suivis/export.xlsx", "/suivis/embauches/export.xlsx"])
@pytest.mark.parametrize("role", ["employer", "partner"])
def test_employers_and_partners_cannot_export(client, auth, make, url, role):
    hire = make.hire()
    user = make.employer(company_id=hire.company_id) if role == "employer" else make.partner_user()
    auth.login(user)
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert not response.mimetype.endswith("spreadsheetml.sheet")
    assert not _events("followup.export_queue") and not _events("followup.export_hires")


@pytest.mark.parametrize("url", ["/suivis/export.xlsx", "/suivis/embauches/export.xlsx"])
def test_exports_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code in (302, 303, 401)
