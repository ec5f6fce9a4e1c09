"""The home registry: to-dos ordered by urgency, counted from their query, a failing one left out."""

from datetime import date

from sqlalchemy import select

from crm.employers.models import Task
from portal.extensions import db
from portal.home import widgets
from portal.home.widgets import OVERDUE, SOON, TODAY, Row, Todo, from_query, todos_for
from tests.factories import count_of


def _registry(monkeypatch, *providers):
    monkeypatch.setattr(widgets, "_TODOS", [(("counsellor",), fn) for fn in providers])


def test_pending_todos_come_most_urgent_first_then_the_largest(make, monkeypatch):
    _registry(monkeypatch,
              lambda u, t: Todo("a", "Bientôt", 9, urgency=SOON),
              lambda u, t: Todo("b", "En retard", 1, urgency=OVERDUE),
              lambda u, t: Todo("c", "Aujourd'hui, peu", 2, urgency=TODAY),
              lambda u, t: Todo("d", "Aujourd'hui, beaucoup", 5, urgency=TODAY),
              lambda u, t: Todo("e", "Rien", 0, urgency=OVERDUE, empty="Planifiez la suite."))
    pending, done = todos_for(make.counsellor(), date.today())
    assert [t.key for t in pending] == ["b", "d", "c", "a"]
    assert [t.key for t in done] == ["e"]


def test_from_query_counts_and_lists_from_the_same_statement(make, app):
    counsellor = make.counsellor()
    for n in range(7):
        make.task(counsellor, title=f"Tâche {n}")
    make.task(make.counsellor(), title="D'un autre")
    stmt = select(Task).where(Task.assignee_id == counsellor.id).order_by(Task.id)
    todo = from_query(stmt, lambda t: Row(t.title, "/taches"), key="k", title="T")
    assert todo.count == 7 == count_of(stmt)
    assert [r.label for r in todo.rows] == [f"Tâche {n}" for n in range(5)]
    assert todo.more == 2


def test_a_failing_todo_never_breaks_the_home_page(client, auth, make, monkeypatch):
    def broken(user, today):
        db.session.execute(select(Task).where(Task.id == "pas un nombre"))  # a failing query (PostgreSQL)
        raise RuntimeError("panne")

    monkeypatch.setattr(widgets, "_TODOS", [*widgets._TODOS, (("counsellor",), broken)])
    counsellor = make.counsellor()
    make.task(counsellor, title="Rappeler la coutellerie")
    auth.login(counsellor)
    response = client.get("/")
    assert response.status_code == 200
    assert "Rappeler la coutellerie" in response.get_data(as_text=True)


def test_with_nothing_to_do_the_home_says_so_and_what_to_do_next(client, auth, make):
    auth.login(make.employer())
    page = client.get("/").get_data(as_text=True)
    assert "Rien à faire pour le moment : tout est à jour." in page
    assert "Déposez un besoin de recrutement" in page and 'href="/offres/nouvelle"' in page


def test_employers_see_no_counsellor_todo(client, auth, make):
    counsellor = make.counsellor()
    make.task(counsellor, title="Rappeler la coutellerie")
    auth.login(make.employer())
    page = client.get("/").get_data(as_text=True)
    assert "Rappeler la coutellerie" not in page and "Tâches en retard" not in page
