"""The PMSMP reminder job, run by `flask reminders run`: missing signatures two working days before the
start, validation waiting, assessment due (end date, J+3, J+10), conventions turning caduque.

Besides the e-mails, each event gives the prescribing counsellor one task in « Mes tâches » (linked to the
convention), created once: an open task with the same subject and title is not created again."""

from datetime import date, timedelta

from crm.pmsmp import queries, rules, services, signing
from portal.notifications.services import already_queued, queue
from portal.reminders import job


def remind_signatures(today: date) -> int:
    sent = 0
    for p in queries.in_status(rules.SIGNING):
        if not rules.signatures_due_reminder(p.start_date, today):
            continue
        missing = signing.missing_signatories(p)
        if missing:
            services.open_task_once(p, title=f"Signatures manquantes : {p.reference} commence le "
                                             f"{p.start_date:%d/%m/%Y}", due_on=today)
        topic = f"pmsmp:{p.id}:rappel-signatures:{p.start_date.isoformat()}"
        if not missing or already_queued(topic):
            continue
        for who in missing:
            queue(who.email, f"Rappel : convention PMSMP à signer avant le {p.start_date:%d/%m/%Y}",
                  "pmsmp_sign_request.txt", topic=f"pmsmp:{p.id}:{who.role}:rappel-{p.start_date.isoformat()}",
                  placement=p, who=who, url=signing.sign_url(p, who), days=30,
                  reason=f"La période commence le {p.start_date:%d/%m/%Y} et votre signature manque encore.")
        queue(p.counsellor.email, f"Signatures manquantes : {p.reference}", "pmsmp_signature_reminder.txt",
              topic=topic, placement=p, missing=missing,
              url=signing.external_url("pmsmp.show_placement", placement_id=p.id))
        sent += 1
    return sent


def remind_validation(today: date) -> int:
    """Once a week while a fully signed convention waits for the counsellor."""
    sent = 0
    week = today.isocalendar()
    for p in queries.in_status([rules.TO_VALIDATE]):
        services.open_task_once(p, title=f"Convention à valider : {p.reference}, toutes les signatures sont là",
                                due_on=today)
        topic = f"pmsmp:{p.id}:a-valider:{week.year}-S{week.week}"
        if already_queued(topic):
            continue
        queue(p.counsellor.email, f"Rappel : convention PMSMP à valider ({p.reference})", "pmsmp_to_validate.txt",
              topic=topic, placement=p, url=signing.external_url("pmsmp.show_placement", placement_id=p.id))
        sent += 1
    return sent


def request_assessments(today: date) -> int:
    """The latest step due (end date, J+3, J+10) that was not sent yet, for each convention."""
    sent = 0
    for p in queries.in_status([rules.VALIDATED]):
        if p.assessment is not None:
            continue
        due = [step for step in rules.ASSESSMENT_REMINDER_DAYS if today >= p.end_date + timedelta(days=step)]
        if due and due[-1] == rules.ASSESSMENT_REMINDER_DAYS[-1]:
            services.open_task_once(p, title=f"Bilan en retard : {p.reference}, terminée le {p.end_date:%d/%m/%Y}",
                                    due_on=today)
        if due and not already_queued(f"pmsmp:{p.id}:bilan:J{due[-1]}"):
            signing.send_assessment_request(p, step=due[-1])
            sent += 1
    return sent


def lapse(today: date) -> int:
    count = 0
    for p in queries.in_status([rules.DRAFT, *rules.SIGNING, rules.TO_VALIDATE]):
        if services.lapse_placement(p, today):
            services.open_task_once(p, title=f"Convention devenue caduque : {p.reference}, non validée 30 jours "
                                             "après sa fin", due_on=today)
            signing.notify_parties(p, "pmsmp_closed.txt", f"Convention PMSMP caduque : {p.reference}",
                                   topic="caduque")
            count += 1
    return count


@job("pmsmp")
def run(today: date) -> str:
    """One line for the reminders report."""
    return (f"PMSMP : {remind_signatures(today)} rappel(s) de signature, {remind_validation(today)} validation(s) "
            f"en attente, {request_assessments(today)} demande(s) de bilan, {lapse(today)} convention(s) caduque(s)")
