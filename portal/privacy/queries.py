"""Reads of the DPO's page: find a young person, what is held about them, inactivity, retention runs.

Admin only (the views check it): these reads include archived and anonymised profiles on purpose.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import String, cast, exists, func, or_, select

from crm.employers.models import EventYouth, Task
from crm.followup.models import CheckIn, Hire, MediationAction
from crm.matching.models import Positioning, PositioningTransition
from crm.pmsmp.models import Placement, PlacementStatusChange
from crm.youth.models import YouthProfile
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.text import escape_like, fold

ERASE_ACTIONS = ("privacy.erase", "privacy.retention")
RETENTION_RUN = "privacy.retention_run"


@dataclass
class Linked:
    """Every record linked to one young person, loaded once (export, erasure, the DPO's page)."""

    youth: YouthProfile
    positionings: list
    placements: list
    hires: list
    tasks: list
    events: list
    participations: list = field(default_factory=list)  # events they were named at (EventYouth)

    @property
    def check_ins(self) -> list:
        return [c for h in self.hires for c in h.check_ins]

    @property
    def mediations(self) -> list:
        return [m for h in self.hires for m in h.mediations]

    @property
    def transitions(self) -> list:
        return [t for p in self.positionings for t in p.transitions]

    def status_changes(self) -> list:
        ids = [p.id for p in self.placements]
        if not ids:
            return []
        return list(db.session.scalars(select(PlacementStatusChange)
                                       .where(PlacementStatusChange.placement_id.in_(ids))
                                       .order_by(PlacementStatusChange.id)))

    def subjects(self) -> list[tuple[str, list[int]]]:
        """(object type, ids) of every object about the young person (audit events and tasks point at them)."""
        return [("YouthProfile", [self.youth.id]), ("Positioning", [p.id for p in self.positionings]),
                ("Placement", [p.id for p in self.placements]), ("Hire", [h.id for h in self.hires]),
                ("CheckIn", [c.id for c in self.check_ins])]


def _subject_condition(type_column, id_column, subjects, *, as_text: bool):
    conds = []
    for kind, ids in subjects:
        if ids:
            values = [str(i) for i in ids] if as_text else ids
            conds.append((type_column == kind) & id_column.in_(values))
    return or_(*conds) if conds else False


def linked(youth: YouthProfile) -> Linked:
    """The young person and every record that holds or points at their data."""
    positionings = list(db.session.scalars(select(Positioning).where(Positioning.youth_id == youth.id)
                                           .order_by(Positioning.id)).unique())
    placements = list(db.session.scalars(select(Placement).where(Placement.youth_id == youth.id)
                                         .order_by(Placement.id)).unique())
    hires = list(db.session.scalars(select(Hire).where(Hire.youth_id == youth.id).order_by(Hire.id)).unique())
    found = Linked(youth, positionings, placements, hires, [], [])
    subjects = found.subjects()
    mediation_tasks = [c.mediation_task_id for c in found.check_ins if c.mediation_task_id]
    found.tasks = list(db.session.scalars(select(Task).where(
        or_(_subject_condition(Task.subject_type, Task.subject_id, subjects, as_text=False),
            Task.id.in_(mediation_tasks) if mediation_tasks else False)).order_by(Task.id)))
    found.events = list(db.session.scalars(select(AuditEvent).where(
        _subject_condition(AuditEvent.object_type, AuditEvent.object_id, subjects, as_text=True))
        .order_by(AuditEvent.id)))
    found.participations = list(db.session.scalars(select(EventYouth).where(EventYouth.youth_id == youth.id)
                                                   .order_by(EventYouth.id)))
    return found


def get_youth(youth_id: int) -> YouthProfile | None:
    """Any profile, archived or anonymised included (the DPO's reads)."""
    return db.session.get(YouthProfile, youth_id)


def search(term: str, limit: int = 25) -> list[YouthProfile]:
    """Profiles whose name or i-milo identifier starts a word with the term, or whose id or e-mail is the term."""
    term = (term or "").strip()[:80]
    if not term:
        return []
    conds = [YouthProfile.search_text.like("% " + escape_like(fold(term)) + "%", escape="\\")]
    if term.isdigit() and len(term) < 10:
        conds.append(YouthProfile.id == int(term))
    if "@" in term:
        conds.append(func.lower(YouthProfile.email) == term.lower())
    stmt = select(YouthProfile).where(or_(*conds)).order_by(YouthProfile.last_name, YouthProfile.id).limit(limit)
    return list(db.session.scalars(stmt))


def anonymised_condition(youth_id=YouthProfile.id):
    """SQL condition: the profile was anonymised (erasure on request or retention). `youth_id` is the
    column that holds the profile's id (`Positioning.youth_id`...), the profile's own id by default."""
    return exists().where(AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
                          AuditEvent.object_id == cast(youth_id, String))


def is_anonymised(youth: YouthProfile) -> bool:
    """True once the profile has been anonymised."""
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
        AuditEvent.object_id == str(youth.id)).limit(1)) is not None


def inactive_youth(cutoff: date) -> list[YouthProfile]:
    """Profiles not yet anonymised whose latest activity (profile update, positionings, placements, hires,
    check-ins) is before `cutoff`."""
    since = datetime.combine(cutoff, time.min)
    recent = or_(
        exists().where(Positioning.youth_id == YouthProfile.id, Positioning.updated_at >= since),
        exists().where(Placement.youth_id == YouthProfile.id, Placement.updated_at >= since),
        exists().where(Hire.youth_id == YouthProfile.id, Hire.updated_at >= since),
        exists().where(CheckIn.hire_id == Hire.id, Hire.youth_id == YouthProfile.id,
                       or_(CheckIn.updated_at >= since, CheckIn.done_at >= since)),
    )
    stmt = (select(YouthProfile).where(YouthProfile.updated_at < since, ~recent, ~anonymised_condition())
            .order_by(YouthProfile.id))
    return list(db.session.scalars(stmt))


def last_activity(found: Linked) -> datetime:
    """The latest of the profile's update, positionings, placements, hires and check-ins."""
    stamps = [found.youth.updated_at]
    stamps += [p.updated_at for p in found.positionings] + [p.updated_at for p in found.placements]
    stamps += [h.updated_at for h in found.hires]
    stamps += [c.updated_at for c in found.check_ins] + [c.done_at for c in found.check_ins if c.done_at]
    return max(s for s in stamps if s is not None)


def last_retention_run() -> AuditEvent | None:
    """The audit event of the latest retention run."""
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == RETENTION_RUN)
                             .order_by(AuditEvent.id.desc()).limit(1))


def erasure_event(youth: YouthProfile) -> AuditEvent | None:
    """The audit event of the profile's anonymisation, if any."""
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.action.in_(ERASE_ACTIONS), AuditEvent.object_type == "YouthProfile",
        AuditEvent.object_id == str(youth.id)).order_by(AuditEvent.id.desc()).limit(1))


__all__ = ["Linked", "linked", "search", "get_youth", "is_anonymised", "inactive_youth", "last_activity",
           "last_retention_run", "erasure_event", "MediationAction", "PositioningTransition"]
