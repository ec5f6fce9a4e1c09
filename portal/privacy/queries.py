"""Reads of the DPO's page: find a young person, what is held about them, inactivity, retention runs.

Admin only (the views check it): these reads include archived and anonymised profiles on purpose.
"""

from datetime import date, datetime, time

from sqlalchemy import String, cast, exists, or_, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.privacy.holders import Found, holders, person

ERASE_ACTIONS = ("privacy.erase", "privacy.retention")
RETENTION_RUN = "privacy.retention_run"


def subject_condition(type_column, id_column, subjects, *, as_text: bool):
    """SQL condition: (type_column, id_column) names one of `subjects` ((object type, ids) pairs)."""
    conds = []
    for kind, ids in subjects:
        if ids:
            values = [str(i) for i in ids] if as_text else ids
            conds.append((type_column == kind) & id_column.in_(values))
    return or_(*conds) if conds else False


def linked(youth) -> Found:
    """The young person and every record that holds or points at their data."""
    found = Found(youth)
    for holder in holders():
        if holder.load is not None:
            holder.load(found)
    found.events = list(db.session.scalars(select(AuditEvent).where(
        subject_condition(AuditEvent.object_type, AuditEvent.object_id, found.subjects(), as_text=True))
        .order_by(AuditEvent.id)))
    for holder in holders():
        if holder.load_linked is not None:
            holder.load_linked(found)
    return found


def get_youth(youth_id: int):
    """Any profile, archived or anonymised included (the DPO's reads)."""
    return db.session.get(person().model, youth_id)


def search(term: str, limit: int = 25) -> list:
    """Profiles whose name or i-milo identifier starts a word with the term, or whose id or e-mail is the term."""
    term = (term or "").strip()[:80]
    if not term:
        return []
    return person().search(term, limit)


def anonymised_condition(youth_id):
    """SQL condition: the profile was anonymised (erasure on request or retention). `youth_id` is the
    column that holds the profile's id (`Positioning.youth_id`, `YouthProfile.id`...)."""
    return exists().where(AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
                          AuditEvent.object_id == cast(youth_id, String))


def is_anonymised(youth) -> bool:
    """True once the profile has been anonymised."""
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
        AuditEvent.object_id == str(youth.id)).limit(1)) is not None


def inactive_youth(cutoff: date) -> list:
    """Profiles not yet anonymised whose latest activity (profile update, and what each holder counts:
    positionings, placements, hires, check-ins) is before `cutoff`."""
    since = datetime.combine(cutoff, time.min)
    model = person().model
    recent = or_(*[h.recent(since) for h in holders() if h.recent is not None])
    stmt = (select(model).where(model.updated_at < since, ~recent, ~anonymised_condition(model.id))
            .order_by(model.id))
    return list(db.session.scalars(stmt))


def last_activity(found: Found) -> datetime:
    """The latest of the profile's update and of what each holder dates (positionings, placements, hires,
    check-ins)."""
    stamps = [found.youth.updated_at]
    for holder in holders():
        if holder.stamps is not None:
            stamps += list(holder.stamps(found))
    return max(s for s in stamps if s is not None)


def last_retention_run() -> AuditEvent | None:
    """The audit event of the latest retention run."""
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == RETENTION_RUN)
                             .order_by(AuditEvent.id.desc()).limit(1))


def erasure_event(youth) -> AuditEvent | None:
    """The audit event of the profile's anonymisation, if any."""
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
        AuditEvent.object_id == str(youth.id)).order_by(AuditEvent.id.desc()).limit(1))
