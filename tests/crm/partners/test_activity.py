"""Exchanges and tasks about a partner organisation; partner exports."""

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from crm.employers.models import Interaction, Task
from portal.audit.models import AuditEvent
from portal.extensions import db


def test_counsellor_logs_an_exchange_with_a_next_action_shown_on_the_page_and_in_my_tasks(client, auth, csrf, make):
    partner = make.partner(name="CFA des Métiers")
    counsellor = make.counsellor()
    auth.login(counsellor)
    url = f"/partenaires/{partner.id}/echanges/nouveau"
    response = client.post(url, data={"csrf_token": csrf(url), "kind": "rendez_vous",
                                      "occurred_on": date.today().strftime("%d/%m/%Y"),
                                      "summary": "Point sur les places en apprentissage", "outcome": "positif",
                                      "next_action": "Envoyer la liste des jeunes intéressés",
                                      "next_action_on": (date.today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 303
    interaction = db.session.scalar(select(Interaction).where(Interaction.partner_id == partner.id))
    assert interaction.summary == "Point sur les places en apprentissage" and interaction.company_id is None
    task = db.session.scalar(select(Task).where(Task.subject_type == "PartnerOrganisation",
                                                Task.subject_id == partner.id))
    assert task.title == "Envoyer la liste des jeunes intéressés" and task.assignee_id == counsellor.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interaction.create")) is not None

    page = client.get(f"/partenaires/{partner.id}").get_data(as_text=True)
    assert "Point sur les places en apprentissage" in page and "Envoyer la liste des jeunes intéressés" in page
    tasks = client.get("/taches").get_data(as_text=True)
    assert "CFA des Métiers" in tasks and f"/partenaires/{partner.id}" in tasks


def test_bad_exchange_is_explained_and_nothing_saved(client, auth, csrf, make):
    partner = make.partner()
    auth.login(make.counsellor())
    url = f"/partenaires/{partner.id}/echanges/nouveau"
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(url, data={"csrf_token": csrf(url), "kind": "appel", "occurred_on": future,
                                      "summary": "Appel prévu avec la directrice"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "ne peut pas être dans le futur" in html
    assert "Appel prévu avec la directrice" in html
    response = client.post(url, data={"csrf_token": csrf(url), "kind": "appel", "occurred_on": "31/02/2026",
                                      "summary": "x"})
    assert response.status_code == 422 and 'id="occurred_on-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf(url), "kind": "appel",
                                      "occurred_on": date.today().isoformat(), "summary": "Appel",
                                      "next_action": "Rappeler"})
    assert response.status_code == 422 and "Indiquez la date de la prochaine action" in response.get_data(as_text=True)
    assert db.session.scalar(select(Interaction).where(Interaction.partner_id == partner.id)) is None
    assert db.session.scalar(select(Task).where(Task.subject_id == partner.id)) is None


def test_task_about_a_partner_is_created_completed_and_validated(client, auth, csrf, make):
    partner = make.partner()
    counsellor, colleague = make.counsellor(), make.counsellor(full_name="Camille Collègue")
    auth.login(counsellor)
    url = f"/partenaires/{partner.id}/taches/nouvelle"
    bad = client.post(url, data={"csrf_token": csrf(url), "title": "Préparer le comité", "due_on": "",
                                 "assignee_id": str(colleague.id)})
    assert bad.status_code == 422 and 'value="Préparer le comité"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(Task).where(Task.subject_id == partner.id)) is None
    ok = client.post(url, data={"csrf_token": csrf(url), "title": "Préparer le comité",
                                "due_on": date.today().isoformat(), "assignee_id": str(colleague.id)})
    assert ok.status_code == 303
    task = db.session.scalar(select(Task).where(Task.subject_type == "PartnerOrganisation",
                                                Task.subject_id == partner.id))
    assert task.assignee_id == colleague.id
    page = f"/partenaires/{partner.id}"
    client.post(f"/taches/{task.id}/terminer", data={"csrf_token": csrf(page), "retour": page})
    db.session.refresh(task)
    assert task.done_at is not None


def test_partner_users_see_no_exchanges_and_cannot_log_any(client, auth, csrf, make):
    partner = make.partner()
    make.task(title="Note interne sur le partenaire", subject_type="PartnerOrganisation", subject_id=partner.id)
    auth.login(make.partner_user(partner_id=partner.id))
    html = client.get("/mon-organisation").get_data(as_text=True)
    assert "Note interne sur le partenaire" not in html and "Noter un échange" not in html
    assert client.get(f"/partenaires/{partner.id}/echanges/nouveau").status_code == 403
    assert client.get(f"/partenaires/{partner.id}/taches/nouvelle").status_code == 403
    auth.logout()
    auth.login(make.counsellor())
    assert client.get("/partenaires/999999/echanges/nouveau").status_code == 404
    assert client.get("/partenaires/999999/taches/nouvelle").status_code == 404


def test_partner_page_queries_do_not_grow_with_exchanges_and_tasks(client, auth, make, count_queries):
    partner = make.partner()
    counsellor = make.counsellor()
    auth.login(counsellor)
    client.get(f"/partenaires/{partner.id}")  # warm-up: the session's user and reference rows
    with count_queries() as few:
        client.get(f"/partenaires/{partner.id}")
    for i in range(15):
        db.session.add(Interaction(partner_id=partner.id, counsellor_id=make.counsellor().id, kind="appel",
                                   occurred_on=date.today(), summary=f"Appel {i}"))
        make.task(title=f"Tâche {i}", assignee=make.counsellor(), subject_type="PartnerOrganisation",
                  subject_id=partner.id)
    db.session.flush()
    with count_queries() as many:
        html = client.get(f"/partenaires/{partner.id}").get_data(as_text=True)
    assert "Appel 14" in html and "Tâche 14" in html
    assert many.count == few.count


def _sheet(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def test_partner_export_follows_the_filters_and_escapes_formulas(client, auth, make):
    make.partner(name="=HYPERLINK(\"http://x\")", kind="sante")
    make.partner(name="Garage Mobilité", kind="mobilite")
    auth.login(make.counsellor())
    rows = _sheet(client.get("/partenaires/export.xlsx?type=sante"))
    assert rows[0][:2] == ["Organisation", "Type"]
    assert [r[0] for r in rows[1:]] == ["=HYPERLINK(\"http://x\")"] and rows[1][1] == "Santé"
    assert client.get("/partenaires").get_data(as_text=True).count("export.xlsx") == 1


def test_convention_export_partner_user_gets_its_own_only(client, auth, make):
    mine, other = make.partner(name="À moi"), make.partner(name="Autre")
    make.convention(mine, title="Convention à moi")
    make.convention(other, title="Convention d'un autre")
    make.convention(mine, title="Ancienne", status="expiree")
    auth.login(make.partner_user(partner_id=mine.id))
    rows = _sheet(client.get("/partenaires/conventions/export.xlsx?statut=active"))
    assert [r[0] for r in rows[1:]] == ["Convention à moi"]
    auth.logout()
    auth.login(make.employer())
    assert client.get("/partenaires/conventions/export.xlsx").status_code == 403
    assert client.get("/partenaires/export.xlsx").status_code == 403
