"""Use cases correcting what was recorded on a hire: its contract details (optimistic locking, open
check-ins rescheduled, done ones untouched), a recorded check-in, the counsellor following it, and a rupture
recorded by mistake.
Like services.py: flush and audit, the caller commits once."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from crm.followup import rules
from crm.followup.models import CheckIn, Hire
from crm.followup.services import _clean, _raise_first, open_mediation_task, schedule_defaults
from portal import concurrency
from portal.access import STAFF
from portal.accounts.models import User
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.text import date_fr, is_digits

_SCHEDULE_LABELS = ("J+", "Fin de période d'essai", "Fin de contrat")


def _is_scheduled(check_in: CheckIn) -> bool:
    """Planned from the contract's dates (not added by hand)."""
    return check_in.label.startswith(_SCHEDULE_LABELS)


def _is_open(check_in: CheckIn) -> bool:
    """Nothing recorded on it yet (neither the counsellor's record nor either side's answer), not cancelled."""
    return not check_in.is_done and not check_in.is_cancelled and check_in.employer_answered_at is None and check_in.youth_answered_at is None


def _reschedule(hire: Hire) -> dict[str, list[str]]:
    """Plan again the still-open scheduled check-ins from the new dates: a check-in keeps its row (and its
    link) when its label is still planned, moves to the new date; the others go; done ones never change."""
    offsets, include_trial_end = schedule_defaults()[hire.contract_type]
    planned = rules.check_in_schedule(hire.start_on, offsets, end_on=hire.end_on,
                                      trial_end_on=hire.trial_end_on if include_trial_end else None)
    kept_labels = {c.label for c in hire.check_ins if not _is_open(c)}
    open_by_label = {c.label: c for c in hire.check_ins if _is_open(c) and _is_scheduled(c)}
    moved, added, removed = [], [], []
    for plan in planned:
        if plan.label in kept_labels:
            continue
        existing = open_by_label.pop(plan.label, None)
        if existing is None:
            hire.check_ins.append(CheckIn(due_on=plan.due_on, label=plan.label))
            added.append(f"{plan.label} ({plan.due_on.isoformat()})")
        elif existing.due_on != plan.due_on:
            existing.due_on = plan.due_on
            moved.append(f"{plan.label} ({plan.due_on.isoformat()})")
    for check_in in open_by_label.values():
        hire.check_ins.remove(check_in)
        removed.append(f"{check_in.label} ({check_in.due_on.isoformat()})")
    return {"moved": moved, "added": added, "removed": removed}


def correct_hire(actor, hire: Hire, *, version: Any, contract_type: str | None, start_on: date | None,
                 end_on: date | None, trial_end_on: date | None, hours_per_week: Decimal | float | None,
                 appellation_code: str | None, job_title: str | None) -> dict[str, Any]:
    """Correct a hire's contract details; a stale form (another save in between) changes nothing.

    When a date changes, the still-open check-ins are planned again; returns what changed."""
    concurrency.check_version(hire, version, "Cette embauche a été modifiée", required=True)
    hours = float(hours_per_week) if hours_per_week is not None else None
    _raise_first(rules.hire_problems(contract_type=contract_type, start_on=start_on, end_on=end_on,
                                     trial_end_on=trial_end_on, hours_per_week=hours))
    if hire.ended_on is not None and (hire.ended_on < start_on or (end_on is not None and hire.ended_on > end_on)):
        raise DomainError(f"Le contrat a été rompu le {date_fr(hire.ended_on)} : les dates du contrat doivent "
                          "encadrer cette rupture.", field="start_on" if hire.ended_on < start_on else "end_on")
    new = {"contract_type": contract_type, "start_on": start_on, "end_on": end_on, "trial_end_on": trial_end_on,
           "hours_per_week": Decimal(str(hours)) if hours is not None else None,
           "appellation_code": appellation_code or None, "job_title": _clean(job_title, 200)}
    changes = {key: [_plain(getattr(hire, key)), _plain(value)] for key, value in new.items()
               if getattr(hire, key) != value}
    if not changes:
        return {}
    for key, value in new.items():
        setattr(hire, key, value)
    schedule = None
    if hire.ended_on is None and {"contract_type", "start_on", "end_on", "trial_end_on"} & changes.keys():
        schedule = _reschedule(hire)
    db.session.flush()
    record(actor, "hire.correct", hire,
           summary=f"Contrat de {hire.youth.full_name} chez {hire.company.name} corrigé "
                   f"({', '.join(FIELD_LABELS[k] for k in changes)})",
           details={"changes": changes, "check_ins": schedule})
    return {"changes": changes, "check_ins": schedule}


FIELD_LABELS = {"contract_type": "type de contrat", "start_on": "début", "end_on": "fin prévue",
                "trial_end_on": "fin de période d'essai", "hours_per_week": "heures par semaine",
                "appellation_code": "métier", "job_title": "intitulé du poste", "channel": "moyen d'échange",
                "situation": "situation", "summary": "compte rendu", "next_step": "prochaine étape"}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def correct_check_in(actor, check_in: CheckIn, *, version: Any, channel: str | None, situation: str | None,
                     summary: str | None, next_step: str | None) -> dict[str, list[Any]]:
    """Correct a recorded check-in (channel, what was said, next step, situation); once a rupture is
    recorded on the hire its situation no longer changes, and a rupture goes through its own form."""
    hire = check_in.hire
    if not check_in.is_done:
        raise DomainError("Ce point de suivi n'est pas encore enregistré : enregistrez-le d'abord.")
    concurrency.check_version(check_in, version, "Ce point de suivi a été modifié", required=True)
    if channel not in rules.CHANNELS:
        raise DomainError("Choisissez le moyen d'échange.", field="channel")
    if situation not in rules.SITUATIONS:
        raise DomainError("Choisissez la situation du ou de la jeune.", field="situation")
    if situation != check_in.situation:
        if hire.ended_on is not None:
            raise DomainError(f"Une rupture a été enregistrée le {date_fr(hire.ended_on)} : la situation de ce "
                              "suivi ne peut plus être modifiée.", field="situation")
        if situation == "rupture":
            raise DomainError("Pour une rupture, utilisez « Enregistrer une rupture » sur la page de l'embauche.",
                              field="situation")
    if not _clean(summary):
        raise DomainError("Résumez ce qui s'est dit.", field="summary")
    new = {"channel": channel, "situation": situation, "summary": _clean(summary), "next_step": _clean(next_step)}
    changes = {key: [getattr(check_in, key), value] for key, value in new.items() if getattr(check_in, key) != value}
    if not changes:
        return {}
    for key, value in new.items():
        setattr(check_in, key, value)
    db.session.flush()
    record(actor, "check_in.correct", check_in,
           summary=f"Suivi {check_in.label} de {hire.youth.full_name} corrigé "
                   f"({', '.join(FIELD_LABELS[k] for k in changes)})", details={"changes": changes})
    if "situation" in changes and situation == "difficulte":
        open_mediation_task(actor, check_in, reported_by="la conseillère ou le conseiller")
    return changes


def assign_counsellor(actor, hire: Hire, *, version: Any, counsellor_id: Any) -> User:
    """Change the counsellor following a hire (an active member of staff)."""
    concurrency.check_version(hire, version, "Cette embauche a été modifiée", required=True)
    counsellor = db.session.scalar(select(User).where(User.id == int(counsellor_id), User.role.in_(STAFF),
                                                      User.active.is_(True))) \
        if is_digits(str(counsellor_id or "")) and len(str(counsellor_id)) < 12 else None
    if counsellor is None:
        raise DomainError("Choisissez une conseillère ou un conseiller dans la liste.", field="counsellor_id")
    if counsellor.id == hire.counsellor_id:
        return counsellor
    previous = hire.counsellor.display_name if hire.counsellor else None
    hire.counsellor_id = counsellor.id
    hire.counsellor = counsellor
    db.session.flush()
    record(actor, "hire.assign", hire,
           summary=f"Suivi de {hire.youth.full_name} chez {hire.company.name} confié à {counsellor.display_name}"
                   + (f" (au lieu de {previous})" if previous else ""),
           details={"from": previous, "to_id": counsellor.id})
    return counsellor


def undo_rupture(actor, hire: Hire) -> int:
    """A rupture recorded by mistake is withdrawn: the contract runs again and the check-ins it cancelled are
    back to do; returns how many. A check-in recorded « rupture » keeps its record (correct it if wrong)."""
    if hire.ended_on is None:
        raise DomainError("Aucune rupture n'est enregistrée sur ce contrat.")
    ended_on, why = hire.ended_on, rules.rupture_cancel_reason(hire.ended_on)
    restored = [c for c in hire.check_ins if c.is_cancelled and c.cancel_reason == why]
    for check_in in restored:
        check_in.cancelled_at = check_in.cancel_reason = None
    hire.ended_on = hire.rupture_initiative = hire.rupture_reason = hire.rupture_note = None
    hire.reopen_positioning = None
    db.session.flush()
    record(actor, "hire.undo_rupture", hire,
           summary=f"Rupture du {date_fr(ended_on)} annulée pour {hire.youth.full_name} chez {hire.company.name}",
           details={"ended_on": ended_on.isoformat(), "restored_check_ins": len(restored)})
    return len(restored)
