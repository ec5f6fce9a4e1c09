"""Spreadsheet exports of follow-up: « mes suivis » and the list of hires, the columns the pages show."""

from datetime import date
from typing import Any

from crm.followup import queries
from crm.followup.models import CheckIn, Hire
from portal.xlsx_tables import Column, Table, number


def _answered(when) -> str:
    return f"Reçue le {when:%d/%m/%Y}" if when else ""


def _counsellor(hire: Hire, _: Any) -> str:
    return hire.counsellor.display_name if hire.counsellor else ""


def _priority(check_in: CheckIn, ctx: dict[str, Any]) -> str:
    """As on the page: a difficulty first (reported, or on the hire), then late, then to do."""
    if check_in.hire.id in ctx["troubled"] or check_in.trouble_reported:
        return "Difficulté"
    if check_in.due_on < ctx["today"]:
        return "En retard"
    return "À faire"


def queue_context(today: date):
    """The context of a batch of « mes suivis »: the hires in difficulty looked up a batch at a time."""
    return lambda batch: {"today": today, "troubled": queries.hires_with_difficulty(list({c.hire_id for c in batch}))}


# « mes suivis » (`ctx`: `queue_context`)
QUEUE = Table("suivis", [
    Column("priority", "Priorité", get=_priority),
    Column("youth", "Jeune", get="hire.youth.full_name"),
    Column("company", "Entreprise", get="hire.company.name"),
    Column("contract", "Contrat", get="hire.contract_label"),
    Column("label", "Point", get="label"),
    Column("due_on", "Prévu le", get="due_on"),
    Column("employer_answer", "Réponse employeur", get="employer_answered_at", format=_answered),
    Column("youth_answer", "Réponse jeune", get="youth_answered_at", format=_answered),
    Column("counsellor", "Conseiller·ère", get=lambda check_in, ctx: _counsellor(check_in.hire, ctx)),
])


# the list of hires
HIRES = Table("embauches", [
    Column("youth", "Jeune", get="youth.full_name"),
    Column("company", "Entreprise", get="company.name"),
    Column("job_title", "Poste", get=lambda hire, _: hire.job_title or ""),
    Column("contract", "Contrat", get="contract_label"),
    Column("start_on", "Début", get="start_on"),
    Column("end_on", "Fin prévue", get="end_on"),
    Column("trial_end_on", "Fin de période d'essai", get="trial_end_on"),
    Column("hours", "Heures par semaine", get="hours_per_week", format=number),
    Column("state", "État", get="state_label"),
    Column("ended_on", "Rupture le", get="ended_on"),
    Column("counsellor", "Conseiller·ère", get=_counsellor),
])
