"""The counsellor's home: tasks (needs to publish and idle offers are tasks), the team's queue, positionings,
difficulties, PMSMP; each their own, each linking to where it is done."""

from datetime import date, timedelta

from crm.employers.home import tasks_due, team_tasks
from crm.employers.models import Task
from crm.followup.answers import answer_check_in
from crm.followup.home import check_ins_to_make, trouble_check_ins
from crm.followup.rules import YOUTH
from crm.matching.queries import awaiting_counsellor
from crm.offers import services as offers
from crm.pmsmp import services as pmsmp
from crm.pmsmp import signing
from crm.pmsmp.home import waiting_on_counsellor
from crm.pmsmp.links import SIGN, make_link_token
from portal.extensions import db
from portal.models import utcnow
from tests.factories import FORGER, count_of


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


def test_a_need_an_employer_posts_is_a_task_of_the_day_linking_to_the_offer(client, auth, make):
    me = make.counsellor()
    employer = make.employer(company_id=make.company(owner_id=me.id).id)
    need = offers.create_offer(employer, company=employer.company, title="Emballeur·se", appellation_code=FORGER,
                               contract_type="cdd", hours_per_week=35, positions=1, work_commune_code="63430")
    db.session.commit()
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert "Nouveau besoin à publier : « Emballeur·se »" in page and f'href="/offres/{need.id}"' in page


def test_the_team_queue_is_the_list_it_opens(client, auth, make):
    me = make.counsellor()
    make.task(me, title="La mienne", due_on=date.today() + timedelta(days=2))
    queued = Task(title="À prendre par l'équipe", due_on=date.today(), assignee_id=None)
    db.session.add(queued)
    db.session.flush()
    assert [t.title for t in db.session.scalars(team_tasks(me, date.today()))] == ["À prendre par l'équipe"]
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert "Tâches de l&#39;équipe, à prendre" in page and 'href="/taches?pour=equipe"' in page
    listed = client.get("/taches?pour=equipe").get_data(as_text=True)
    assert "À prendre par l&#39;équipe" in listed and "La mienne" not in listed


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
    answer_check_in(None, first, YOUTH, in_post=True, satisfaction="peu_satisfait", difficulties=True,
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


def _one_of_each(make, me):
    today = date.today()
    offer = make.offer(counsellor_id=me.id)
    make.task(me, title="Relancer", due_on=today - timedelta(days=1), subject_type="Offer", subject_id=offer.id)
    make.positioning(offer, status="retenue")
    p = make.placement(me)
    signing.send_for_signature(me, p)
    hire = make.hire(me, youth=make.followup_youth(referent_id=me.id), start_on=today - timedelta(days=10))
    answer_check_in(None, hire.check_ins[0], YOUTH, in_post=True, satisfaction="peu_satisfait",
                    difficulties=True, comment="Pas de bus le matin.", today=today)


def test_the_home_reads_in_queries_that_do_not_grow_with_its_rows(client, auth, make, count_queries):
    me = make.counsellor()
    auth.login(me)
    _one_of_each(make, me)
    client.get("/")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    for _ in range(4):
        _one_of_each(make, me)
    with count_queries() as many:
        page = client.get("/").get_data(as_text=True)
    assert "Mises en relation qui attendent votre action" in page
    # each to-do counted and listed in one query (portal.home.widgets.first_and_count): 40 before
    assert many.count <= few.count <= 27, many.statements[few.count:]
