"""Daily job: expiry alerts at 60 and 30 days, tacit renewals, and conventions that expire."""

from datetime import date, timedelta

from crm.partners import queries, rules
from portal.audit.services import record
from portal.extensions import db
from portal.notifications.services import already_queued, queue
from portal.reminders import job


@job("conventions")
def remind_conventions(today: date) -> str:
    """Alert referents before the end; renew tacitly renewed conventions; expire the others."""
    alerts = renewed = expired = 0
    for convention in queries.active_conventions_ending_by(today + timedelta(days=max(rules.ALERT_DAYS))):
        if convention.end_on < today:
            if convention.tacit_renewal:
                previous = convention.end_on
                convention.end_on = rules.renewed_end(convention.end_on, convention.renewal_months, today)
                record(None, "convention.renew", convention, actor_label="système",
                       summary=f"Reconduction tacite de « {convention.title} » : fin le "
                               f"{convention.end_on:%d/%m/%Y} (au lieu du {previous:%d/%m/%Y})")
                renewed += 1
            else:
                convention.status = "expiree"
                convention.ended_on = convention.end_on
                record(None, "convention.expire", convention, actor_label="système",
                       summary=f"Convention expirée : « {convention.title} »")
                expired += 1
            continue
        days = rules.due_alert(convention.end_on, today)
        referent = convention.referent or convention.partner.referent
        if days is None or referent is None:
            continue
        topic = f"convention-expiry:{convention.id}:{convention.end_on.isoformat()}:{days}"
        if already_queued(topic):
            continue
        queue(referent.email, f"Convention à échéance dans {days} jours : {convention.title}",
              "convention_expiry.txt", topic=topic, convention=convention, days=days, person=referent)
        alerts += 1
    db.session.flush()
    return f"{alerts} alerte(s) d'échéance, {renewed} reconduction(s) tacite(s), {expired} expiration(s)"
