"""Follow-up use cases: hires and their check-ins, answers by link, mediation, ruptures, retention."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.employers.models import Task
from crm.followup import answers, corrections, queries, services
from crm.followup.models import CheckIn, CheckInScheduleDefault, Hire
from crm.followup.rules import EMPLOYER, YOUTH, mediation_due_on
from portal.accounts.tokens import TokenError
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage

TODAY = date.today()


def _actions(obj_type: str) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == obj_type)))


def test_manual_hire_gets_its_schedule_and_is_audited(make):
    hire = make.hire(contract_type="cdd", start_on=date(2026, 3, 2), end_on=date(2026, 9, 1),
                     trial_end_on=date(2026, 3, 20), hours_per_week=35)
    assert [(c.due_on, c.label) for c in hire.check_ins] == [
        (date(2026, 3, 9), "J+7"), (date(2026, 3, 20), "Fin de période d'essai"),
        (date(2026, 4, 1), "J+30"), (date(2026, 5, 31), "J+90")]
    assert hire.counsellor_id == hire.youth.referent_id
    assert "hire.create" in _actions("Hire")


def test_admin_schedule_defaults_apply_to_new_hires(make):
    admin = make.admin()
    services.save_schedule_defaults(admin, {"cdi": ("15, 60", False)})
    hire = make.hire(contract_type="cdi", start_on=date(2026, 3, 2), trial_end_on=date(2026, 4, 30))
    assert [c.label for c in hire.check_ins] == ["J+15", "J+60"]
    assert db.session.get(CheckInScheduleDefault, "cdi").offsets == [15, 60]


def test_wrong_schedule_defaults_save_nothing(make):
    with pytest.raises(DomainError) as error:
        services.save_schedule_defaults(make.admin(), {"cdi": ("15", True), "cdd": ("demain", True)})
    assert error.value.field == "offsets_cdd"
    assert db.session.scalar(select(func.count()).select_from(CheckInScheduleDefault)) == 0


def test_hire_dates_in_the_wrong_order_save_nothing(make):
    before = db.session.scalar(select(func.count(Hire.id)))
    with pytest.raises(DomainError) as error:
        make.hire(contract_type="cdd", start_on=date(2026, 3, 2), end_on=date(2026, 2, 1))
    assert error.value.message == "La date de fin doit être postérieure à la date de début."
    assert db.session.scalar(select(func.count(Hire.id))) == before


def _positioning(make, *, contract_type="cdd", end_on=date(2026, 12, 31)):
    from crm.matching.models import Positioning
    from crm.offers.models import Offer

    company = make.company(email="rh@exemple.test")
    offer = Offer(company_id=company.id, title="Opérateur de coutellerie", appellation_code="11573",
                  rome_code="H2909", rome_family="H29", contract_type=contract_type, work_commune_code="63430",
                  start_on=date(2026, 6, 1), end_on=end_on, status="publiee")
    db.session.add(offer)
    db.session.flush()
    positioning = Positioning(offer_id=offer.id, youth_id=make.followup_youth().id, status="entretien")
    db.session.add(positioning)
    db.session.flush()
    return positioning


def test_hire_from_a_positioning_creates_its_check_ins(make):
    from crm.matching import services as matching

    positioning = _positioning(make)
    matching.mark_hired(make.counsellor(), positioning, note="Signé", trial_end_on=date(2026, 6, 20))
    hire = db.session.scalar(select(Hire).where(Hire.positioning_id == positioning.id))
    assert hire is not None
    assert (hire.source, hire.contract_type, hire.start_on, hire.end_on) == (
        "positionnement", "cdd", date(2026, 6, 1), date(2026, 12, 31))
    assert hire.offer_id == positioning.offer_id and hire.job_title == "Opérateur de coutellerie"
    assert [c.label for c in hire.check_ins] == ["J+7", "Fin de période d'essai", "J+30", "J+90"]


def test_a_positioning_is_hired_once(make):
    positioning = _positioning(make)
    services.hire_from_positioning(make.counsellor(), positioning, {})
    with pytest.raises(DomainError, match="déjà donné lieu"):
        services.hire_from_positioning(make.counsellor(), positioning, {})


def test_pmsmp_entry_point_keeps_the_placement(make):
    class Placement:
        id = 4242

    hire = make.hire(source="pmsmp", placement=Placement(), contract_type="apprentissage",
                     start_on=date(2026, 9, 1), end_on=date(2028, 8, 31))
    assert (hire.source, hire.placement_id) == ("pmsmp", 4242)
    assert [c.label for c in hire.check_ins] == ["J+7", "J+30", "J+90", "J+180"]


def test_employer_difficulty_by_link_opens_mediation_task_for_referent(make):
    hire = make.hire()
    check_in = hire.check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, EMPLOYER)
    token = answers.make_answer_token(check_in, EMPLOYER)
    found, side = answers.read_answer_token(token)
    assert (found.id, side) == (check_in.id, EMPLOYER)
    answers.answer_check_in(None, check_in, EMPLOYER, in_post=True, satisfaction="peu_satisfait",
                            difficulties=True, comment="Retards répétés le matin.", today=date(2026, 3, 6))
    task = db.session.get(Task, check_in.mediation_task_id)
    assert task.assignee_id == hire.youth.referent_id
    assert task.due_on == mediation_due_on(date(2026, 3, 6)) == date(2026, 3, 10)
    assert (task.subject_type, task.subject_id, task.company_id) == ("Hire", hire.id, hire.company_id)
    assert "difficulté signalée par l'employeur" in task.title
    assert check_in.employer_answered_by == "lien personnel (employeur)"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "check_in.answer"))
    assert event.actor_label == "lien personnel (employeur)"
    with pytest.raises(TokenError, match="déjà été utilisé"):
        answers.read_answer_token(token)


def test_a_new_link_retires_the_previous_one(make):
    hire = make.hire()
    check_in = hire.check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, YOUTH)
    first = answers.make_answer_token(check_in, YOUTH)
    answers.send_answer_link(make.counsellor(), check_in, YOUTH)
    with pytest.raises(TokenError, match="remplacé"):
        answers.read_answer_token(first)
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == hire.youth.email)) == 2


def test_no_address_no_link(make):
    hire = make.hire(youth=make.followup_youth(email=None))
    with pytest.raises(DomainError, match="Aucune adresse électronique"):
        answers.send_answer_link(make.counsellor(), hire.check_ins[0], YOUTH)


def test_tampered_token_is_refused(app):
    with pytest.raises(TokenError, match="pas valide"):
        answers.read_answer_token("abc.def.ghi")


def test_expired_token(make, monkeypatch):
    hire = make.hire()
    check_in = hire.check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, YOUTH)
    token = answers.make_answer_token(check_in, YOUTH)
    monkeypatch.setattr("crm.followup.rules.LINK_MAX_AGE_DAYS", -1)
    with pytest.raises(TokenError, match="expiré"):
        answers.read_answer_token(token)


def test_youth_all_good_answer_opens_no_task(make):
    hire = make.hire()
    check_in = hire.check_ins[0]
    answers.answer_check_in(None, check_in, YOUTH, in_post=True, satisfaction="tres_satisfait",
                            difficulties=False, comment="")
    assert check_in.youth_answered_at is not None and check_in.mediation_task_id is None
    with pytest.raises(DomainError, match="déjà enregistrée"):
        answers.answer_check_in(None, check_in, YOUTH, in_post=True, satisfaction="satisfait",
                                difficulties=False, comment="")


def test_difficulty_needs_a_comment(make):
    check_in = make.hire().check_ins[0]
    with pytest.raises(DomainError) as error:
        answers.answer_check_in(None, check_in, EMPLOYER, in_post=False, satisfaction="pas_satisfait",
                                difficulties=True, comment=" ")
    assert error.value.field == "comment"


def test_counsellor_difficulty_opens_one_task_only(make):
    hire = make.hire()
    counsellor = make.counsellor()
    check_in = hire.check_ins[0]
    answers.answer_check_in(None, check_in, YOUTH, in_post=True, satisfaction="peu_satisfait",
                            difficulties=True, comment="Trajets trop longs")
    services.record_check_in(counsellor, check_in, channel="telephone", situation="difficulte",
                             summary="Trajet en bus de 1 h 30")
    assert db.session.scalar(select(func.count(Task.id)).where(Task.subject_type == "Hire",
                                                               Task.subject_id == hire.id)) == 1
    assert check_in.situation == "difficulte" and check_in.done_by_id == counsellor.id


def test_rupture_with_reason_cancels_future_check_ins_and_reopens(make):
    hire = make.hire(start_on=TODAY - timedelta(days=40))
    counsellor = make.counsellor()
    services.record_check_in(counsellor, hire.check_ins[0], channel="telephone", situation="en_poste",
                             summary="Tout va bien")
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=5), initiative="jeune",
                            reason="mobilite", note="Plus de voiture", reopen_positioning=True)
    assert (hire.rupture_initiative, hire.rupture_reason, hire.reopen_positioning) == ("jeune", "mobilite", True)
    assert [(c.label, c.state()) for c in hire.check_ins] == [("J+7", "fait"), ("J+30", "en_retard"),
                                                               ("J+90", "annule")]
    assert hire.check_ins[2].cancel_reason == f"Contrat rompu le {TODAY - timedelta(days=5):%d/%m/%Y}"
    assert db.session.scalar(select(Task.title).where(Task.subject_id == hire.id)).startswith(
        "Reprendre les mises en relation")
    assert "hire.rupture" in _actions("Hire")


def test_check_ins_due_after_a_rupture_are_cancelled_even_when_answered(make):
    counsellor = make.counsellor()
    hire = make.hire(youth=make.followup_youth(referent_id=counsellor.id), start_on=TODAY - timedelta(days=3))
    j7, j30, j90 = hire.check_ins
    answers.answer_check_in(None, j7, EMPLOYER, in_post=True, satisfaction="satisfait", difficulties=False,
                            comment=None)
    services.record_rupture(counsellor, hire, ended_on=TODAY, initiative="employeur", reason="sante",
                            reopen_positioning=False)
    assert [c.state_label for c in hire.check_ins] == ["Annulé", "Annulé", "Annulé"]
    assert j7.employer_satisfaction == "satisfait"  # the answer given is kept
    assert queries.due_check_ins(TODAY + timedelta(days=100)) == []
    assert db.session.scalars(queries.follow_up_queue(counsellor, today=TODAY + timedelta(days=100))).all() == []
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hire.rupture"))
    assert audit.details["cancelled_check_ins"] == 3


def test_a_rupture_withdrawn_brings_its_check_ins_back_and_corrections_respect_them(make):
    counsellor = make.counsellor()
    hire = make.hire(youth=make.followup_youth(referent_id=counsellor.id), start_on=TODAY - timedelta(days=10))
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=1), initiative="jeune",
                            reason="sante", reopen_positioning=False)
    # correcting the contract of a ruptured hire does not plan the cancelled check-ins again
    corrections.correct_hire(counsellor, hire, version=hire.version, contract_type="cdi",
                             start_on=hire.start_on - timedelta(days=1), end_on=None, trial_end_on=None,
                             hours_per_week=None, appellation_code=None, job_title="Vendeur")
    assert [c.state() for c in hire.check_ins] == ["en_retard", "annule", "annule"]
    with pytest.raises(DomainError, match="rompu"):
        services.record_check_in(counsellor, hire.check_ins[1], channel="telephone", situation="en_poste",
                                 summary="Appel")
    assert corrections.undo_rupture(counsellor, hire) == 2
    assert hire.ended_on is None and hire.rupture_reason is None
    assert [c.state() for c in hire.check_ins] == ["en_retard", "a_venir", "a_venir"]
    assert all(c.cancel_reason is None for c in hire.check_ins)
    assert "hire.undo_rupture" in _actions("Hire")
    with pytest.raises(DomainError, match="Aucune rupture"):
        corrections.undo_rupture(counsellor, hire)


def test_rupture_without_reason_saves_nothing(make):
    hire = make.hire()
    with pytest.raises(DomainError) as error:
        services.record_rupture(make.counsellor(), hire, ended_on=TODAY, initiative="employeur", reason=None,
                                reopen_positioning=False)
    assert error.value.field == "reason"
    assert hire.ended_on is None and len(hire.check_ins) == 3


def test_check_in_on_an_ended_hire_is_refused(make):
    hire = make.hire()
    counsellor = make.counsellor()
    services.record_rupture(counsellor, hire, ended_on=TODAY, initiative="commun_accord",
                            reason="autre_emploi_formation", reopen_positioning=False)
    with pytest.raises(DomainError, match="rompu"):
        services.record_check_in(counsellor, hire.check_ins[0], channel="telephone", situation="en_poste",
                                 summary="Appel")
    with pytest.raises(DomainError, match="rompu"):
        services.add_check_in(counsellor, hire, due_on=TODAY)


def test_check_in_situation_rupture_needs_its_details(make):
    hire = make.hire()
    check_in = hire.check_ins[0]
    with pytest.raises(DomainError) as error:
        services.record_check_in(make.counsellor(), check_in, channel="visite", situation="rupture",
                                 summary="Il a quitté l'entreprise", rupture={"ended_on": TODAY,
                                                                              "initiative": "jeune"})
    assert error.value.field == "reason"
    assert check_in.done_at is None and hire.ended_on is None


def test_mediation_is_logged(make):
    hire = make.hire()
    counsellor = make.counsellor()
    services.log_mediation(counsellor, hire, kind="rencontre_tripartite", occurred_on=TODAY,
                           note="Rencontre avec la tutrice : horaires aménagés")
    assert [m.kind_label for m in hire.mediations] == ["Rencontre tripartite"]
    with pytest.raises(DomainError) as error:
        services.log_mediation(counsellor, hire, kind="autre", occurred_on=TODAY + timedelta(days=3), note="x")
    assert error.value.field == "occurred_on"


def test_follow_up_queue_puts_difficulties_first(make):
    counsellor = make.counsellor()
    youth = [make.followup_youth(referent_id=counsellor.id) for _ in range(3)]
    overdue = make.hire(youth=youth[0], start_on=TODAY - timedelta(days=10))  # J+7 three days late
    due = make.hire(youth=youth[1], start_on=TODAY - timedelta(days=5))  # J+7 in two days
    troubled = make.hire(youth=youth[2], start_on=TODAY - timedelta(days=4))  # J+7 in three days
    answers.answer_check_in(None, troubled.check_ins[0], EMPLOYER, in_post=True, satisfaction="pas_satisfait",
                            difficulties=True, comment="Conflit avec l'équipe")
    other = make.hire(start_on=TODAY - timedelta(days=10))  # someone else's
    ordered = list(db.session.scalars(queries.follow_up_queue(counsellor, today=TODAY)))
    assert [c.hire_id for c in ordered] == [troubled.id, overdue.id, due.id]
    everyone = list(db.session.scalars(queries.follow_up_queue(counsellor, today=TODAY, mine=False)))
    assert other.id in {c.hire_id for c in everyone}


def test_scopes(make):
    hire = make.hire()
    own = make.employer(company_id=hire.company_id)
    stranger = make.employer()
    check_in_id = hire.check_ins[0].id
    assert queries.get_check_in_for(own, check_in_id) is not None
    assert queries.get_check_in_for(stranger, check_in_id) is None
    assert queries.get_hire_for(make.partner_user(), hire.id) is None
    assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.hire_id == hire.id)) == 3
