"""What the privacy tools (portal/privacy) hold of a young person in employer relations: the tasks about them
or their objects, the events they were named at, and the interactions naming them."""

from sqlalchemy import or_, select

from crm.employers.models import EventYouth, Interaction, Task
from portal.extensions import db
from portal.privacy.holders import Found, Holder, register
from portal.privacy.queries import subject_condition
from portal.privacy.services import full_names, scrub


def _load(found: Found) -> None:
    found.participations = list(db.session.scalars(select(EventYouth).where(EventYouth.youth_id == found.youth.id)
                                                   .order_by(EventYouth.id)))


def _load_tasks(found: Found) -> None:
    """Tasks about the person or one of their objects, and the tasks the other holders point at (mediations)."""
    found.tasks = list(db.session.scalars(select(Task).where(
        or_(subject_condition(Task.subject_type, Task.subject_id, found.subjects(), as_text=False),
            Task.id.in_(found.task_ids) if found.task_ids else False)).order_by(Task.id)))


def _erase(found: Found, names: list[str]) -> None:
    for task in found.tasks:
        task.title = "Tâche liée à un jeune anonymisé"
    full = full_names(names)
    if full:
        for row in db.session.scalars(select(Interaction).where(or_(*[Interaction.summary.contains(n) for n in full]))):
            row.summary = scrub(row.summary, names)


register(Holder(
    "crm.employers", 50, load=_load, load_linked=_load_tasks,
    counts=lambda found: {"tasks": len(found.tasks)},
    sheets=lambda found: [("Tâches", found.tasks, Task), ("Événements", found.participations, EventYouth)],
    erase=_erase,
))
