"""What follow-up registers with the rest of the portal: navigation, access rules, the hires told by the
matching and the immersions (signals), and the company page (timeline, key figures, task links)."""

from datetime import date

from flask import url_for
from sqlalchemy import select

from crm.employers import timeline
from crm.followup import queries, services
from crm.followup.models import Hire
from crm.matching.signals import positioning_hired
from crm.pmsmp.signals import placement_hired
from portal import navigation
from portal.access import ADMIN, EMPLOYER, STAFF, rule
from portal.extensions import db

navigation.add("Suivis", "followup.list_follow_ups", STAFF, order=450)
navigation.add("Suivis de recrutement", "followup.list_employer_check_ins", (EMPLOYER,), order=450)



@positioning_hired.connect
def _hire_of_positioning(positioning, *, actor, details):
    """A positioning marked « embauché »: its hire and check-ins."""
    return services.hire_from_positioning(actor, positioning, details)


@placement_hired.connect
def _hire_of_placement(placement, *, actor, assessment):
    """A PMSMP whose assessment says it ended in a job: the hire and its check-ins."""
    return services.create_hire(
        actor, youth=placement.youth, company=placement.company, contract_type=assessment.contract_type,
        start_on=assessment.job_start_on, end_on=assessment.job_end_on, appellation_code=placement.appellation_code,
        job_title=placement.appellation.label, placement=placement, source="pmsmp")


@rule("followup.edit_defaults")
def _edit_defaults(user, obj):
    return user.role == ADMIN


@rule("followup.manage")
def _manage(user, obj):
    """Record check-ins, ruptures and mediations: the Mission Locale's staff."""
    return user.role in STAFF


@timeline.register_timeline
def _company_timeline(company, viewer) -> list[timeline.TimelineItem]:
    staff = viewer is not None and viewer.role in STAFF
    items = []
    for hire in queries.hires_of_company(viewer, company.id):
        url = url_for("followup.show_hire", hire_id=hire.id) if staff else None
        items.append(timeline.TimelineItem(
            on=hire.start_on, kind="Embauche", tone="success", url=url,
            title=f"Embauche de {hire.youth.full_name} : {hire.job_label}",
            detail=f"{hire.contract_label} à partir du {hire.start_on:%d/%m/%Y}"))
        if hire.ended_on is not None:
            items.append(timeline.TimelineItem(
                on=hire.ended_on, kind="Rupture", tone="danger", url=url,
                title=f"Fin anticipée du contrat de {hire.youth.full_name}",
                detail=f"{hire.initiative_label} · {hire.reason_label}" if staff else hire.initiative_label))
    return items


@timeline.register_figures
def _company_figures(company) -> list[timeline.Figure]:
    counts = queries.counts_for_company(company.id, date.today())
    if not counts["total"]:
        return []
    return [timeline.Figure("Embauches suivies", counts["total"]),
            timeline.Figure("Contrats en cours", counts["running"])]


def _hire_links(ids: list[int]) -> dict[int, timeline.SubjectLink]:
    rows = db.session.scalars(select(Hire).where(Hire.id.in_(ids)))
    return {h.id: timeline.SubjectLink(f"Embauche de {h.youth.full_name} chez {h.company.name}",
                                       url_for("followup.show_hire", hire_id=h.id)) for h in rows}


timeline.register_task_subject("Hire", _hire_links)
