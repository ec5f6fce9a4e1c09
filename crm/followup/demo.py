"""Demo data: about sixty hires over the last year, with check-ins in every situation, answers from both
sides, a few mediations and ruptures. Runs after young people (20) and PMSMP (30)."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from crm.employers import services as employers
from crm.employers.models import Company, Task
from crm.followup import answers, rules, services
from crm.followup.models import CheckIn, Hire
from crm.followup.rules import EMPLOYER, YOUTH
from crm.youth.models import YouthProfile
from portal.access import COUNSELLOR
from portal.demo import DemoContext, seeder
from portal.extensions import db
from portal.text import search_key

HIRES = 60
FIRST_NAMES = ("Lucas", "Manon", "Enzo", "Léa", "Nathan", "Jade", "Hugo", "Lina", "Mathis", "Zoé", "Noah", "Louise",
               "Théo", "Anaïs", "Rayan", "Clara", "Maël", "Sarah", "Kylian", "Emma")
LAST_NAMES = ("Chabrier", "Vialle", "Fournet", "Gouttebel", "Brugière", "Roche", "Chassaigne", "Pacros", "Barge",
              "Mallet", "Rodier", "Faure", "Sauvadet", "Dauphin", "Bouchet")
JOBS = (("Opérateur de coutellerie", "cdi"), ("Agent de conditionnement", "interim"), ("Préparatrice de commandes", "cdd"),
        ("Apprenti boulanger", "apprentissage"), ("Serveur en restauration", "saisonnier"),
        ("Agent d'entretien des espaces verts", "contrat_aide"), ("Aide-soignante", "cdd"),
        ("Technicien de maintenance en alternance", "professionnalisation"), ("Vendeuse en boulangerie", "cdi"),
        ("Cariste", "interim"))
SAID = {
    "en_poste": ("Bonne intégration dans l'équipe, horaires tenus.", "Le tuteur est satisfait ; le jeune aussi.",
                 "Contrat prolongé envisagé par l'employeur."),
    "difficulte": ("Retards répétés liés au transport (pas de bus avant 7 h).",
                   "Tensions avec le chef d'équipe sur la cadence.", "Fatigue, horaires décalés difficiles à tenir."),
}
MEDIATIONS = (("entretien_jeune", "Point avec le jeune sur les trajets : covoiturage trouvé via la plateforme mobilité."),
              ("rencontre_tripartite", "Rencontre à trois dans l'entreprise : horaires aménagés la première semaine."),
              ("orientation_partenaire", "Orientation vers Mobilité Solidaire pour la location d'un scooter."))


def _youth_pool(rng: random.Random, counsellor_id: int, needed: int) -> list[YouthProfile]:
    pool = list(db.session.scalars(select(YouthProfile).where(YouthProfile.archived_at.is_(None))
                                   .order_by(YouthProfile.id).limit(needed)))
    today = date.today()
    while len(pool) < needed:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        youth = YouthProfile(first_name=first, last_name=last, birth_date=date(today.year - rng.randint(17, 24),
                                                                               rng.randint(1, 12), rng.randint(1, 28)),
                             commune_code=rng.choice(("63430", "63125", "63178", "63284", "63402")),
                             email=f"{search_key(first).strip()}.{search_key(last).strip()}{len(pool)}@exemple.test",
                             referent_id=counsellor_id)
        db.session.add(youth)
        db.session.flush()
        pool.append(youth)
    return pool


def _contract(rng: random.Random, start: date, contract_type: str) -> dict:
    months = {"cdd": 6, "interim": 2, "saisonnier": 3, "apprentissage": 24, "professionnalisation": 12}
    end = start + timedelta(days=30 * months[contract_type] - 1) if contract_type in months else None
    if contract_type == "contrat_aide" and rng.random() < 0.5:
        end = start + timedelta(days=364)
    trial = start + timedelta(days=rng.choice((14, 30, 45))) if rng.random() < 0.7 else None
    if trial and end and trial > end:
        trial = None
    return {"end_on": end, "trial_end_on": trial, "hours_per_week": rng.choice((24, 30, 35, 35, 35, 39))}


def _play(rng: random.Random, actor, hire: Hire, today: date, rupture: bool) -> None:
    """Play the check-ins already due: answers, records, difficulties and mediation, maybe a rupture."""
    past = [c for c in hire.check_ins if c.due_on <= today]
    for index, check_in in enumerate(past):
        last = index == len(past) - 1
        if rupture and last:
            ended_on = min(check_in.due_on, today)
            initiative = "fin_periode_essai" if hire.trial_end_on and ended_on <= hire.trial_end_on else \
                rng.choice(("employeur", "jeune", "commun_accord"))
            services.record_check_in(actor, check_in, channel="telephone", situation="rupture",
                                     summary="Le contrat s'est arrêté ; point fait avec le jeune.",
                                     rupture={"ended_on": ended_on, "initiative": initiative,
                                              "reason": rng.choice(list(rules.RUPTURE_REASONS)),
                                              "reopen_positioning": rng.random() < 0.7}, today=today)
        elif last and check_in.due_on > today - timedelta(days=10):
            # left open so that « mes suivis » has work: a link sent, sometimes already answered
            if answers.employer_recipient(hire):
                answers.send_answer_link(actor, check_in, EMPLOYER)
            if rng.random() < 0.4:
                answers.answer_check_in(None, check_in, YOUTH, in_post=True, satisfaction="satisfait",
                                        difficulties=False, comment="", today=today)
            continue
        else:
            trouble = rng.random() < 0.18
            if rng.random() < 0.5:
                answers.answer_check_in(None, check_in, EMPLOYER, in_post=True,
                                        satisfaction="peu_satisfait" if trouble else "satisfait",
                                        difficulties=trouble, comment=rng.choice(SAID["difficulte"]) if trouble
                                        else "", today=check_in.due_on)
            situation = "difficulte" if trouble else "en_poste"
            services.record_check_in(actor, check_in, channel=rng.choice(("telephone", "visite", "entretien")),
                                     situation=situation, summary=rng.choice(SAID[situation]),
                                     next_step="Rencontre tripartite à organiser" if trouble else None,
                                     today=check_in.due_on)
            if trouble:
                kind, note = rng.choice(MEDIATIONS)
                services.log_mediation(actor, hire, kind=kind, occurred_on=min(check_in.due_on + timedelta(days=2),
                                                                              today), note=note, today=today)
                if check_in.mediation_task_id is not None:
                    employers.complete_task(actor, db.session.get(Task, check_in.mediation_task_id))
        check_in.done_at = datetime.combine(check_in.due_on, time(10, 30))


@seeder(35)
def seed_hires(ctx: DemoContext) -> None:
    if db.session.scalar(select(Hire.id).limit(1)) is not None:
        return
    rng = random.Random(6330)
    actor = ctx.users[COUNSELLOR]
    today = date.today()
    companies = list(db.session.scalars(select(Company).where(Company.archived_at.is_(None))
                                        .order_by(Company.id).limit(40)))
    if not companies:
        return
    pool = _youth_pool(rng, actor.id, HIRES)
    rng.shuffle(pool)
    for n, youth in enumerate(pool[:HIRES]):
        # the demo employer gets a few hires, among them recent ones with check-ins to answer
        company = ctx.company if ctx.company is not None and n % 12 == 0 else rng.choice(companies)
        start = today - timedelta(days=8 + 5 * n) if n < 6 else today - timedelta(days=rng.randint(10, 365))
        job_title, contract_type = rng.choice(JOBS)
        hire = services.create_hire(actor, youth=youth, company=company, contract_type=contract_type, start_on=start,
                                    job_title=job_title, source="saisie",
                                    **_contract(rng, start, contract_type))
        _play(rng, actor, hire, today, rupture=n >= 6 and rng.random() < 0.15)


@seeder(36)
def seed_reported_difficulty(ctx: DemoContext) -> None:
    """One open check-in on which the young person reports a difficulty: the counsellor's home shows it."""
    today = date.today()
    check_in = db.session.scalar(
        select(CheckIn).join(CheckIn.hire).where(CheckIn.done_at.is_(None), CheckIn.due_on <= today,
                                                 CheckIn.youth_answered_at.is_(None), Hire.ended_on.is_(None),
                                                 Hire.counsellor_id == ctx.users[COUNSELLOR].id,
                                                 Hire.company_id != ctx.company.id)
        .order_by(CheckIn.due_on.desc(), CheckIn.id))
    if check_in is not None:
        answers.answer_check_in(None, check_in, YOUTH, in_post=True, satisfaction="peu_satisfait",
                                difficulties=True, comment=SAID["difficulte"][0], today=today)
