"""The counsellor's home: tasks, needs to review, positionings, difficulties, PMSMP, idle offers without
an account; each their own (or nobody's yet), each linking to where it is done."""

from datetime import date, timedelta

from sqlalchemy import update

from crm.employers.home import tasks_due
from crm.followup import services as followup
from crm.followup.home import check_ins_to_make, trouble_check_ins
from crm.followup.rules import YOUTH
from crm.matching.home import awaiting_counsellor
from crm.offers.home import idle_offers_without_account, needs_to_review
from crm.offers.models import Offer
from crm.pmsmp import services as pmsmp
from crm.pmsmp import signing
from crm.pmsmp.home import waiting_on_counsellor
from crm.pmsmp.links import SIGN, make_link_token
from portal.extensions import db
from portal.home.widgets import count_of
from portal.models import utcnow


def test_tasks_overdue_and_today_are_the_counsellors_own(client, auth, make):
    me, colleague = make.counsellor(), make.counsellor()
    today = date.today()
    late = make.task(me, title="Rappeler la coutellerie", due_on=today - timedelta(days=3))
    make.task(me, title="Préparer le forum", due_on=today)
    make.task(me, title="Plus tard", due_on=today + timedelta(days=3))
    make.task(me, title="Déjà faite", due_on=today - timedelta(days=1), done_at=utcnow())
    make.task(colleague, title="Celle d'un collègue", due_on=today - timedelta(days=3))
    assert [t.title for t in db.session.scalars(tasks_due(me, today))] == ["Rappeler la coutellerie",
                                                                          "Préparer le forum"]
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert f"en retard, échéance {late.due_on:%d/%m/%Y}" in page
    assert "Plus tard" not in page and "Celle d&#39;un collègue" not in page


def test_needs_to_review_leave_out_unconfirmed_public_ones_and_other_counsellors(client, auth, make):
    me, colleague = make.counsellor(), make.counsellor()
    mine = make.offer(title="Besoin du compte employeur", status="soumise", counsellor_id=me.id)
    make.offer(title="Besoin public confirmé", status="soumise", source="formulaire_public",
               confirmed_at=utcnow())
    make.offer(title="Besoin public non confirmé", status="soumise", source="formulaire_public")
    make.offer(title="Besoin d'un collègue", status="soumise", counsellor_id=colleague.id)
    make.offer(title="Déjà publié", status="publiee")
    assert sorted(o.title for o in db.session.scalars(needs_to_review(me))) == [
        "Besoin du compte employeur", "Besoin public confirmé"]
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/offres/{mine.id}"' in page and "Besoin public non confirmé" not in page


def test_positionings_waiting_on_the_counsellor(make):
    me = make.counsellor()
    offer = make.offer(counsellor_id=me.id)
    kept = make.positioning(offer, status="retenue")
    meet = make.positioning(offer, status="entretien", employer_answered_at=utcnow())
    make.positioning(offer, status="proposee")  # waits on the employer
    make.positioning(make.offer(counsellor_id=make.counsellor().id), status="retenue")
    assert {p.id for p in db.session.scalars(awaiting_counsellor(me))} == {kept.id, meet.id}


def test_check_ins_reporting_a_difficulty_come_apart(client, auth, make):
    me = make.counsellor()
    hire = make.hire(me, youth=make.followup_youth(referent_id=me.id), start_on=date.today() - timedelta(days=10))
    first = hire.check_ins[0]
    followup.answer_check_in(None, first, YOUTH, in_post=True, satisfaction="peu_satisfait", difficulties=True,
                             comment="Pas de bus le matin.", today=date.today())
    today = date.today()
    assert [c.id for c in db.session.scalars(trouble_check_ins(me, today))] == [first.id]
    assert first.id not in [c.id for c in db.session.scalars(check_ins_to_make(me, today))]
    assert count_of(trouble_check_ins(make.counsellor(), today)) == 0
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert "Suivis signalant une difficulté" in page and f'href="/suivis/points/{first.id}"' in page


def test_placements_waiting_on_a_signature_a_validation_or_an_assessment(client, auth, make):
    me = make.counsellor()
    draft = make.placement(me)
    to_sign = make.placement(me)
    signing.send_for_signature(me, to_sign)
    ended = make.placement(me)
    signing.send_for_signature(me, ended)
    for who in signing.missing_signatories(ended):
        signing.sign_by_link(make_link_token(SIGN, ended.id, who.role, who.email), ip=None, user_agent=None)
    pmsmp.validate_placement(me, ended)
    length = ended.end_date - ended.start_date
    ended.start_date = date.today() - timedelta(days=20)
    ended.end_date = ended.start_date + length
    db.session.flush()
    found = {p.id for p in db.session.scalars(waiting_on_counsellor(me, date.today()))}
    assert found == {to_sign.id, ended.id} and draft.id not in found
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert "bilan à faire" in page and "en attente de signature" in page


def test_idle_offers_of_companies_without_an_employer_account(make):
    me = make.counsellor()
    employer = make.employer()
    alone = make.offer(title="Sans compte")
    followed = make.offer(employer.company, title="Avec compte")
    for offer in (alone, followed):
        db.session.execute(update(Offer).where(Offer.id == offer.id)
                           .values(updated_at=utcnow() - timedelta(days=50)))
    assert [o.title for o in db.session.scalars(idle_offers_without_account(me, date.today()))] == ["Sans compte"]
