"""Demo conventions: one in every status, a minor with a legal representative, a renewal."""

from datetime import date, time, timedelta

from sqlalchemy import select

from crm.pmsmp import convention, rules, services, signing
from crm.pmsmp.links import SIGN, make_link_token
from crm.pmsmp.timetable import Period
from crm.youth.models import YouthProfile
from portal.access import COUNSELLOR
from portal.demo import DemoContext, seeder
from portal.extensions import db

WEEK = [Period(d, time(8, 30), time(12)) for d in range(5)] + [Period(d, time(13, 30), time(17)) for d in range(5)]


def _youth(first: str, last: str, birth: date, email: str) -> YouthProfile:
    youth = YouthProfile(first_name=first, last_name=last, birth_date=birth, commune_code="63430", email=email)
    db.session.add(youth)
    db.session.flush()
    return youth


def _values(ctx: DemoContext, youth: YouthProfile, start: date, days: int, n: int, **extra) -> dict:
    values = {
        "youth_email": youth.email, "youth_phone": f"06 12 34 56 7{n % 10}", "company_id": ctx.company.id,
        "counsellor_id": ctx.users[COUNSELLOR].id, "tutor_name": "Marc Dumas", "tutor_job": "Chef d'atelier",
        "tutor_email": f"tuteur{n}@coutellerie-dumas.test", "tutor_phone": "04 73 80 12 34",
        "objective": "decouvrir", "appellation_code": "13810",
        "activities": "Découverte de l'atelier, émouleur, montage et affûtage de couteaux de poche.",
        "skills": "Respect des consignes de sécurité, précision du geste, ponctualité.",
        "start_date": start, "end_date": start + timedelta(days=days - 1),
        "place_address": "12 rue de la Coutellerie", "place_commune_code": "63430",
        "work_conditions": "Atelier chauffé, station debout, pauses à 10 h et 15 h 30.",
        "protection": "Gants anti-coupure et lunettes fournis ; consignes de sécurité expliquées le premier jour.",
        "insurer": "MAAF Pro", "insurance_policy": "RC-2026-0042", "accident_declarer": "prescripteur",
        "renewal_of_id": None, "renewal_reason": None, "representatives": [], "periods": WEEK,
    }
    values.update(extra)
    return values


def _sign(p, roles=None) -> None:
    for who in convention.signatories(p):
        if roles is None or who.role in roles:
            signing.sign_by_link(make_link_token(SIGN, p.id, who.role, who.email), ip="192.0.2.10",
                                 user_agent="Démo Maillage")


def _shift(p, start: date) -> None:
    # Demo only: conventions already lived through are drafted in the future, then moved to their dates.
    length = p.end_date - p.start_date
    p.start_date, p.end_date = start, start + length


@seeder(30)
def seed_placements(ctx: DemoContext) -> None:
    if ctx.company is None or db.session.scalar(select(db.func.count()).select_from(services.Placement)):
        return
    actor = ctx.users[COUNSELLOR]
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    people = [_youth(*row) for row in (
        ("Inès", "Roux", date(today.year - 17, 3, 2), "ines.roux@exemple.test"),
        ("Thomas", "Girard", date(today.year - 19, 6, 11), "thomas.girard@exemple.test"),
        ("Camille", "Fabre", date(today.year - 21, 9, 23), "camille.fabre@exemple.test"),
        ("Yanis", "Mercier", date(today.year - 20, 1, 5), "yanis.mercier@exemple.test"),
        ("Chloé", "Blanc", date(today.year - 22, 11, 30), "chloe.blanc@exemple.test"),
    )]
    minor, thomas, camille, yanis, chloe = people
    minor_week = [Period(d, time(9), time(12)) for d in range(5)] + [Period(d, time(13, 30), time(16, 30))
                                                                    for d in range(5)]

    def make(youth, start, days, n, **extra):
        p, _ = services.create_placement(actor, youth=youth, today=today, **_values(ctx, youth, start, days, n, **extra))
        return p

    # the minor, with a legal representative, partly signed
    p = make(minor, monday + timedelta(days=14), 12, 1, periods=minor_week, representatives=[
        {"name": "Sandrine Roux", "link": "Mère", "email": "sandrine.roux@exemple.test", "phone": "06 98 76 54 32"}])
    signing.send_for_signature(actor, p)
    _sign(p, {rules.LEGAL_REP_1})
    make(thomas, monday + timedelta(days=21), 5, 2)  # brouillon
    p = make(camille, monday + timedelta(days=7), 10, 3, objective="confirmer")
    signing.send_for_signature(actor, p)  # à signer
    p = make(yanis, monday, 5, 4, objective="recruter")
    signing.send_for_signature(actor, p)
    _sign(p)  # à valider
    # validated, finished with a job, and its renewal
    done = make(chloe, monday + timedelta(days=35), 12, 5, objective="confirmer")
    signing.send_for_signature(actor, done)
    _sign(done)
    services.validate_placement(actor, done)
    _shift(done, monday - timedelta(days=28))
    services.record_assessment(actor, done, today=today, filled_by_role="conseiller", filled_by_name=actor.display_name,
                               outcome="complete", hours_done=done.planned_hours, ended_with_job=False,
                               skills_observed="Geste précis, bonne écoute.", employer_feedback="Très motivée.",
                               youth_agrees=True)
    renewal = make(chloe, monday + timedelta(days=7), 10, 6, objective="confirmer", renewal_of_id=done.id,
                   renewal_reason="Le montage des couteaux de poche demande encore une à deux semaines de pratique.")
    signing.send_for_signature(actor, renewal)
    _sign(renewal)
    services.validate_placement(actor, renewal)  # validée (renouvellement)
    # validated, ended last week, its assessment still to do (on the counsellor's home)
    p = make(yanis, monday + timedelta(days=63), 5, 10, objective="decouvrir")
    signing.send_for_signature(actor, p)
    _sign(p)
    services.validate_placement(actor, p)
    _shift(p, monday - timedelta(days=14))
    # annulée, refusée, caduque
    p = make(thomas, monday + timedelta(days=42), 5, 7, objective="recruter")
    signing.send_for_signature(actor, p)
    _sign(p)
    services.validate_placement(actor, p)
    services.cancel_placement(actor, p, reason="Thomas a signé un CDD ailleurs avant le début de la période.")
    p = make(camille, monday + timedelta(days=49), 5, 8)
    services.refuse_placement(actor, p, reason="Le poste proposé ne correspond pas au projet de Camille.")
    p = make(yanis, monday + timedelta(days=56), 5, 9)
    signing.send_for_signature(actor, p)
    _shift(p, monday - timedelta(days=70))
    services.lapse_placement(p, today)
