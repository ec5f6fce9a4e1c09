"""Merging two companies: everything linked to the duplicate moves to the company kept."""

from sqlalchemy import delete, select, update

from crm.employers.models import COMPANY_FIELDS, Company, Contact, EventParticipant, Task
from crm.employers.timeline import merge_handlers
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow

# Columns that keep their value on purpose (the row is the company itself or a log).
_SKIPPED = {("company", "id")}
# the target keeps its own value of these, or takes the source's when it has none; the others are merged below
_FILLED = [name for name in COMPANY_FIELDS if name not in (
    "siret", "name", "stage", "in_tension", "accepts_pmsmp", "accepts_apprentices", "notes")]


def _company_foreign_keys() -> list[tuple]:
    """Every (table, column) of the whole schema referencing company.id, later capabilities included."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in _SKIPPED:
                continue
            if any(fk.column.table.name == "company" and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def merge_companies(actor, source: Company, target: Company) -> dict[str, int]:
    """Move every row linked to `source` onto `target`, fill `target`'s empty fields from `source`,
    then archive `source` (its SIRET is freed). Returns the number of rows moved per table."""
    if source.id == target.id:
        raise DomainError("Choisissez deux entreprises différentes.", field="target_id")
    if source.archived_at is not None and source.name.startswith("[Fusionnée]"):
        raise DomainError("Cette entreprise a déjà été fusionnée.", field="target_id")
    for handler in merge_handlers():
        handler(source, target, actor)
    moved: dict[str, int] = {}
    # An event keeps one participation per company: drop the source's where the target already takes part.
    target_events = select(EventParticipant.event_id).where(EventParticipant.company_id == target.id)
    db.session.execute(delete(EventParticipant).where(EventParticipant.company_id == source.id,
                                                      EventParticipant.event_id.in_(target_events)))
    # One primary contact: the target's stays primary when it has one.
    has_primary = db.session.scalar(select(Contact.id).where(Contact.company_id == target.id,
                                                             Contact.is_primary.is_(True)).limit(1))
    if has_primary:
        db.session.execute(update(Contact).where(Contact.company_id == source.id).values(is_primary=False))
    for table, column in _company_foreign_keys():
        result = db.session.execute(update(table).where(column == source.id).values({column.name: target.id}))
        if result.rowcount:
            moved[f"{table.name}.{column.name}"] = result.rowcount
    result = db.session.execute(update(Task).where(Task.subject_type == "Company", Task.subject_id == source.id)
                                .values(subject_id=target.id))
    if result.rowcount:
        moved["task.subject"] = result.rowcount
    db.session.expire_all()
    source = db.session.get(Company, source.id)
    target = db.session.get(Company, target.id)
    for name in _FILLED:
        if getattr(target, name) in (None, "") and getattr(source, name) not in (None, ""):
            setattr(target, name, getattr(source, name))
    if source.notes:
        target.notes = ((target.notes + "\n\n") if target.notes else "") + f"[Repris de {source.name}] {source.notes}"
    siret = source.siret
    source.siret = None
    db.session.flush()
    if not target.siret and siret:
        target.siret = siret
    target.in_tension = target.in_tension or source.in_tension
    target.accepts_pmsmp = target.accepts_pmsmp or source.accepts_pmsmp
    target.accepts_apprentices = target.accepts_apprentices or source.accepts_apprentices
    source.name = f"[Fusionnée] {source.name}"[:200]
    source.archived_at = source.archived_at or utcnow()
    db.session.flush()
    record(actor, "company.merge", target, summary=f"Fusion de « {source.name[12:]} » (n° {source.id}) dans "
                                                   f"« {target.name} »", details={"source": source.id, "deplacees": moved})
    return moved
