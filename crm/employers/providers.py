"""Employer relations' own contributions to the company page, "mes tâches" and the reminders."""

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from crm.employers import queries
from crm.employers.models import TEAM_QUEUE, Company, Contact, Interaction, Task
from crm.employers.rules import end_of_week
from crm.employers.timeline import (
    Figure,
    SubjectLink,
    TimelineItem,
    register_figures,
    register_task_subject,
    register_timeline,
)
from portal import reminders
from portal.access import EMPLOYER
from portal.accounts import organisations
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.services import already_queued, queue
from portal.text import date_fr


@register_timeline
def interactions_and_tasks(company, viewer) -> list[TimelineItem]:
    items = []
    for i in queries.interactions_of(company):
        who = i.counsellor.display_name if i.counsellor else "—"
        with_whom = f" avec {i.contact.full_name}" if i.contact else ""
        detail = f"{who}{with_whom}" + (f" · {i.outcome_label}" if i.outcome else "")
        items.append(TimelineItem(on=i.occurred_on, kind=i.kind_label, title=i.summary, detail=detail,
                                  tone="info"))
    today = date.today()
    for t in queries.tasks_of_company(company):
        state = "terminée" if t.is_done else ("en retard" if t.due_on < today else "à faire")
        items.append(TimelineItem(on=t.due_on, kind="Tâche", title=t.title,
                                  detail=f"{t.assignee_label} · échéance {date_fr(t.due_on)} · {state}",
                                  url=url_for("employers.list_tasks", pour=t.assignee_id or TEAM_QUEUE),
                                  tone="success" if t.is_done else ("danger" if t.due_on < today else "warning")))
    return items


@register_figures
def employer_figures(company) -> list[Figure]:
    interactions, last = db.session.execute(select(func.count(), func.max(Interaction.occurred_on)).where(
        Interaction.company_id == company.id)).one()
    open_tasks = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.company_id == company.id, Task.done_at.is_(None)))
    contacts = db.session.scalar(select(func.count()).select_from(Contact).where(
        Contact.company_id == company.id, Contact.archived_at.is_(None)))
    return [Figure("Échanges", interactions), Figure("Dernier échange", date_fr(last) or "aucun"),
            Figure("Tâches ouvertes", open_tasks), Figure("Contacts", contacts)]


def _companies(ids: list[int]) -> dict[int, SubjectLink]:
    rows = db.session.execute(select(Company.id, Company.name).where(Company.id.in_(ids))).all()
    return {i: SubjectLink(name, url_for("employers.show_company", company_id=i)) for i, name in rows}


register_task_subject("Company", _companies)


@reminders.job("taches_a_echeance")
def remind_due_tasks(today: date) -> str:
    """One e-mail per person on Monday-to-Friday mornings listing their overdue and due-today tasks."""
    rows = db.session.execute(select(Task, User).join(User, User.id == Task.assignee_id).where(
        Task.done_at.is_(None), Task.due_on <= today, User.active.is_(True)).order_by(Task.due_on)).all()
    by_user: dict[int, tuple[User, list[Task]]] = {}
    for task, user in rows:
        by_user.setdefault(user.id, (user, []))[1].append(task)
    sent = 0
    for user, tasks in by_user.values():
        topic = f"taches:{user.id}:{today.isoformat()}"
        if already_queued(topic):
            continue
        queue(user.email, f"{len(tasks)} tâche(s) à traiter", "employers_due_tasks.txt", topic=topic,
              user=user, tasks=tasks, today=today, week_end=end_of_week(today))
        sent += 1
    return f"{sent} rappel(s) de tâches envoyé(s)"


organisations.register(EMPLOYER, queries.get_company)  # the company of an employer account
