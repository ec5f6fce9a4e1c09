"""PMSMP use cases: drafting, signing by link, substantive vs cosmetic edits, validation, closing."""

import contextlib
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from crm.pmsmp import convention, rules, services, signing
from crm.pmsmp.links import LinkError
from crm.pmsmp.models import Placement, PlacementStatusChange
from crm.pmsmp.timetable import Period
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage

TODAY = date.today()


def outbox(recipient=None):
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        stmt = stmt.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(stmt))


def token_in(message) -> str:
    line = next(x for x in message.body.splitlines() if "/pmsmp/" in x)
    return line.strip().rsplit("/", 1)[1]


def minor(make):
    start = date.today() + timedelta(days=7 - date.today().weekday())
    return make.pmsmp_youth(birth_date=date(start.year - 17, 1, 15))


def test_create_draft_records_status_log_and_audit(make):
    p = make.placement()
    assert p.status == "brouillon" and p.reference.startswith("PMSMP-")
    assert len(p.periods) == 10 and p.weekly_hours == 35
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pmsmp.create",
                                                      AuditEvent.object_id == str(p.id))) is not None


def test_blocking_rule_refuses_and_writes_nothing(make):
    youth = make.pmsmp_youth()
    counsellor = make.counsellor()
    values = make.pmsmp_values(youth=youth, counsellor=counsellor)
    values["end_date"] = values["start_date"] + timedelta(days=30)  # 31 days
    before = db.session.scalar(select(db.func.count(Placement.id)))
    with pytest.raises(services.ConventionRefused) as exc:
        services.create_placement(counsellor, youth=youth, today=TODAY, **values)
    assert "31 jours calendaires" in exc.value.message and exc.value.field == "end_date"
    assert db.session.scalar(select(db.func.count(Placement.id))) == before


def test_minor_needs_a_legal_representative_and_a_legal_schedule(make):
    youth = minor(make)
    counsellor = make.counsellor()
    values = make.pmsmp_values(youth=youth, counsellor=counsellor,
                               periods=[Period(0, time(8), time(17, 30))])
    with pytest.raises(services.ConventionRefused) as exc:
        services.create_placement(counsellor, youth=youth, today=TODAY, **values)
    rules_hit = {p.rule for p in exc.value.problems}
    assert rules_hit == {"mineur_duree", "representant_legal"}


def test_duplicate_is_refused(make):
    counsellor = make.counsellor()
    first = make.placement(actor=counsellor)
    values = make.pmsmp_values(youth=first.youth, counsellor=counsellor, company=first.company)
    with pytest.raises(services.ConventionRefused) as exc:
        services.create_placement(counsellor, youth=first.youth, today=TODAY, **values)
    assert exc.value.problems[0].rule == "doublon" and first.reference in exc.value.message


def sign_all(p):
    for message in outbox():
        if f"pmsmp:{p.id}:" in (message.topic or "") and "Convention PMSMP à signer" in message.subject:
            with contextlib.suppress(LinkError):
                signing.sign_by_link(token_in(message), ip="203.0.113.5", user_agent="Firefox")


def test_send_sign_validate_and_reused_link(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    assert signing.send_for_signature(counsellor, p) == 2
    mails = outbox(p.tutor_email)
    assert len(mails) == 1 and "Structure d'accueil (tuteur)" in mails[0].body
    token = token_in(mails[0])
    _, signature = signing.sign_by_link(token, ip="203.0.113.5", user_agent="Firefox")
    assert p.status == "signee_partiellement"
    assert signature.content_hash == convention.content_hash(p) and signature.ip_address == "203.0.113.5"
    with pytest.raises(LinkError, match="déjà signé"):
        signing.sign_by_link(token, ip=None, user_agent=None)
    with pytest.raises(DomainError, match="validée qu'une fois signée"):
        services.validate_placement(counsellor, p)
    sign_all(p)
    assert p.status == "a_valider"
    assert any("à valider" in m.subject for m in outbox(counsellor.email))
    services.validate_placement(counsellor, p)
    assert p.status == "validee" and p.validated_hash == convention.content_hash(p)
    assert [c.to_status for c in db.session.scalars(select(PlacementStatusChange).where(
        PlacementStatusChange.placement_id == p.id).order_by(PlacementStatusChange.id))] == [
        "brouillon", "a_signer", "signee_partiellement", "a_valider", "validee"]


def test_tampered_link_is_refused(make, app):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    token = token_in(outbox(p.tutor_email)[0])
    with pytest.raises(LinkError, match="mal copié ou modifié"):
        signing.sign_by_link(token[:-3] + "abc", ip=None, user_agent=None)
    assert p.active_signatures == []


def _edit(p, actor, **changes):
    values = {name: getattr(p, name) for name in convention.CONVENTION_FIELDS}
    values["periods"] = p.schedule
    values["representatives"] = [{"name": r.name, "link": r.link, "email": r.email, "phone": r.phone}
                                 for r in p.representatives]
    values.update(changes)
    return services.update_placement(actor, p, youth=p.youth, today=TODAY, version=p.version, **values)


def test_schedule_change_after_two_signatures_clears_them(make):
    counsellor = make.counsellor()
    youth = minor(make)
    p = make.placement(actor=counsellor, youth=youth, representatives=[
        {"name": "Nadia Morel", "link": "Mère", "email": "nadia@exemple.test", "phone": None}])
    signing.send_for_signature(counsellor, p)
    for role_email in (p.tutor_email, "nadia@exemple.test"):
        signing.sign_by_link(token_in(outbox(role_email)[0]), ip=None, user_agent=None)
    assert len(p.active_signatures) == 2 and p.status == "signee_partiellement"
    changes, _ = _edit(p, counsellor, periods=[*p.schedule[:-1], Period(4, time(13), time(16))])
    assert changes.substantive == ("schedule",)
    assert p.active_signatures == [] and p.status == "a_signer"
    assert len(p.signatures) == 2 and all(s.cleared_reason == "Modification : emploi du temps" for s in p.signatures)
    again = outbox("nadia@exemple.test")[-1]
    assert "La convention a été modifiée (emploi du temps)" in again.body


def test_tutor_phone_fix_keeps_signatures(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    signing.sign_by_link(token_in(outbox(p.tutor_email)[0]), ip=None, user_agent=None)
    changes, _ = _edit(p, counsellor, tutor_phone="04 73 80 99 99", tutor_name="Jean Dumas.")
    assert changes.substantive == () and set(changes.cosmetic) == {"tutor_phone", "tutor_name"}
    assert len(p.active_signatures) == 1 and p.status == "signee_partiellement"


def test_resend_at_most_once_a_day(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    with pytest.raises(DomainError, match="dans les dernières 24 heures"):
        signing.resend_link(counsellor, p, rules.HOST)
    later = services.now() + timedelta(hours=25)
    signing.resend_link(counsellor, p, rules.HOST, now=later)
    assert len(outbox(p.tutor_email)) == 2


def test_employer_signs_while_logged_in(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    other = make.employer()
    with pytest.raises(DomainError):
        signing.sign_as_employer(other, p, ip=None, user_agent=None)
    mine = make.employer(company_id=p.company_id)
    signature = signing.sign_as_employer(mine, p, ip="198.51.100.1", user_agent="Edge")
    assert signature.user_id == mine.id and p.signature_for(rules.HOST) is signature


def validated(make, **kw):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor, **kw)
    signing.send_for_signature(counsellor, p)
    sign_all(p)
    services.validate_placement(counsellor, p)
    return counsellor, p


def test_cancel_only_validated_and_with_reason(make):
    counsellor = make.counsellor()
    draft = make.placement(actor=counsellor)
    with pytest.raises(DomainError, match="Seule une convention validée"):
        services.cancel_placement(counsellor, draft, reason="x")
    counsellor, p = validated(make)
    with pytest.raises(DomainError, match="motif"):
        services.cancel_placement(counsellor, p, reason="  ")
    services.cancel_placement(counsellor, p, reason="Le jeune a trouvé un emploi")
    assert p.status == "annulee" and any("annulée" in m.subject for m in outbox(p.tutor_email))


def test_refuse_with_reason(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    services.refuse_placement(counsellor, p, reason="Poste inadapté")
    assert p.status == "refusee" and p.status_reason == "Poste inadapté"
    with pytest.raises(DomainError):
        services.refuse_placement(counsellor, p, reason="encore")


def test_lapse_30_days_after_end(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    assert not services.lapse_placement(p, p.end_date + timedelta(days=29))
    assert services.lapse_placement(p, p.end_date + timedelta(days=30)) and p.status == "caduque"


def test_assessment_with_job_creates_a_hire_and_cannot_be_cancelled(make):
    counsellor, p = validated(make)
    start = p.start_date
    with pytest.raises(DomainError, match="commencée"):
        services.record_assessment(counsellor, p, today=start - timedelta(days=1), filled_by_role="conseiller",
                                   filled_by_name="X", outcome="complete", hours_done=10)
    with pytest.raises(DomainError) as exc:
        services.record_assessment(counsellor, p, today=p.end_date, filled_by_role="conseiller", filled_by_name="X",
                                   outcome="complete", hours_done=1000)
    assert exc.value.field == "hours_done"
    a = services.record_assessment(counsellor, p, today=p.end_date, filled_by_role="conseiller",
                                   filled_by_name="Karim", outcome="complete", hours_done=70,
                                   ended_with_job=True, contract_type="cdi", job_start_on=p.end_date + timedelta(3),
                                   youth_agrees=True)
    assert p.status == "terminee" and a.hire_id is not None
    from crm.followup.models import Hire

    hire = db.session.get(Hire, a.hire_id)
    assert hire.placement_id == p.id and hire.source == "pmsmp" and hire.contract_type == "cdi"
    with pytest.raises(DomainError):
        services.cancel_placement(counsellor, p, reason="trop tard")


def test_renewal_once(make):
    counsellor, first = validated(make, objective="confirmer")
    values = make.pmsmp_values(youth=first.youth, counsellor=counsellor, company=first.company,
                               objective="confirmer", renewal_of_id=first.id, renewal_reason="Gestes à consolider",
                               start_date=first.end_date + timedelta(days=3),
                               end_date=first.end_date + timedelta(days=10))
    renewal, _ = services.create_placement(counsellor, youth=first.youth, today=TODAY, **values)
    assert renewal.is_renewal
    signing.send_for_signature(counsellor, renewal)
    sign_all(renewal)
    services.validate_placement(counsellor, renewal)
    third = dict(values, renewal_of_id=renewal.id, start_date=renewal.end_date + timedelta(days=3),
                 end_date=renewal.end_date + timedelta(days=5))
    with pytest.raises(services.ConventionRefused, match="second renouvellement"):
        services.create_placement(counsellor, youth=first.youth, today=TODAY, **third)


def test_demo_has_every_status_a_minor_and_a_renewal(make):
    from crm.pmsmp.demo import seed_placements
    from portal.demo import DemoContext

    counsellor = make.counsellor()
    seed_placements(DemoContext(users={"counsellor": counsellor}, company=make.company(name="Coutellerie démo")))
    placements = list(db.session.scalars(select(Placement)))
    assert {p.status for p in placements} == set(rules.STATUSES)
    assert any(p.minor_at_start and p.representatives for p in placements)
    assert any(p.is_renewal for p in placements)
