"""What the privacy tools (portal/privacy) hold of a young person's hires, check-ins and mediations."""

from datetime import datetime

from sqlalchemy import exists, or_, select

from crm.followup.models import CheckIn, Hire, MediationAction
from crm.youth.models import YouthProfile
from portal.extensions import db
from portal.privacy.holders import Found, Holder, register


def _load(found: Found) -> None:
    found.hires = list(db.session.scalars(select(Hire).where(Hire.youth_id == found.youth.id)
                                          .order_by(Hire.id)).unique())
    found.check_ins = [c for h in found.hires for c in h.check_ins]
    found.mediations = [m for h in found.hires for m in h.mediations]
    found.task_ids += [c.mediation_task_id for c in found.check_ins if c.mediation_task_id]


def _erase(found: Found, names: list[str]) -> None:
    for hire in found.hires:
        hire.rupture_note = None
        for check_in in hire.check_ins:
            check_in.summary = check_in.next_step = check_in.employer_comment = check_in.youth_comment = None
        for mediation in hire.mediations:
            mediation.note = ""


def _recent(since: datetime):
    return or_(exists().where(Hire.youth_id == YouthProfile.id, Hire.updated_at >= since),
               exists().where(CheckIn.hire_id == Hire.id, Hire.youth_id == YouthProfile.id,
                              or_(CheckIn.updated_at >= since, CheckIn.done_at >= since)))


def _stamps(found: Found) -> list:
    return ([h.updated_at for h in found.hires] + [c.updated_at for c in found.check_ins]
            + [c.done_at for c in found.check_ins if c.done_at])


register(Holder(
    "crm.followup", 40, load=_load,
    subjects=lambda found: [("Hire", [h.id for h in found.hires]), ("CheckIn", [c.id for c in found.check_ins])],
    counts=lambda found: {"hires": len(found.hires)},
    sheets=lambda found: [("Embauches", found.hires, Hire), ("Points de suivi", found.check_ins, CheckIn),
                          ("Médiations", found.mediations, MediationAction)],
    erase=_erase, recent=_recent, stamps=_stamps,
))
