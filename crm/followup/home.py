"""The counsellor's home: post-hire check-ins to make."""

from flask import url_for
from sqlalchemy import func, select

from crm.followup.models import CheckIn
from crm.followup.queries import follow_up_queue
from portal.access import STAFF
from portal.extensions import db
from portal.home.widgets import Figure, Widget, register


@register(STAFF)
def check_ins_widget(user, today):
    queue = follow_up_queue(user, today=today, mine=True).order_by(None).options()
    subquery = queue.with_only_columns(CheckIn.id, CheckIn.due_on).subquery()
    row = db.session.execute(select(func.count(), func.count().filter(subquery.c.due_on < today))
                             .select_from(subquery)).one()
    url = url_for("followup.list_follow_ups")
    return Widget(title="Mes suivis post-embauche",
                  figures=[Figure(row[0], "points de suivi cette semaine", url),
                           Figure(row[1], "en retard", url, "danger" if row[1] else "neutral")],
                  link=("Voir mes suivis", url), order=20)
