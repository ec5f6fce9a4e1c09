"""Home to-dos of the follow-up: the employer's check-ins to answer, the counsellor's check-ins to make
and those reporting a difficulty."""

from flask import url_for

from crm.followup.models import CheckIn
from crm.followup.queries import employer_check_ins, follow_up_queue, trouble_reported
from portal.access import COUNSELLOR, EMPLOYER
from portal.home.widgets import OVERDUE, SOON, TODAY, Row, from_query, todo
from portal.text import date_fr


def unanswered_check_ins(user, today):
    """The employer's check-ins due and not answered yet (the « suivis de recrutement » list, unanswered)."""
    return employer_check_ins(user, today=today).where(CheckIn.employer_answered_at.is_(None))


def trouble_check_ins(user, today):
    """The counsellor's open check-ins on which a side reported trouble (the head of « mes suivis »)."""
    return follow_up_queue(user, today=today, mine=True, horizon_days=366).where(trouble_reported())


def check_ins_to_make(user, today):
    """The counsellor's other open check-ins due by a week from now (« mes suivis »)."""
    return follow_up_queue(user, today=today, mine=True).where(~trouble_reported())


def _label(c: CheckIn) -> str:
    return f"{c.label or 'Point de suivi'} : {c.hire.youth.full_name} chez {c.hire.company.name}"


@todo((EMPLOYER,))
def employer_check_ins_todo(user, today):
    url = url_for("followup.list_employer_check_ins")
    return from_query(
        unanswered_check_ins(user, today),
        lambda c: Row(f"Comment se passe le recrutement de {c.hire.youth.full_name} ?",
                      url_for("followup.answer_employer_check_in", check_in_id=c.id), f"depuis le {date_fr(c.due_on)}"),
        key="suivis", title="Points de suivi à compléter", urgency=TODAY,
        link=("Voir tous les suivis", url),
        empty="Après chaque embauche, la Mission Locale vous demandera ici comment se passe l'intégration.")


@todo((COUNSELLOR,))
def trouble_todo(user, today):
    return from_query(
        trouble_check_ins(user, today),
        lambda c: Row(_label(c), url_for("followup.record_check_in", check_in_id=c.id),
                      f"prévu le {date_fr(c.due_on)}", late=c.due_on < today),
        key="difficultes", title="Suivis signalant une difficulté", urgency=OVERDUE,
        link=("Voir mes suivis", url_for("followup.list_follow_ups")),
        empty="Aucune difficulté signalée, ni par les employeurs ni par les jeunes.")


@todo((COUNSELLOR,))
def check_ins_todo(user, today):
    todo_ = from_query(
        check_ins_to_make(user, today),
        lambda c: Row(_label(c), url_for("followup.record_check_in", check_in_id=c.id),
                      ("en retard, prévu le " if c.due_on < today else "prévu le ") + date_fr(c.due_on),
                      late=c.due_on < today),
        key="points-de-suivi", title="Points de suivi à faire cette semaine", urgency=SOON,
        link=("Voir mes suivis", url_for("followup.list_follow_ups")),
        empty="Les points de suivi J+7, J+30 et J+90 de vos embauches apparaîtront ici.")
    if any(r.late for r in todo_.rows):
        todo_.urgency = OVERDUE
    return todo_
