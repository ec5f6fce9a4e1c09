"""The company page shows its conventions; the young person's page includes `_youth_placements.html`."""

from flask import url_for
from sqlalchemy import func, select

from crm.employers.timeline import (
    Figure,
    SubjectLink,
    TimelineItem,
    register_figures,
    register_task_subject,
    register_timeline,
)
from crm.pmsmp import queries, rules
from crm.pmsmp.models import Placement
from portal.extensions import db


@register_timeline
def placements_timeline(company, viewer) -> list[TimelineItem]:
    return [TimelineItem(on=p.start_date, kind="PMSMP", title=f"{p.reference} · {p.youth.full_name}",
                         detail=f"{p.appellation.label}, du {p.start_date:%d/%m/%Y} au {p.end_date:%d/%m/%Y} · "
                                f"{p.status_label}",
                         url=url_for("pmsmp.show_placement", placement_id=p.id), tone=p.status_tone)
            for p in queries.placements_of_company(company.id, viewer)]


@register_figures
def placements_figures(company) -> list[Figure]:
    count = db.session.scalar(select(func.count(Placement.id)).where(
        Placement.company_id == company.id, Placement.status.in_([rules.VALIDATED, rules.FINISHED])))
    return [Figure("PMSMP validées", count or 0)]


def _subjects(ids: list[int]) -> dict[int, SubjectLink]:
    return {p.id: SubjectLink(f"{p.reference} · {p.youth.full_name}", url_for("pmsmp.show_placement", placement_id=p.id))
            for p in db.session.scalars(db.select(Placement).where(Placement.id.in_(ids)))}


register_task_subject("Placement", _subjects)
