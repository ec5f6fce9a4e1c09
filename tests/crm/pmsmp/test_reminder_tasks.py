"""PMSMP reminders also give the prescribing counsellor a task, once per event, linked from « Mes tâches »."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from crm.employers.models import Task
from crm.pmsmp import reminders, signing
from crm.pmsmp.rules import add_working_days
from portal import reminders as portal_reminders
from portal.extensions import db

TODAY = date.today()


def _tasks(p) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.subject_type == "Placement", Task.subject_id == p.id)
                                   .order_by(Task.id)))


@pytest.fixture()
def counsellor(make):
    return make.counsellor()


def test_missing_signatures_two_working_days_before_the_start_through_the_cli(app, make, counsellor, monkeypatch):
    p = make.placement(counsellor)
    signing.send_for_signature(counsellor, p)
    db.session.commit()
    monkeypatch.setattr(portal_reminders, "_JOBS", [("pmsmp", reminders.run)])
    day = add_working_days(p.start_date, -2)
    runner = app.test_cli_runner()
    for _ in range(2):  # the command runs every day: the task is created once
        result = runner.invoke(args=["reminders", "run", "--date", day.isoformat()])
        assert result.exit_code == 0, result.output
    tasks = _tasks(p)
    assert len(tasks) == 1
    task = tasks[0]
    assert task.assignee_id == counsellor.id and task.company_id == p.company_id and task.due_on == day
    assert task.title == f"Signatures manquantes : {p.reference} commence le {p.start_date:%d/%m/%Y}"


def test_no_signature_task_on_other_days(make, counsellor):
    p = make.placement(counsellor)
    signing.send_for_signature(counsellor, p)
    reminders.run(add_working_days(p.start_date, -3))
    assert _tasks(p) == []


def test_validation_waiting_gives_one_task_until_it_is_done(make, counsellor):
    p = make.placement(counsellor)
    p.status = "a_valider"
    db.session.flush()
    reminders.run(TODAY)
    reminders.run(TODAY + timedelta(days=7))
    tasks = _tasks(p)
    assert [t.title for t in tasks] == [f"Convention à valider : {p.reference}, toutes les signatures sont là"]
    tasks[0].done_at = tasks[0].created_at
    db.session.flush()
    reminders.run(TODAY + timedelta(days=14))  # still waiting after the task was closed: a new one
    assert len(_tasks(p)) == 2


def test_assessment_overdue_at_j_plus_10_only(make, counsellor):
    p = make.placement(counsellor)
    p.status = "validee"
    p.start_date, p.end_date = TODAY - timedelta(days=20), TODAY - timedelta(days=10)
    db.session.flush()
    reminders.run(TODAY - timedelta(days=7))  # J+3: an e-mail, no task
    assert _tasks(p) == []
    reminders.run(TODAY)
    reminders.run(TODAY + timedelta(days=1))
    assert [t.title for t in _tasks(p)] == [f"Bilan en retard : {p.reference}, terminée le {p.end_date:%d/%m/%Y}"]


def test_a_convention_turning_caduque_gives_a_task(make, counsellor):
    p = make.placement(counsellor)
    p.start_date, p.end_date = TODAY - timedelta(days=45), TODAY - timedelta(days=30)
    db.session.flush()
    assert "1 convention(s) caduque(s)" in reminders.run(TODAY)
    assert p.status == "caduque"
    reminders.run(TODAY + timedelta(days=1))
    assert [t.title for t in _tasks(p)] == [f"Convention devenue caduque : {p.reference}, non validée 30 jours "
                                            "après sa fin"]


def test_an_inactive_counsellor_gets_no_task_and_the_job_goes_on(make, counsellor):
    p = make.placement(counsellor)
    p.status = "a_valider"
    counsellor.active = False
    db.session.flush()
    assert "1 validation(s)" in reminders.run(TODAY)
    assert _tasks(p) == []


def test_my_tasks_link_to_the_convention(client, auth, make, counsellor):
    p = make.placement(counsellor)
    p.status = "a_valider"
    db.session.flush()
    reminders.run(TODAY)
    db.session.commit()
    auth.login(counsellor)
    page = unescape(client.get("/taches").get_data(as_text=True))
    assert f"Convention à valider : {p.reference}" in page
    assert f'href="/pmsmp/{p.id}"' in page and f"{p.reference} · {p.youth.full_name}" in page
