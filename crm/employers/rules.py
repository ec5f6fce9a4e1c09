"""Pure rules of employer relations: no database, no Flask."""

from datetime import date, timedelta

from portal.text import fold

# Legal-form words left out when comparing company names for likely duplicates.
_LEGAL_FORMS = {"sarl", "sas", "sasu", "sa", "eurl", "sci", "snc", "scop", "ets", "etablissements", "ste",
                "societe", "et", "fils", "cie", "la", "le", "les", "de", "des", "du", "l", "d"}


def name_key(name: str | None) -> str:
    """Comparable form of a company name: folded, legal forms and small words dropped.

    "SARL Coutellerie Dumas & Fils" and "coutellerie dumas" give the same key."""
    words = [w for w in fold(name).split() if w not in _LEGAL_FORMS]
    return " ".join(words) or fold(name)


OVERDUE, TODAY, THIS_WEEK, LATER, DONE = "overdue", "today", "this_week", "later", "done"
BUCKET_LABELS = {
    OVERDUE: "En retard",
    TODAY: "Aujourd'hui",
    THIS_WEEK: "Cette semaine",
    LATER: "Plus tard",
    DONE: "Terminées",
}


def end_of_week(today: date) -> date:
    """Sunday of today's week."""
    return today + timedelta(days=6 - today.weekday())


def task_bucket(due_on: date, done: bool, today: date) -> str:
    """Where a task belongs in "mes tâches"."""
    if done:
        return DONE
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= end_of_week(today):
        return THIS_WEEK
    return LATER


def check_next_action(next_action: str | None, next_action_on: date | None, occurred_on: date) -> str | None:
    """French problem with an interaction's next action, or None; returns the field at fault first."""
    if next_action and not next_action_on:
        return "next_action_on"
    if next_action_on and not next_action:
        return "next_action"
    if next_action_on and next_action_on < occurred_on:
        return "next_action_on_past"
    return None
