"""What happens with companies and partners, on their timelines: exchanges (interactions) and events
(forums, job datings, company visits) with the companies and young people taking part. Flush and audit;
the view commits."""

from datetime import date
from typing import Any

from sqlalchemy import select, update

from crm.employers.board import move_stage
from crm.employers.models import (
    ATTENDANCE,
    EVENT_KINDS,
    INTERACTION_KINDS,
    OUTCOMES,
    Company,
    Contact,
    Event,
    EventParticipant,
    EventYouth,
    Interaction,
    Task,
)
from crm.employers.rules import check_next_action
from crm.employers.services import _apply, create_task
from portal import concurrency
from portal.accounts.models import User
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.referentials import queries as referentials

# --- interactions --------------------------------------------------------------------------------


def log_interaction(actor: User, *, company: Company | None = None, partner: Any = None, kind: str,
                    occurred_on: date, summary: str, outcome: str | None = None, contact: Contact | None = None,
                    next_action: str | None = None, next_action_on: date | None = None,
                    event: Event | None = None) -> Interaction:
    """Record an exchange with a company or a partner; a next action creates a task for the actor.
    A first exchange with a company "à prospecter" moves it to "contactée"."""
    if (company is None) == (partner is None):
        raise ValueError("une entreprise ou un partenaire, exactement")
    if kind not in INTERACTION_KINDS:
        raise DomainError("Type d'échange inconnu.", field="kind")
    if not occurred_on:
        raise DomainError("Information obligatoire.", field="occurred_on")
    if event is None and occurred_on > date.today():
        raise DomainError("Un échange se note une fois qu'il a eu lieu : la date ne peut pas être dans le futur. "
                          "Pour le prévoir, créez une tâche.", field="occurred_on")
    if not (summary or "").strip():
        raise DomainError("Information obligatoire.", field="summary")
    if outcome and outcome not in OUTCOMES:
        raise DomainError("Résultat inconnu.", field="outcome")
    if contact is not None and (company is None or contact.company_id != company.id):
        raise DomainError("Ce contact n'appartient pas à cette entreprise.", field="contact_id")
    next_action = (next_action or "").strip() or None
    problem = check_next_action(next_action, next_action_on, occurred_on)
    if problem == "next_action_on":
        raise DomainError("Indiquez la date de la prochaine action.", field="next_action_on")
    if problem == "next_action":
        raise DomainError("Décrivez la prochaine action.", field="next_action")
    if problem == "next_action_on_past":
        raise DomainError("La prochaine action ne peut pas précéder l'échange.", field="next_action_on")
    interaction = Interaction(company_id=company.id if company else None, partner_id=partner.id if partner else None,
                              contact_id=contact.id if contact else None, counsellor_id=getattr(actor, "id", None),
                              kind=kind, occurred_on=occurred_on, summary=summary.strip(), outcome=outcome or None,
                              event_id=event.id if event else None)
    db.session.add(interaction)
    db.session.flush()
    target = company or partner
    record(actor, "interaction.create", interaction, summary=f"{interaction.kind_label} avec {target.name}")
    if company is not None and company.stage == "a_prospecter" and event is None:
        move_stage(actor, company, "contactee")
    if next_action:
        task = create_task(actor, title=next_action, due_on=next_action_on, assignee=actor,
                           subject=target, company=company)
        task.interaction_id = interaction.id
    return interaction



# --- events --------------------------------------------------------------------------------------


def _event_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if values.get("kind") not in EVENT_KINDS:
        raise DomainError("Type d'événement inconnu.", field="kind")
    if not values.get("title"):
        raise DomainError("Information obligatoire.", field="title")
    if not values.get("held_on"):
        raise DomainError("Information obligatoire.", field="held_on")
    if values.get("commune_code"):
        if referentials.get_commune(values["commune_code"]) is None:
            raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="commune_code")
    else:
        values["commune_code"] = None
    youth = values.get("youth_count")
    if youth is not None and youth != "" and int(youth) < 0:
        raise DomainError("Le nombre de jeunes ne peut pas être négatif.", field="youth_count")
    values["youth_count"] = None if youth in (None, "") else int(youth)
    return values


def create_event(actor: User, **fields) -> Event:
    """Create a forum, job dating or company visit."""
    event = Event(organiser_id=actor.id, **_event_values(fields))
    db.session.add(event)
    db.session.flush()
    record(actor, "event.create", event, summary=f"Événement {event.title} du {event.held_on:%d/%m/%Y}")
    return event


def update_event(actor: User, event: Event, *, version: int | None = None, **fields) -> Event:
    concurrency.check_version(event, version, "Cet événement a été modifié")
    changed = _apply(event, _event_values(fields))
    db.session.flush()
    if changed:
        record(actor, "event.update", event, summary=f"Événement {event.title} modifié", details={"champs": changed})
    return event


def add_participant(actor: User, event: Event, company: Company) -> EventParticipant:
    """A company takes part in an event: this also adds an interaction to its timeline."""
    exists = db.session.scalar(select(EventParticipant).where(
        EventParticipant.event_id == event.id, EventParticipant.company_id == company.id))
    if exists is not None:
        raise DomainError(f"{company.name} participe déjà à cet événement.", field="company_id")
    if company.archived_at is not None:
        raise DomainError("Cette entreprise est archivée.", field="company_id")
    interaction = log_interaction(actor, company=company, kind=event.kind, occurred_on=event.held_on,
                                  summary=f"Participation : {event.title}", event=event)
    participant = EventParticipant(event_id=event.id, company_id=company.id, interaction_id=interaction.id)
    db.session.add(participant)
    db.session.flush()
    record(actor, "event.add_company", event, summary=f"{company.name} participe à {event.title}")
    return participant


def remove_participant(actor: User, participant: EventParticipant) -> None:
    """Withdraw a company from an event, with the interaction the event had added."""
    event, company = participant.event, participant.company
    interaction_id = participant.interaction_id
    db.session.delete(participant)
    db.session.flush()
    if interaction_id:
        db.session.execute(update(Task).where(Task.interaction_id == interaction_id).values(interaction_id=None))
        interaction = db.session.get(Interaction, interaction_id)
        if interaction is not None:
            db.session.delete(interaction)
    db.session.flush()
    record(actor, "event.remove_company", event, summary=f"{company.name} ne participe plus à {event.title}")


def add_young_participant(actor: User, event: Event, youth: Any, *, attendance: str = "inscrit") -> EventYouth:
    """Name a young person among an event's participants: only with their recorded, unwithdrawn consent."""
    if youth is None:
        raise DomainError("Jeune inconnu·e : choisissez la personne dans la liste proposée.", field="youth_id")
    if youth.archived_at is not None:
        raise DomainError(f"Le profil de {youth.full_name} est archivé.", field="youth_id")
    if not youth.has_consent:
        raise DomainError(f"{youth.full_name} n'a pas donné son accord pour être nommé·e : enregistrez d'abord "
                          "son consentement sur sa fiche.", field="youth_id")
    if attendance not in ATTENDANCE:
        raise DomainError("Choisissez la présence dans la liste.", field="attendance")
    if db.session.scalar(select(EventYouth.id).where(EventYouth.event_id == event.id,
                                                     EventYouth.youth_id == youth.id)) is not None:
        raise DomainError(f"{youth.full_name} participe déjà à cet événement.", field="youth_id")
    participant = EventYouth(event_id=event.id, youth_id=youth.id, attendance=attendance, added_by_id=actor.id)
    db.session.add(participant)
    db.session.flush()
    record(actor, "event.add_youth", event, summary=f"Un·e jeune ajouté·e à {event.title}",
           details={"jeune": youth.id, "presence": ATTENDANCE[attendance]})
    return participant


def set_attendance(actor: User, participant: EventYouth, attendance: str) -> EventYouth:
    """Record whether a young participant came to the event."""
    if attendance not in ATTENDANCE:
        raise DomainError("Choisissez la présence dans la liste.", field="attendance")
    if participant.attendance != attendance:
        participant.attendance = attendance
        db.session.flush()
        record(actor, "event.attendance", participant.event, summary=f"Présence modifiée à {participant.event.title}",
               details={"jeune": participant.youth_id, "presence": ATTENDANCE[attendance]})
    return participant


def remove_young_participant(actor: User, participant: EventYouth) -> None:
    """Take a young person off an event's participants."""
    event, youth_id = participant.event, participant.youth_id
    db.session.delete(participant)
    db.session.flush()
    record(actor, "event.remove_youth", event, summary=f"Un·e jeune retiré·e de {event.title}",
           details={"jeune": youth_id})
