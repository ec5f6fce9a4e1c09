"""Pure rules of partners and conventions: dates, status changes, expiry, PDF checks. No database, no Flask."""

from datetime import date

from portal.dates import add_months

MAX_PDF_BYTES = 10 * 1024 * 1024
ALERT_DAYS = (60, 30)

# status -> statuses it may move to by a person's action (expiry is the reminders job's)
TRANSITIONS = {
    "brouillon": {"active"},
    "active": {"resiliee"},
    "expiree": set(),
    "resiliee": set(),
}


def dates_problem(start_on: date | None, end_on: date | None) -> str | None:
    """French reason why the dates of a convention are not acceptable, or None."""
    if start_on and end_on and end_on < start_on:
        return "La date de fin doit être postérieure ou égale à la date de début."
    return None


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def renewed_end(end_on: date, months: int, today: date) -> date:
    """The end date after as many tacit renewals as needed to pass today."""
    while end_on < today:
        end_on = add_months(end_on, max(months, 1))
    return end_on


def due_alert(end_on: date, today: date) -> int | None:
    """60 or 30 when an expiry alert is due today or was missed since (the job runs daily)."""
    remaining = (end_on - today).days
    for days in sorted(ALERT_DAYS):
        if 0 <= remaining <= days:
            return days
    return None


def pdf_problem(head: bytes, tail: bytes, size: int) -> str | None:
    """French reason why the content is not an acceptable PDF, judged by its content, not its name."""
    if size == 0:
        return "Le fichier est vide."
    if size > MAX_PDF_BYTES:
        return "Le fichier dépasse 10 Mo : réduisez-le (PDF compressé) avant de l'envoyer."
    if not head.startswith(b"%PDF-"):
        return "Le fichier n'est pas un PDF (son contenu ne commence pas comme un PDF)."
    if b"%%EOF" not in tail:
        return "Le PDF est incomplet ou endommagé (fin de fichier absente)."
    return None
