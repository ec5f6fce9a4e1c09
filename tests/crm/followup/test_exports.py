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
    assert "=Formule" in [r[2] for r in all_rows]  # as typed, in a text cell (tests/security/test_xlsx_exports.py)
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
    assert not _events("privacy.access")


@pytest.mark.parametrize("url", ["/suivis/export.xlsx", "/suivis/embauches/export.xlsx"])
def test_exports_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code in (302, 303, 401)


def _accesses(what: str) -> list[tuple]:
    return list(db.session.execute(select(AuditEvent.actor_id, AuditEvent.object_id, AuditEvent.summary)
                                   .where(AuditEvent.action == "privacy.access",
                                          AuditEvent.details["what"].as_string() == what)
                                   .order_by(AuditEvent.object_id)))


def test_hires_export_logs_one_access_per_exported_young_person_in_one_insert(client, auth, make, count_queries):
    me = make.counsellor()
    twice = make.followup_youth()
    exported = [make.hire(youth=twice, contract_type="cdd", end_on=TODAY + timedelta(days=90)),
                make.hire(youth=twice, contract_type="cdd", end_on=TODAY + timedelta(days=200)),
                make.hire(contract_type="cdd", end_on=TODAY + timedelta(days=90))]
    filtered_out = make.hire(contract_type="cdi")
    auth.login(me)
    with count_queries() as counter:
        rows = _sheet(client.get("/suivis/embauches/export.xlsx?contrat=cdd"))
    assert len(rows) == 4
    inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT")]
    assert len(inserts) == 2  # the export's own event, then every access in one statement
    youth_ids = sorted({str(h.youth_id) for h in exported})
    assert _accesses("export_embauches") == [
        (me.id, y, f"Consultation : export de la liste des embauches (jeune n° {y})") for y in youth_ids]
    assert str(filtered_out.youth_id) not in [a[1] for a in _accesses("export_embauches")]
    auth.logout()
    auth.login(make.admin())
    journal = client.get("/admin/journal?action=privacy.access").get_data(as_text=True)
    for y in youth_ids:
        assert f"Consultation : export de la liste des embauches (jeune n° {y})" in journal


def test_follow_ups_export_logs_each_young_person_once(client, auth, make):
    me = make.counsellor()
    youth = make.followup_youth(referent_id=me.id)
    make.hire(youth=youth, start_on=TODAY - timedelta(days=100))  # several check-ins due
    other = make.hire(youth=make.followup_youth(referent_id=me.id))
    make.hire(youth=make.followup_youth(referent_id=make.counsellor().id))  # not in « mes suivis »
    auth.login(me)
    rows = _sheet(client.get("/suivis/export.xlsx"))
    assert len(rows) > 3  # one row per check-in due, the first young person has several
    assert _accesses("export_suivis") == [
        (me.id, str(y), f"Consultation : export de la liste des suivis (jeune n° {y})")
        for y in sorted([youth.id, other.youth_id], key=str)]
