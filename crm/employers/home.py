"""The counsellor's home: their open tasks overdue or due today, and the team's queue; each task links to what
it is about (needs to publish and idle offers of companies without an account are tasks too)."""

from flask import url_for

from crm.employers.models import TEAM_QUEUE, Task
from crm.employers.queries import my_open_tasks
from crm.employers.timeline import subject_links
from portal.access import COUNSELLOR
from portal.home.widgets import OVERDUE, TODAY, WAITING, Row, Todo, first_and_count, todo
from portal.text import date_fr


def tasks_due(user, today):
    """The user's open tasks due today or before, oldest first (the « mes tâches » list, cut at today)."""
    return my_open_tasks(user, user.id, today).where(Task.due_on <= today)


def team_tasks(user, today):
    """Open tasks nobody holds yet (the « file de l'équipe » list)."""
    return my_open_tasks(user, TEAM_QUEUE, today)


def _task_url(task: Task, links) -> str:
    link = links.get((task.subject_type, task.subject_id))
    if link is not None and link.url:
        return link.url
    if task.company_id:
        return url_for("employers.show_company", company_id=task.company_id)
    return url_for("employers.list_tasks")


def _todo(stmt, today, **values) -> Todo:
    tasks, count = first_and_count(stmt)
    links = subject_links([(t.subject_type, t.subject_id) for t in tasks])
    rows = [Row(t.title, _task_url(t, links), f"en retard, échéance {date_fr(t.due_on)}" if t.due_on < today
                else ("aujourd'hui" if t.due_on == today else f"échéance {date_fr(t.due_on)}"),
                late=t.due_on < today) for t in tasks]
    return Todo(count=count, rows=rows, **values)


@todo((COUNSELLOR,))
def tasks_todo(user, today):
    found = _todo(tasks_due(user, today), today, key="taches", title="Mes tâches en retard ou pour aujourd'hui",
                  link=("Voir toutes mes tâches", url_for("employers.list_tasks")),
                  empty="Préparez la suite : planifiez vos prochaines relances.",
                  empty_link=("Mes tâches", url_for("employers.list_tasks")))
    found.urgency = OVERDUE if any(r.late for r in found.rows) else TODAY
    return found


@todo((COUNSELLOR,))
def team_todo(user, today):
    url = url_for("employers.list_tasks", pour=TEAM_QUEUE)
    return _todo(team_tasks(user, today), today, key="file-equipe", title="Tâches de l'équipe, à prendre",
                 urgency=WAITING, link=("Voir la file de l'équipe", url),
                 empty="Personne n'attend qu'on prenne une tâche de l'équipe.")
