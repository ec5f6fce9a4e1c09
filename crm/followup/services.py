"""Use cases of post-hire follow-up: hires and their check-ins, mediation and ruptures; both sides' answers
by personal link are in `crm.followup.answers`. Services flush and audit; the caller commits once."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from crm.employers import services as employers
from crm.followup import rules
from crm.followup.models import CheckIn, CheckInScheduleDefault, Hire, MediationAction
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow
from portal.notifications.services import queue
from portal.text import date_fr


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)


def _clean(text: str | None, limit: int = 5000) -> str | None:
    text = (text or "").strip()
    return text[:limit] or None


# --- schedule defaults ------------------------------------------------------------------------------


def schedule_defaults() -> dict[str, tuple[tuple[int, ...], bool]]:
    """{contract_type: (offsets, include_trial_end)}: the admin's settings over the built-in defaults."""
    result = {code: (rules.DEFAULT_OFFSETS[code], True) for code in rules.CONTRACT_TYPES}
    for row in db.session.scalars(select(CheckInScheduleDefault)):
        if row.contract_type in result and row.offsets:
            result[row.contract_type] = (tuple(row.offsets), row.include_trial_end)
    return result


def save_schedule_defaults(actor, settings: dict[str, tuple[str, bool]]) -> None:
    """Save every contract type's offsets ("7, 30, 90") at once, or none when one is wrong."""
    parsed: dict[str, tuple[tuple[int, ...], bool]] = {}
    for code, (text, include_trial_end) in settings.items():
        if code not in rules.CONTRACT_TYPES:
            raise DomainError("Type de contrat inconnu.")
        try:
            parsed[code] = (rules.parse_offsets(text), bool(include_trial_end))
        except ValueError as exc:
            raise DomainError(str(exc), field=f"offsets_{code}") from exc
    existing = {row.contract_type: row for row in db.session.scalars(select(CheckInScheduleDefault))}
    for code, (offsets, include_trial_end) in parsed.items():
        row = existing.get(code) or CheckInScheduleDefault(contract_type=code)
        row.offsets, row.include_trial_end, row.updated_by_id = list(offsets), include_trial_end, actor.id
        db.session.add(row)
    db.session.flush()
    record(actor, "followup.schedule_defaults", None, object_type="CheckInScheduleDefault",
           summary="Échéances de suivi par type de contrat modifiées",
           details={code: list(offsets) for code, (offsets, _) in parsed.items()})


# --- hires -------------------------------------------------------------------------------------------


def create_hire(actor, *, youth, company, contract_type: str, start_on: date, end_on: date | None = None,
                hours_per_week: Decimal | float | None = None, appellation_code: str | None = None,
                job_title: str | None = None, trial_end_on: date | None = None, offer=None, positioning=None,
                placement=None, source: str = "saisie") -> Hire:
    """Record a hire (by hand, from a positioning or from a PMSMP assessment) with its check-ins."""
    if youth is None:
        raise DomainError("Choisissez le ou la jeune embauché·e.", field="youth_id")
    if company is None:
        raise DomainError("Choisissez l'entreprise.", field="company_id")
    if source not in rules.SOURCES:
        raise DomainError("Origine de l'embauche inconnue.")
    hours = float(hours_per_week) if hours_per_week is not None else None
    _raise_first(rules.hire_problems(contract_type=contract_type, start_on=start_on, end_on=end_on,
                                     trial_end_on=trial_end_on, hours_per_week=hours))
    if positioning is not None and db.session.scalar(select(Hire.id).where(Hire.positioning_id == positioning.id)):
        raise DomainError("Cette mise en relation a déjà donné lieu à une embauche.")
    if placement is not None and db.session.scalar(select(Hire.id).where(Hire.placement_id == placement.id)):
        raise DomainError("Cette PMSMP a déjà donné lieu à une embauche.")
    hire = Hire(
        youth_id=youth.id, company_id=company.id, offer_id=getattr(offer, "id", None),
        positioning_id=getattr(positioning, "id", None), placement_id=getattr(placement, "id", None),
        source=source, contract_type=contract_type, start_on=start_on, end_on=end_on, trial_end_on=trial_end_on,
        hours_per_week=Decimal(str(hours)) if hours is not None else None, appellation_code=appellation_code or None,
        job_title=_clean(job_title, 200), counsellor_id=youth.referent_id or getattr(actor, "id", None),
        created_by_id=getattr(actor, "id", None))
    db.session.add(hire)
    offsets, include_trial_end = schedule_defaults()[contract_type]
    for planned in rules.check_in_schedule(start_on, offsets, end_on=end_on,
                                           trial_end_on=trial_end_on if include_trial_end else None):
        hire.check_ins.append(CheckIn(due_on=planned.due_on, label=planned.label))
    db.session.flush()
    record(actor, "hire.create", hire,
           summary=f"Embauche de {youth.full_name} chez {company.name} ({hire.contract_label}, "
                   f"à partir du {date_fr(start_on)}) : {len(hire.check_ins)} points de suivi planifiés",
           details={"source": source, "youth_id": youth.id, "company_id": company.id,
                    "check_ins": [c.due_on.isoformat() for c in hire.check_ins]})
    return hire


def _contract_from_offer(offer) -> str:
    code = getattr(offer, "contract_type", None)
    return code if code in rules.CONTRACT_TYPES else "cdd"


def hire_from_positioning(actor, positioning, details: dict[str, Any]) -> Hire:
    """The hire of a positioning marked « embauchée » (the matching's `positioning_hired` signal, crm/followup/hooks.py).

    `details` may carry contract_type, start_on, end_on, trial_end_on, hours_per_week; the offer
    supplies what is missing."""
    offer = positioning.offer
    return create_hire(
        actor, youth=positioning.youth, company=offer.company,
        contract_type=details.get("contract_type") or _contract_from_offer(offer),
        start_on=details.get("start_on") or offer.start_on or date.today(),
        end_on=details.get("end_on", offer.end_on), trial_end_on=details.get("trial_end_on"),
        hours_per_week=details.get("hours_per_week", offer.hours_per_week),
        appellation_code=offer.appellation_code, job_title=offer.title, offer=offer, positioning=positioning,
        source="positionnement")


def add_check_in(actor, hire: Hire, *, due_on: date | None, label: str | None = None) -> CheckIn:
    """Plan an extra check-in on a hire still running."""
    _refuse_ended(hire)
    if due_on is None:
        raise DomainError("Information obligatoire.", field="due_on")
    if due_on < hire.start_on:
        raise DomainError("Un point de suivi ne peut pas précéder le début du contrat.", field="due_on")
    check_in = CheckIn(due_on=due_on, label=_clean(label, 60) or "Point supplémentaire")
    hire.check_ins.append(check_in)
    db.session.flush()
    record(actor, "check_in.plan", check_in, summary=f"Point de suivi ajouté le {date_fr(due_on)} "
                                                     f"({hire.youth.full_name}, {hire.company.name})")
    return check_in


def _refuse_ended(hire: Hire) -> None:
    if hire.ended_on is not None:
        raise DomainError(f"Ce contrat a été rompu le {date_fr(hire.ended_on)} : "
                          "plus aucun point de suivi ne peut y être enregistré.")


# --- check-ins --------------------------------------------------------------------------------------


def record_check_in(actor, check_in: CheckIn, *, channel: str | None, situation: str | None,
                    summary: str | None, next_step: str | None = None, rupture: dict[str, Any] | None = None,
                    today: date | None = None) -> None:
    """The counsellor records a check-in; « difficulté » opens a mediation task, « rupture » records it."""
    hire = check_in.hire
    today = today or date.today()
    _refuse_ended(hire)
    if check_in.is_done:
        raise DomainError("Ce point de suivi est déjà enregistré.")
    if check_in.is_cancelled:
        raise DomainError(f"Ce point de suivi est annulé ({check_in.cancel_reason.lower()}).")
    if channel not in rules.CHANNELS:
        raise DomainError("Choisissez le moyen d'échange.", field="channel")
    if situation not in rules.SITUATIONS:
        raise DomainError("Choisissez la situation du ou de la jeune.", field="situation")
    if not _clean(summary):
        raise DomainError("Résumez ce qui s'est dit.", field="summary")
    if situation == "rupture":
        _check_rupture(hire, today=today, **(rupture or {}))
    check_in.done_at, check_in.done_by_id = utcnow(), actor.id
    check_in.channel, check_in.situation = channel, situation
    check_in.summary, check_in.next_step = _clean(summary), _clean(next_step)
    db.session.flush()
    record(actor, "check_in.record", check_in,
           summary=f"Suivi {check_in.label} de {hire.youth.full_name} chez {hire.company.name} : "
                   f"{rules.SITUATIONS[situation]}", details={"channel": channel, "situation": situation})
    if situation == "difficulte":
        open_mediation_task(actor, check_in, reported_by="la conseillère ou le conseiller", today=today)
    elif situation == "rupture":
        record_rupture(actor, hire, today=today, **(rupture or {}))


def open_mediation_task(actor, check_in: CheckIn, *, reported_by: str, today: date | None = None):
    """A difficulty was reported: one task for the referent counsellor, due within two working days."""
    if check_in.mediation_task_id is not None:
        return None
    hire = check_in.hire
    assignee_id = hire.youth.referent_id or hire.counsellor_id or hire.created_by_id or hire.company.owner_id
    if assignee_id is None:
        record(actor, "check_in.mediation_unassigned", check_in, actor_label=_label(actor),
               summary=f"Difficulté signalée par {reported_by} sans conseiller·ère référent·e à prévenir")
        return None
    task = employers.create_task(
        actor if getattr(actor, "id", None) else None,
        title=f"Médiation : difficulté signalée par {reported_by} pour {hire.youth.full_name} "
              f"chez {hire.company.name}",
        due_on=rules.mediation_due_on(today or date.today()), assignee=assignee_id, subject=hire,
        company=hire.company)
    check_in.mediation_task_id = task.id
    db.session.flush()
    if task.assignee.email:
        queue(task.assignee.email, f"Difficulté signalée : {hire.youth.full_name} chez {hire.company.name}",
              "followup_difficulty.txt", topic=f"followup-difficulty-{check_in.id}", hire=hire, check_in=check_in,
              reported_by=reported_by, task=task, url=public_url("followup.show_hire", hire_id=hire.id))
    return task


def _label(actor) -> str | None:
    return None if getattr(actor, "id", None) else (actor if isinstance(actor, str) else "système")


# --- rupture and mediation ---------------------------------------------------------------------------


def record_rupture(actor, hire: Hire, *, ended_on: date | None = None, initiative: str | None = None,
                   reason: str | None = None, note: str | None = None, reopen_positioning: bool | None = None,
                   today: date | None = None) -> None:
    """The contract ended early: date, initiative and reason; the check-ins still ahead are cancelled
    and, when asked, the referent gets a task to put the young person forward again."""
    today = today or date.today()
    _refuse_ended(hire)
    _check_rupture(hire, ended_on=ended_on, initiative=initiative, reason=reason,
                   reopen_positioning=reopen_positioning, today=today)
    hire.ended_on, hire.rupture_initiative, hire.rupture_reason = ended_on, initiative, reason
    hire.rupture_note, hire.reopen_positioning = _clean(note), reopen_positioning
    cancelled = [c for c in hire.check_ins if not c.is_done and not c.is_cancelled and c.due_on > ended_on]
    now, why = utcnow(), rules.rupture_cancel_reason(ended_on)
    for check_in in cancelled:  # kept with their reason (and any answer already given), no longer to do
        check_in.cancelled_at, check_in.cancel_reason = now, why
    db.session.flush()
    record(actor, "hire.rupture", hire,
           summary=f"Rupture du contrat de {hire.youth.full_name} chez {hire.company.name} le {date_fr(ended_on)} "
                   f"({rules.INITIATIVES[initiative].lower()}, {rules.RUPTURE_REASONS[reason].lower()})",
           details={"ended_on": ended_on.isoformat(), "initiative": initiative, "reason": reason,
                    "reopen_positioning": reopen_positioning, "cancelled_check_ins": len(cancelled)})
    assignee_id = hire.youth.referent_id or hire.counsellor_id or getattr(actor, "id", None)
    if reopen_positioning and assignee_id:
        employers.create_task(actor, title=f"Reprendre les mises en relation de {hire.youth.full_name} "
                                           f"après la rupture chez {hire.company.name}",
                              due_on=rules.add_working_days(today, 1), assignee=assignee_id, subject=hire)


def _check_rupture(hire: Hire, *, ended_on: date | None = None, initiative: str | None = None,
                   reason: str | None = None, reopen_positioning: bool | None = None, today: date,
                   note: str | None = None) -> None:  # noqa: ARG001 - same keywords as record_rupture
    _raise_first(rules.rupture_problems(start_on=hire.start_on, end_on=hire.end_on, trial_end_on=hire.trial_end_on,
                                        ended_on=ended_on, initiative=initiative, reason=reason, today=today))
    if reopen_positioning is None:
        raise DomainError("Indiquez s'il faut reprendre les mises en relation pour ce ou cette jeune.",
                          field="reopen_positioning")


def log_mediation(actor, hire: Hire, *, kind: str | None, occurred_on: date | None, note: str | None,
                  check_in: CheckIn | None = None, today: date | None = None) -> MediationAction:
    """Log a mediation action (talk, three-way meeting, visit...) on a hire."""
    today = today or date.today()
    if kind not in rules.MEDIATION_KINDS:
        raise DomainError("Choisissez le type d'action.", field="kind")
    if occurred_on is None:
        raise DomainError("Information obligatoire.", field="occurred_on")
    if occurred_on > today:
        raise DomainError("Une action de médiation se note une fois faite : la date ne peut pas être future.",
                          field="occurred_on")
    if occurred_on < hire.start_on - timedelta(days=30):
        raise DomainError("Cette date précède de loin le début du contrat.", field="occurred_on")
    if not _clean(note):
        raise DomainError("Décrivez l'action menée.", field="note")
    action = MediationAction(kind=kind, occurred_on=occurred_on, note=_clean(note), actor_id=actor.id,
                             check_in_id=getattr(check_in, "id", None))
    hire.mediations.append(action)
    db.session.flush()
    record(actor, "hire.mediation", hire, summary=f"Médiation ({rules.MEDIATION_KINDS[kind].lower()}) pour "
                                                  f"{hire.youth.full_name} chez {hire.company.name}",
           details={"mediation_id": action.id, "kind": kind})
    return action


# --- exports -----------------------------------------------------------------------------------------


EXPORT_LABELS = {"queue": "suivis post-embauche", "hires": "embauches"}


def record_export(actor, kind: str, *, rows: int, filters: dict[str, Any]) -> None:
    """Exporting young people's data is audited: who, what list, with which filters, how many rows."""
    record(actor, f"followup.export_{kind}", None, object_type="Hire",
           summary=f"Export xlsx des {EXPORT_LABELS[kind]} ({rows} ligne{'s' if rows > 1 else ''})",
           details={"rows": rows, "filters": filters})
