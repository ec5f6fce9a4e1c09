"""Spreadsheet exports of follow-up: « mes suivis » and the list of hires, the columns the pages show."""

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from crm.followup import queries
from crm.followup.models import CheckIn, Hire

QUEUE_HEADERS = ["Priorité", "Jeune", "Entreprise", "Contrat", "Point", "Prévu le", "Réponse employeur",
                 "Réponse jeune", "Conseiller·ère"]
HIRE_HEADERS = ["Jeune", "Entreprise", "Poste", "Contrat", "Début", "Fin prévue", "Fin de période d'essai",
                "Heures par semaine", "État", "Rupture le", "Conseiller·ère"]
BATCH = 500


def _batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _answered(when) -> str:
    return f"Reçue le {when:%d/%m/%Y}" if when else ""


def queue_rows(check_ins: Iterable[CheckIn], today: date) -> Iterator[list[Any]]:
    """Rows of « mes suivis », priority as on the page (difficulties looked up a batch at a time)."""
    for batch in _batches(check_ins):
        troubled = queries.hires_with_difficulty(list({c.hire_id for c in batch}))
        for c in batch:
            hire = c.hire
            if hire.id in troubled or c.trouble_reported:
                priority = "Difficulté"
            elif c.due_on < today:
                priority = "En retard"
            else:
                priority = "À faire"
            yield [priority, hire.youth.full_name, hire.company.name, hire.contract_label, c.label, c.due_on,
                   _answered(c.employer_answered_at), _answered(c.youth_answered_at),
                   hire.counsellor.display_name if hire.counsellor else ""]


def hire_rows(hires: Iterable[Hire]) -> Iterator[list[Any]]:
    """Rows of the list of hires."""
    for hire in hires:
        yield [hire.youth.full_name, hire.company.name, hire.job_title or "", hire.contract_label, hire.start_on,
               hire.end_on, hire.trial_end_on, float(hire.hours_per_week) if hire.hours_per_week is not None else None,
               hire.state_label, hire.ended_on, hire.counsellor.display_name if hire.counsellor else ""]
