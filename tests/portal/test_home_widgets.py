"""The counsellor's home shows what is due, from the capabilities' widgets."""

from datetime import date, timedelta

from crm.employers import services as employers
from portal.extensions import db


def test_counsellor_home_counts_tasks_due(client, auth, make):
    counsellor = make.counsellor()
    today = date.today()
    employers.create_task(counsellor, title="Rappeler la coutellerie", due_on=today - timedelta(days=2),
                          assignee=counsellor)
    employers.create_task(counsellor, title="Préparer le forum", due_on=today, assignee=counsellor)
    db.session.commit()
    auth.login(counsellor)
    page = client.get("/").get_data(as_text=True)
    assert "Mes tâches" in page and "Mes suivis post-embauche" in page
    overdue = page.index("en retard")
    assert '<span class="figure-value">1</span>' in page[overdue - 120:overdue]
    assert "pour aujourd&#39;hui" in page or "pour aujourd'hui" in page


def test_a_failing_widget_never_breaks_the_home_page(client, auth, make, monkeypatch):
    from portal.home import widgets

    def broken(user, today):
        raise RuntimeError("panne")

    monkeypatch.setattr(widgets, "_PROVIDERS", [*widgets._PROVIDERS, (("counsellor",), broken)])
    auth.login(make.counsellor())
    response = client.get("/")
    assert response.status_code == 200
    assert "Mes tâches" in response.get_data(as_text=True)


def test_employers_see_no_counsellor_widget(client, auth, make):
    auth.login(make.employer())
    assert "Mes suivis post-embauche" not in client.get("/").get_data(as_text=True)
