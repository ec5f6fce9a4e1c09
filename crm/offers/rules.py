"""Pure rules about offers: no database, no Flask."""

from datetime import date, timedelta
from decimal import Decimal

DRAFT, SUBMITTED, PUBLISHED, FILLED, CLOSED, CANCELLED = (
    "brouillon", "soumise", "publiee", "pourvue", "close", "annulee")
STATUSES = {
    DRAFT: "Brouillon",
    SUBMITTED: "Soumise",
    PUBLISHED: "Publiée",
    FILLED: "Pourvue",
    CLOSED: "Close",
    CANCELLED: "Annulée",
}
OPEN_STATUSES = (DRAFT, SUBMITTED, PUBLISHED)
TRANSITIONS = {
    DRAFT: {SUBMITTED, CANCELLED},
    SUBMITTED: {PUBLISHED, CLOSED, CANCELLED},
    PUBLISHED: {FILLED, CLOSED, CANCELLED},
    FILLED: set(),
    CLOSED: {PUBLISHED},
    CANCELLED: set(),
}
STATUS_TONES = {DRAFT: "neutral", SUBMITTED: "warning", PUBLISHED: "success", FILLED: "info",
                CLOSED: "neutral", CANCELLED: "danger"}

MAX_HOURS_PER_WEEK = 48
STALE_WARNING_DAYS = 45
STALE_CLOSING_DAYS = 60
STALE_NOTICE_DAYS = 7  # an idle offer is never closed less than a week after its warning


def can_move(current: str, target: str) -> bool:
    """True when an offer may go from `current` to `target`."""
    return target in TRANSITIONS.get(current, set())


def hours_problem(hours: Decimal | float | None) -> str | None:
    """French reason why weekly hours are impossible, or None."""
    if hours is None:
        return None
    if hours <= 0:
        return "Le nombre d'heures par semaine doit être positif."
    if hours > MAX_HOURS_PER_WEEK:
        return f"La durée du travail ne peut pas dépasser {MAX_HOURS_PER_WEEK} heures par semaine."
    return None


def dates_problem(start: date | None, end: date | None) -> str | None:
    """French reason why a contract's start and end dates do not fit, or None."""
    if start and end and end < start:
        return "La date de fin doit être postérieure à la date de début."
    return None


def staleness(last_update: date, today: date) -> str | None:
    """"close" when an open offer has not moved for 60 days, "warn" at 45, else None."""
    idle = (today - last_update).days
    if idle >= STALE_CLOSING_DAYS:
        return "close"
    if idle >= STALE_WARNING_DAYS:
        return "warn"
    return None


def closing_day(last_update: date, warned_on: date | None = None) -> date:
    """The day an idle offer will be closed automatically: 60 days after its last update, and never less than
    a week after its warning (a warning sent late, the reminders having not run, still gives that week)."""
    day = last_update + timedelta(days=STALE_CLOSING_DAYS)
    return max(day, warned_on + timedelta(days=STALE_NOTICE_DAYS)) if warned_on else day
