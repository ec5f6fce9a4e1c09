"""Demo hires and the follow-up reminders job."""

from datetime import date, timedelta

from sqlalchemy import func, select

from crm.followup import answers
from crm.followup.demo import HIRES, seed_hires
from crm.followup.models import CheckIn, Hire, MediationAction
from crm.followup.reminders import remind_follow_ups
from crm.followup.rules import EMPLOYER, YOUTH
from portal.access import COUNSELLOR
from portal.demo import DemoContext
from portal.extensions import db
from portal.notifications.models import OutboxMessage


def test_demo_hires_cover_every_situation(make):
    ctx = DemoContext(users={COUNSELLOR: make.counsellor()}, company=make.company(email="rh@dumas.test"))
    for _ in range(3):
        make.company()
    seed_hires(ctx)
    assert db.session.scalar(select(func.count(Hire.id))) == HIRES
    situations = set(db.session.scalars(select(CheckIn.situation).distinct()))
    assert {"en_poste", "difficulte", "rupture"} <= situations
    assert db.session.scalar(select(func.count(Hire.id)).where(Hire.ended_on.is_not(None))) >= 3
    assert db.session.scalar(select(func.count(MediationAction.id))) >= 3
    assert db.session.scalar(select(func.count(Hire.id)).where(Hire.company_id == ctx.company.id)) >= 3
    seed_hires(ctx)  # a second run adds nothing
    assert db.session.scalar(select(func.count(Hire.id))) == HIRES


def _outbox(recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)))


def test_reminders_send_a_digest_and_remind_unanswered_links_once(make):
    counsellor = make.counsellor()
    today = date.today()
    hire = make.hire(youth=make.followup_youth(referent_id=counsellor.id), start_on=today - timedelta(days=20))
    check_in = hire.check_ins[0]  # J+7, thirteen days ago
    answers.send_answer_link(counsellor, check_in, YOUTH)
    answers.send_answer_link(counsellor, check_in, EMPLOYER)
    answers.answer_check_in(None, check_in, EMPLOYER, in_post=True, satisfaction="satisfait", difficulties=False,
                            comment="")
    later = today + timedelta(days=6)
    report = remind_follow_ups(later)
    assert report.startswith("1 récapitulatif(s)") and "1 relance(s)" in report
    digest = [m for m in _outbox(counsellor.email) if m.topic.startswith("followup-due")]
    assert len(digest) == 1 and hire.youth.full_name in digest[0].body
    assert [m.subject for m in _outbox(hire.youth.email)][-1].startswith("Rappel : ")
    assert check_in.youth_reminded_at is not None
    # run again the same day: nothing new
    assert remind_follow_ups(later).startswith("0 récapitulatif(s)")
    assert len(_outbox(hire.youth.email)) == 2
