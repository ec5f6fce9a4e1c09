"""Follow-up reminders, run by `flask reminders run`: check-ins due (one digest per counsellor and day)
and answer links still unanswered after five days (one reminder with a fresh link)."""

from datetime import date, datetime, time, timedelta
from itertools import groupby

from crm.followup import answers, queries, rules
from portal.background import public_url
from portal.notifications.services import already_queued, queue
from portal.reminders import job


@job("suivis post-embauche")
def remind_follow_ups(today: date) -> str:
    """E-mail each counsellor the check-ins due today or late; remind both sides of unanswered links."""
    digests = 0
    for counsellor, rows in groupby(queries.due_check_ins(today), key=lambda c: c.hire.counsellor):
        check_ins = list(rows)
        topic = f"followup-due-{counsellor.id}-{today.isoformat()}"
        if counsellor.email and counsellor.active and not already_queued(topic):
            queue(counsellor.email, f"{len(check_ins)} suivi(s) post-embauche à faire", "followup_due.txt",
                  topic=topic, counsellor=counsellor, check_ins=check_ins,
                  url=public_url("followup.list_follow_ups"))
            digests += 1
    sent_before = datetime.combine(today - timedelta(days=rules.LINK_REMINDER_DAYS), time.max)
    reminded = sum(answers.remind_answer_link(check_in, side)
                   for side in rules.SIDES for check_in in queries.open_links(sent_before=sent_before, side=side))
    return f"{digests} récapitulatif(s) envoyé(s) aux conseiller·ères, {reminded} relance(s) de lien de réponse"
