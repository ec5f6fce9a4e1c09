"""Daily job: services past their update frequency are flagged stale and their owner reminded once."""

from datetime import date

from sqlalchemy import select

from crm.directory import queries
from portal.access import PARTNER
from portal.accounts.models import User
from portal.extensions import db
from portal.notifications.services import already_queued, queue
from portal.reminders import job


def _recipients(service) -> list[str]:
    if service.partner is None:
        return []
    emails = list(db.session.scalars(select(User.email).where(User.role == PARTNER, User.active.is_(True),
                                                              User.partner_id == service.partner_id)))
    if not emails and service.partner.email:
        emails = [service.partner.email]
    return emails


@job("directory-stale")
def remind_stale_services(today: date) -> str:
    """Remind the owners of stale services (once per staleness period)."""
    reminded = 0
    stale = queries.stale_published_services(today)
    for service in stale:
        topic = f"directory-stale:{service.id}:{service.stale_on.isoformat()}"
        if service.stale_notified_on is not None or already_queued(topic):
            continue
        for index, email in enumerate(_recipients(service)):
            queue(email, f"Annuaire : le service « {service.name} » est à actualiser", "directory_stale.txt",
                  topic=topic if index == 0 else None, service=service)
        service.stale_notified_on = today
        reminded += 1
    db.session.flush()
    return f"{len(stale)} service(s) à actualiser, {reminded} rappel(s) envoyé(s)"
