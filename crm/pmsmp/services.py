"""PMSMP use cases: draft and edit a convention, move it through its statuses, record its assessment.

The convention as data, its checks and its status history live in `crm.pmsmp.convention`; signatures and
personal links in `crm.pmsmp.signing`. Every function flushes, audits, and never commits: the view (or the
reminders command) commits once.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from crm.employers import services as employers
from crm.employers.models import Task
from crm.pmsmp import content, corrections, rules, signing
from crm.pmsmp.convention import (
    CONVENTION_FIELDS,
    check_convention,
    content_hash,
    content_of,
    log_line,
    move,
    signatories,
)
from crm.pmsmp.models import (
    Assessment,
    Placement,
    PlacementPeriod,
    PlacementRepresentative,
)
from crm.pmsmp.signals import placement_hired
from portal import concurrency, signals
from portal.access import STAFF
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow
from portal.text import number_fr


class ConventionRefused(DomainError):
    """One or more blocking rules refuse the convention; every problem is shown beside its field."""

    def __init__(self, problems: list[rules.Problem]):
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


def _refuse_on_blocking(problems: list[rules.Problem]) -> list[rules.Problem]:
    refused = rules.blocking(problems)
    if refused:
        raise ConventionRefused(refused)
    return rules.warnings(problems)


# --- writing ----------------------------------------------------------------------------------


def _apply(p: Placement, values: dict[str, Any], youth) -> None:
    for name in CONVENTION_FIELDS:
        setattr(p, name, values.get(name))
    p.youth_id = youth.id
    p.youth = youth
    p.minor_at_start = rules.is_minor_at(youth.birth_date, values["start_date"])
    reps = values["representatives"] if p.minor_at_start else []
    # rows are updated in place by rank (one row per rank): replacing them would insert before deleting
    existing = {r.rank: r for r in p.representatives}
    kept = []
    for rank, rep in enumerate(reps, start=1):
        row = existing.get(rank) or PlacementRepresentative(rank=rank)
        row.name, row.link, row.email, row.phone = rep["name"], rep["link"], rep["email"], rep.get("phone")
        kept.append(row)
    p.representatives = kept
    p.periods = [PlacementPeriod(weekday=x.weekday, starts_at=x.starts, ends_at=x.ends) for x in values["periods"]]



def create_placement(actor, *, youth, today: date, **values) -> tuple[Placement, list[rules.Problem]]:
    """Draft a convention; returns it with the warnings (Sunday, 12-month total) to show."""
    found = _refuse_on_blocking(check_convention(values, youth=youth, placement=None, today=today))
    p = Placement(status=rules.DRAFT, created_by_id=getattr(actor, "id", None), links_sent={})
    _apply(p, values, youth)
    db.session.add(p)
    db.session.flush()
    log_line(p, None, rules.DRAFT, actor, None, "Convention créée")
    record(actor, "pmsmp.create", p, summary=f"{p.reference} créée pour {youth.full_name} chez {p.company.name}")
    return p, found


def update_placement(actor, p: Placement, *, youth, today: date, version: int | None,
                     **values) -> tuple[content.Changes, list[rules.Problem]]:
    """Edit a convention still open to edits. A substantive change clears the signatures (and the
    signatories are asked again); a cosmetic one keeps them, a corrected e-mail sending that party's pending
    link to the new address (crm.pmsmp.corrections). Both are written in the convention's history."""
    if p.status not in rules.EDITABLE:
        raise DomainError(f"Une convention « {p.status_label} » ne se modifie plus.")
    concurrency.check_version(p, version, "La convention a été modifiée")
    found = _refuse_on_blocking(check_convention(values, youth=youth, placement=p, today=today))
    before, parties = content_of(p), signatories(p)
    _apply(p, values, youth)
    db.session.flush()
    changes = content.classify_changes(before, content_of(p))
    if not changes.any:
        return changes, found
    record(actor, "pmsmp.update", p, summary=f"{p.reference} modifiée",
           details={"substantive": list(changes.substantive), "cosmetic": list(changes.cosmetic)})
    resent = [] if changes.substantive else corrections.resend_to_corrected(actor, p, parties)
    corrections.log_edit(actor, p, changes, resent)
    if changes.substantive and p.status in (rules.TO_SIGN, rules.PARTLY_SIGNED, rules.TO_VALIDATE):
        signing.clear_signatures(actor, p, reason=f"Modification : {changes.labels()}")
    return changes, found


def validate_placement(actor, p: Placement) -> None:
    """The counsellor validates a convention every signatory has signed."""
    if p.status != rules.TO_VALIDATE or signing.missing_signatories(p):
        raise DomainError("La convention ne peut être validée qu'une fois signée par tous les signataires.")
    p.validated_at, p.validated_by_id, p.validated_hash = utcnow(), actor.id, content_hash(p)
    move(p, rules.VALIDATED, actor=actor, note="Validée par le prescripteur")
    signing.notify_parties(p, "pmsmp_validated.txt", f"Convention PMSMP validée : {p.reference}", topic="valide")


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif : il est communiqué aux signataires.", "reason")
    if len(reason) > 1000:
        raise DomainError("1000 caractères au maximum.", "reason")
    return reason


def refuse_placement(actor, p: Placement, *, reason: str | None) -> None:
    """Refuse a convention before validation, with its reason."""
    if not rules.can_transition(p.status, rules.REFUSED):
        raise DomainError(f"Une convention « {p.status_label} » ne peut plus être refusée.")
    p.status_reason = _reason(reason)
    move(p, rules.REFUSED, actor=actor, note=p.status_reason)
    signing.notify_parties(p, "pmsmp_closed.txt", f"Convention PMSMP refusée : {p.reference}", topic="refusee")


def cancel_placement(actor, p: Placement, *, reason: str | None) -> None:
    """Cancel a validated convention that has no assessment yet."""
    if p.status != rules.VALIDATED:
        raise DomainError("Seule une convention validée peut être annulée.")
    if p.assessment is not None:
        raise DomainError("Le bilan est déjà rempli : la convention ne peut plus être annulée.")
    p.status_reason = _reason(reason)
    move(p, rules.CANCELLED, actor=actor, note=p.status_reason)
    signing.notify_parties(p, "pmsmp_closed.txt", f"Convention PMSMP annulée : {p.reference}", topic="annulee")


def lapse_placement(p: Placement, today: date) -> bool:
    """A convention still not validated 30 days after its end becomes caduque (reminders job)."""
    if p.status not in (rules.DRAFT, rules.TO_SIGN, rules.PARTLY_SIGNED, rules.TO_VALIDATE):
        return False
    if today < rules.lapses_on(p.end_date):
        return False
    p.status_reason = "Non validée 30 jours après la date de fin."
    move(p, rules.LAPSED, actor=None, actor_label="Rappels automatiques", note=p.status_reason)
    return True


# --- assessment -------------------------------------------------------------------------------

def can_be_assessed(p: Placement, today: date) -> bool:
    return p.status == rules.VALIDATED and p.assessment is None and p.start_date <= today


def _check_assessment(p: Placement, v: dict[str, Any]) -> None:
    outcome = v.get("outcome")
    if outcome not in rules.ASSESSMENT_OUTCOMES:
        raise DomainError("Choisissez comment la période s'est déroulée.", "outcome")
    hours = v.get("hours_done")
    if hours is None or hours < 0:
        raise DomainError("Indiquez les heures réellement effectuées (0 si aucune).", "hours_done")
    planned = Decimal(str(round(p.planned_hours, 2)))
    if hours > planned:
        raise DomainError(f"{number_fr(hours, 1)} h déclarées, plus que les {number_fr(planned, 1)} h prévues par "
                          "l'emploi du temps.",
                          "hours_done")
    if outcome == "partielle":
        last = v.get("last_day")
        if last is None or not p.start_date <= last <= p.end_date:
            raise DomainError(f"Indiquez le dernier jour de présence, entre le {p.start_date:%d/%m/%Y} et le "
                              f"{p.end_date:%d/%m/%Y}.", "last_day")
    if outcome == "absence":
        if not (v.get("no_show_reason") or "").strip():
            raise DomainError("Indiquez la raison de l'absence.", "no_show_reason")
        if v.get("cancelled_by") not in rules.CANCELLED_BY:
            raise DomainError("Indiquez qui a annulé.", "cancelled_by")
        if hours:
            raise DomainError("Le ou la jeune ne s'est pas présenté·e : les heures effectuées sont 0.", "hours_done")
    if v.get("ended_with_job"):
        if v.get("contract_type") not in rules.CONTRACT_TYPES:
            raise DomainError("Choisissez le type de contrat proposé.", "contract_type")
        if v.get("job_start_on") is None or v["job_start_on"] < p.start_date:
            raise DomainError("Indiquez la date d'embauche (au plus tôt le premier jour de la PMSMP).", "job_start_on")
        end = v.get("job_end_on")
        if v["contract_type"] in rules.OPEN_ENDED and end is not None:
            raise DomainError("Un CDI n'a pas de date de fin : laissez ce champ vide.", "job_end_on")
        if v["contract_type"] not in rules.OPEN_ENDED and v["contract_type"] != "contrat_aide" and end is None:
            raise DomainError("Indiquez la date de fin prévue du contrat.", "job_end_on")
        if end is not None and end < v["job_start_on"]:
            raise DomainError("La fin du contrat précède son début.", "job_end_on")


def record_assessment(actor, p: Placement, *, today: date, filled_by_role: str, filled_by_name: str,
                      **values) -> Assessment:
    """Record the bilan (tutor by link or account, or counsellor); the convention is then terminée and,
    when it ended with a job, the follow-up capability creates the hire."""
    if p.assessment is not None:
        raise DomainError("Le bilan de cette convention est déjà rempli.")
    if not can_be_assessed(p, today):
        raise DomainError("Le bilan se remplit une fois la convention validée et commencée.")
    _check_assessment(p, values)
    job = bool(values.get("ended_with_job"))
    fields = {k: values.get(k) for k in ("outcome", "last_day", "missed_hours", "no_show_reason", "cancelled_by",
                                         "hours_done", "skills_observed", "employer_feedback", "youth_agrees",
                                         "youth_comment")}
    fields.update(ended_with_job=job, contract_type=values.get("contract_type") if job else None,
                  job_start_on=values.get("job_start_on") if job else None,
                  job_end_on=values.get("job_end_on") if job else None)
    fields["skills_observed"] = fields["skills_observed"] or ""
    fields["employer_feedback"] = fields["employer_feedback"] or ""
    fields["youth_agrees"] = bool(fields["youth_agrees"])
    assessment = Assessment(placement=p, filled_by_role=filled_by_role, filled_by_name=filled_by_name[:200],
                            filled_by_id=getattr(actor, "id", None), filled_at=utcnow(),
                            content_hash=content.content_hash({**fields, "placement": content_hash(p)}), **fields)
    db.session.add(assessment)
    db.session.flush()
    label = None if actor is not None else f"{filled_by_name} (lien personnel)"
    record(actor, "pmsmp.assess", p, actor_label=label, summary=f"{p.reference} : bilan « {assessment.outcome_label} »",
           details={"ended_with_job": job, "filled_by": filled_by_role})
    move(p, rules.FINISHED, actor=actor, actor_label=label, note="Bilan rempli")
    if job:
        _create_hire(actor, p, assessment)
    return assessment


_HIRE_FIELDS = {"start_on": "job_start_on", "end_on": "job_end_on", "contract_type": "contract_type"}


def _create_hire(actor, p: Placement, assessment: Assessment) -> None:
    """A bilan that ended with a job: the follow-up creates the hire (`placement_hired`); its errors name the
    bilan's fields."""
    try:
        hires = [h for h in signals.send(placement_hired, p, actor=actor, assessment=assessment) if h is not None]
    except DomainError as exc:
        raise DomainError(exc.message, _HIRE_FIELDS.get(exc.field or "", exc.field)) from exc
    if hires:
        assessment.hire_id = hires[0].id


def now() -> datetime:
    return utcnow()


# --- tasks for the prescribing counsellor -------------------------------------------------------------


def open_task_once(p: Placement, *, title: str, due_on: date):
    """A task for the prescribing counsellor about this convention, unless the same one is still open
    (the reminders job runs every day); None when the counsellor can no longer receive tasks."""
    existing = db.session.scalar(select(Task.id).where(
        Task.subject_type == "Placement", Task.subject_id == p.id, Task.title == title, Task.done_at.is_(None)))
    if existing is not None:
        return None
    if not p.counsellor.active or p.counsellor.role not in STAFF:
        return None
    return employers.create_task(None, title=title, due_on=due_on, assignee=p.counsellor, subject=p,
                                 company=p.company)
