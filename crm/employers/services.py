"""Employer-relations use cases: they check the rules, write, audit and flush; the view commits.

Here: companies and their contacts, and tasks. Other capabilities call `create_company`,
`find_or_create_company`, `create_task`, `complete_tasks_about` and `complete_task` from here, and
`log_interaction` from `crm.employers.activity` (exchanges and events); the prospection board's stages and
the saved list filters are in `crm.employers.board`.
"""

from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from crm.employers import queries
from crm.employers.models import COMPANY_FIELDS, HEADCOUNT_BRACKETS, Company, Contact, Task
from portal import concurrency, search
from portal.access import STAFF
from portal.accounts.models import User
from portal.audit.services import record, record_many
from portal.bulk import bulk_insert
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import clean_siret, siret_problem
from portal.models import utcnow
from portal.referentials import queries as referentials
from portal.text import is_digits

# What an employer keeps on its own company: the public profile, never notes nor prospection fields.
PUBLIC_PROFILE_FIELDS = ("headcount_bracket", "address", "postal_code", "phone", "email", "website", "description")


class LikelyDuplicate(DomainError):
    """Companies with the same name in the same commune exist; the user may confirm and go on."""

    def __init__(self, companies: list[Company]):
        super().__init__("Une entreprise du même nom existe déjà dans cette commune : vérifiez qu'il ne "
                         "s'agit pas d'un doublon, puis confirmez.", field="name")
        self.companies = companies


# --- companies -----------------------------------------------------------------------------------


def import_companies(actor: User, companies: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> list[int]:
    """Companies checked by the import (commune resolved, SIRET valid and unknown), each with its primary contact
    or None, inserted in bulk with one audit event each, as `create_company` and `add_contact` write them (their
    search data derived as on every write); flush only. Returns the companies' ids, in order."""
    rows = [{**values, "stage": values.get("stage") or "a_prospecter", "version": 1}
            for values in ({k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
                           for fields, _ in companies)]
    # the companies' search data (names of their contacts included) derived once, when the contacts are in
    ids = bulk_insert(Company.__table__, rows, ids=True, derive=False)
    record_many(actor, "company.create", [("Company", company_id, f"Création de l'entreprise {row['name']}")
                                          for company_id, row in zip(ids, rows, strict=True)])
    people = [(company_id, row["name"], _contact_values({**contact, "is_primary": True}))
              for company_id, row, (_, contact) in zip(ids, rows, companies, strict=True) if contact]
    contact_ids = bulk_insert(Contact.__table__, [{**values, "company_id": company_id, "consent_on": None, "version": 1}
                                                  for company_id, _, values in people], ids=True, derive=False)
    search.copied(db.session, Company.__table__, [{"id": company_id} for company_id in ids])
    record_many(actor, "contact.create", [("Contact", contact_id, f"Contact {values['full_name']} ajouté à {name}")
                                          for contact_id, (_, name, values) in zip(contact_ids, people, strict=True)])
    return ids


def _clean_company_fields(fields: dict[str, Any], company: Company | None) -> dict[str, Any]:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise ValueError(f"champs inconnus : {sorted(unknown)}")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    for key, value in values.items():
        if value == "":
            values[key] = None
    if "name" in values and not values["name"]:
        raise DomainError("Information obligatoire.", field="name")
    if values.get("siret"):
        problem = siret_problem(values["siret"])
        if problem:
            raise DomainError(problem, field="siret")
        values["siret"] = clean_siret(values["siret"])
        other = db.session.scalar(select(Company).where(Company.siret == values["siret"]))
        if other is not None and other is not company:
            raise DomainError(f"Ce SIRET est déjà celui de l'entreprise « {other.name} ».", field="siret")
    if values.get("commune_code"):
        commune = referentials.get_commune(values["commune_code"])
        if commune is None:
            raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="commune_code")
        values["commune_code"] = commune.insee_code
    if values.get("naf_code"):
        naf = referentials.get_naf(values["naf_code"])
        if naf is None:
            raise DomainError("Code NAF inconnu (exemple : 25.71Z).", field="naf_code")
        values["naf_code"] = naf.code
    if values.get("headcount_bracket") and values["headcount_bracket"] not in HEADCOUNT_BRACKETS:
        raise DomainError("Tranche d'effectif inconnue.", field="headcount_bracket")
    if "stage" in values:
        values["stage"] = values["stage"] or "a_prospecter"
        if values["stage"] not in queries.stage_labels():
            raise DomainError("Étape du tableau de prospection inconnue.", field="stage")
    if values.get("owner_id"):
        owner = db.session.get(User, int(values["owner_id"]))
        if owner is None or owner.role not in STAFF or not owner.active:
            raise DomainError("Choisissez un·e conseiller·ère actif·ve.", field="owner_id")
    for flag in ("in_tension", "accepts_pmsmp", "accepts_apprentices"):
        if flag in values:
            values[flag] = bool(values[flag])
    return values


def create_company(actor: User | None, *, confirm_duplicate: bool = True, **fields) -> Company:
    """Create a company (SIRET checked and unique). With `confirm_duplicate=False`, a likely duplicate
    (same normalised name in the same commune) raises `LikelyDuplicate` instead."""
    values = _clean_company_fields(fields, None)
    values.setdefault("stage", "a_prospecter")
    if not confirm_duplicate:
        similar = queries.likely_duplicates(values["name"], values.get("commune_code"))
        if similar:
            raise LikelyDuplicate(similar)
    company = Company(**values)
    db.session.add(company)
    db.session.flush()
    record(actor, "company.create", company, summary=f"Création de l'entreprise {company.name}")
    return company


def find_or_create_company(actor: User | None, *, siret: str | None, name: str, commune_code: str | None = None,
                           source: str | None = None, **fields) -> Company:
    """The company with this SIRET, else a new prospect (`a_prospecter`) with these details."""
    if siret:
        found = db.session.scalar(select(Company).where(Company.siret == clean_siret(siret)))
        if found is not None:
            return found
    fields.setdefault("stage", "a_prospecter")
    return create_company(actor, siret=siret, name=name, commune_code=commune_code, source=source, **fields)


def update_company(actor: User, company: Company, *, version: int | None = None, **fields) -> Company:
    """Change a company's details (staff); audited with the list of changed fields."""
    concurrency.check_version(company, version)
    values = _clean_company_fields(fields, company)
    changed = _apply(company, values)
    if changed:
        db.session.flush()
        record(actor, "company.update", company, summary=f"Modification de {company.name}",
               details={"champs": changed})
    return company


def update_public_profile(actor: User, company: Company, *, version: int | None = None, **fields) -> Company:
    """An employer keeps its company's public profile (never notes, stage or owner)."""
    if set(fields) - set(PUBLIC_PROFILE_FIELDS):
        raise DomainError("Ces informations sont tenues par la Mission Locale.")
    return update_company(actor, company, version=version, **fields)


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return changed


def archive_company(actor: User, company: Company) -> None:
    """Archive: the company leaves lists and autocompletes, its history stays."""
    if company.archived_at is not None:
        raise DomainError("Cette entreprise est déjà archivée.")
    company.archived_at = utcnow()
    db.session.flush()
    record(actor, "company.archive", company, summary=f"Archivage de {company.name}")


def restore_company(actor: User, company: Company) -> None:
    if company.archived_at is None:
        raise DomainError("Cette entreprise n'est pas archivée.")
    company.archived_at = None
    db.session.flush()
    record(actor, "company.restore", company, summary=f"Désarchivage de {company.name}")


# --- contacts ------------------------------------------------------------------------------------


def _contact_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in fields.items()}
    if not values.get("full_name"):
        raise DomainError("Information obligatoire.", field="full_name")
    values["is_primary"] = bool(values.get("is_primary"))
    values["communication_consent"] = bool(values.get("communication_consent"))
    return values


def _make_primary(contact: Contact) -> None:
    db.session.execute(update(Contact).where(Contact.company_id == contact.company_id, Contact.id != contact.id,
                                             Contact.is_primary.is_(True))
                       .values(is_primary=False, version=Contact.version + 1)
                       .execution_options(synchronize_session="fetch"))


def add_contact(actor: User, company: Company, *, full_name: str, job_title: str | None = None,
                email: str | None = None, phone: str | None = None, is_primary: bool = False,
                communication_consent: bool = False) -> Contact:
    """Add a person to a company; the first one, or one marked primary, becomes the primary contact."""
    values = _contact_values(dict(full_name=full_name, job_title=job_title, email=email, phone=phone,
                                  is_primary=is_primary, communication_consent=communication_consent))
    has_primary = db.session.scalar(select(func.count()).select_from(Contact).where(
        Contact.company_id == company.id, Contact.is_primary.is_(True), Contact.archived_at.is_(None)))
    contact = Contact(company_id=company.id, **values)
    contact.is_primary = values["is_primary"] or not has_primary
    if contact.communication_consent:
        contact.consent_on = date.today()
    db.session.add(contact)
    db.session.flush()
    if contact.is_primary:
        _make_primary(contact)
    record(actor, "contact.create", contact, summary=f"Contact {contact.full_name} ajouté à {company.name}")
    return contact


def update_contact(actor: User, contact: Contact, *, version: int | None = None, **fields) -> Contact:
    concurrency.check_version(contact, version, "Ce contact a été modifié")
    values = _contact_values(fields)
    if contact.communication_consent != values["communication_consent"]:
        contact.consent_on = date.today() if values["communication_consent"] else None
    changed = _apply(contact, values)
    db.session.flush()
    if contact.is_primary:
        _make_primary(contact)
    if changed:
        record(actor, "contact.update", contact, summary=f"Contact {contact.full_name} modifié",
               details={"champs": changed})
    return contact


def remove_contact(actor: User, contact: Contact) -> None:
    """Archive a contact (past interactions keep their name)."""
    contact.archived_at = utcnow()
    contact.is_primary = False
    db.session.flush()
    record(actor, "contact.archive", contact, summary=f"Contact {contact.full_name} retiré")


# --- tasks ---------------------------------------------------------------------------------------


def _staff_user(user: Any) -> User:
    if isinstance(user, int | str):
        user = db.session.get(User, int(user)) if is_digits(str(user)) else None
    if user is None or user.role not in STAFF or not user.active:
        raise DomainError("Choisissez un·e conseiller·ère actif·ve.", field="assignee_id")
    return user


def create_task(actor: User | None, *, title: str, due_on: date, assignee: Any, subject: Any = None,
                company: Company | None = None, team_if_none: bool = False) -> Task:
    """Create a reminder for `assignee` (a staff user or its id), optionally about any object
    (`subject`: its class name and id are kept) and on a company's timeline. With `team_if_none`, a missing
    assignee puts the task in the team's queue (for use cases where nobody follows the object yet)."""
    title = (title or "").strip()
    if not title:
        raise DomainError("Information obligatoire.", field="title")
    if len(title) > 300:
        raise DomainError("300 caractères au maximum.", field="title")
    if not due_on:
        raise DomainError("Information obligatoire.", field="due_on")
    assignee = None if assignee is None and team_if_none else _staff_user(assignee)
    if company is None and isinstance(subject, Company):
        company = subject
    task = Task(title=title, due_on=due_on, assignee=assignee, created_by_id=getattr(actor, "id", None),
                subject_type=type(subject).__name__ if subject is not None else None,
                subject_id=getattr(subject, "id", None), company_id=company.id if company else None)
    db.session.add(task)
    db.session.flush()
    record(actor, "task.create", task, summary=f"Tâche « {title} » pour {task.assignee_label}, "
                                               f"échéance {due_on:%d/%m/%Y}")
    return task


def complete_tasks_about(actor: User | None, subject: Any) -> int:
    """Mark done the open tasks about `subject` that Maillage opened itself (the need was published, the
    stale offer updated...): nobody has to tick them by hand. Returns how many."""
    tasks = db.session.scalars(select(Task).where(
        Task.subject_type == type(subject).__name__, Task.subject_id == subject.id, Task.done_at.is_(None),
        Task.created_by_id.is_(None))).all()
    for task in tasks:
        task.done_at, task.done_by_id = utcnow(), getattr(actor, "id", None)
        record(actor, "task.complete", task, summary=f"Tâche « {task.title} » terminée",
               actor_label=None if actor else "Maillage (automatique)")
    db.session.flush()
    return len(tasks)


def complete_task(actor: User, task: Task) -> None:
    """Mark a task done."""
    if task.done_at is not None:
        raise DomainError("Cette tâche est déjà terminée.")
    task.done_at = utcnow()
    task.done_by_id = actor.id
    db.session.flush()
    record(actor, "task.complete", task, summary=f"Tâche « {task.title} » terminée")


def reopen_task(actor: User, task: Task) -> None:
    if task.done_at is None:
        raise DomainError("Cette tâche n'est pas terminée.")
    task.done_at = None
    task.done_by_id = None
    db.session.flush()
    record(actor, "task.reopen", task, summary=f"Tâche « {task.title} » rouverte")


def assign_task(actor: User, task: Task, assignee: Any, *, due_on: date | None = None) -> None:
    """Give a task to someone else (and optionally a new due date)."""
    assignee = _staff_user(assignee)
    before = task.assignee_id
    task.assignee_id = assignee.id
    if due_on:
        task.due_on = due_on
    db.session.flush()
    record(actor, "task.assign", task, summary=f"Tâche « {task.title} » confiée à {assignee.display_name}",
           details={"avant": before, "apres": assignee.id})


def assign_tasks(actor: User, tasks: list[Task], assignee: Any) -> User:
    """Give several open tasks to one person, all or none; returns the person."""
    if not tasks:
        raise DomainError("Cochez au moins une tâche à confier.")
    done = [t for t in tasks if t.is_done]
    if done:
        raise DomainError(f"La tâche « {done[0].title} » est déjà terminée : rouvrez-la pour la confier.")
    person = _staff_user(assignee)
    for task in tasks:
        assign_task(actor, task, person.id)
    return person
