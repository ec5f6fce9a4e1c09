"""The counsellor's home: open tasks due."""

from flask import url_for

from crm.employers.models import TEAM_QUEUE
from crm.employers.queries import due_counts, team_queue_count
from portal.access import STAFF
from portal.home.widgets import Figure, Widget, register


@register(STAFF)
def tasks_widget(user, today):
    counts = due_counts(user.id, today)
    url = url_for("employers.list_tasks")
    team = team_queue_count()
    return Widget(
        title="Mes tâches",
        figures=[Figure(counts["overdue"], "en retard", url, "danger" if counts["overdue"] else "neutral"),
                 Figure(counts["today"], "pour aujourd'hui", url),
                 Figure(counts["this_week"], "d'ici la fin de la semaine", url),
                 Figure(team, "dans la file de l'équipe, à prendre", url_for("employers.list_tasks", pour=TEAM_QUEUE),
                        "danger" if team else "neutral")],
        link=("Voir mes tâches", url), order=10)
