"""Demo data: about 120 young people over the territory, 40 offers in every state, positionings at every
stage. Deterministic (seeded random), run once by `portal.demo.seed`."""

import random
from datetime import date, timedelta

from sqlalchemy import select, update

from crm.employers.models import Company
from crm.matching import rules
from crm.matching.models import Positioning, PositioningTransition
from crm.matching.queries import offer_facts, youth_facts
from crm.offers import services as offers
from crm.offers.models import Offer
from crm.youth.models import YouthProfile, YouthTarget
from portal.access import COUNSELLOR, EMPLOYER
from portal.demo import DemoContext, seeder
from portal.extensions import db
from portal.models import utcnow
from portal.referentials.queries import get_appellation, territory_codes
from portal.text import is_digits

FIRST_NAMES = ["Léa", "Lucas", "Inès", "Nathan", "Chloé", "Enzo", "Manon", "Hugo", "Camille", "Théo", "Jade",
               "Mathis", "Sarah", "Yanis", "Emma", "Noah", "Lina", "Rayan", "Zoé", "Kylian"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont"]
# (appellation, title): jobs of the Thiers basin: cutlery, metalwork, logistics, care, catering, retail
JOBS = [("15121", "Forgeron·ne en coutellerie"), ("17866", "Polisseur·se en coutellerie"),
        ("10344", "Affûteur·se-régleur·se"), ("10819", "Aide forgeron·ne industriel·le")]
EXTRA_ROMES = ["N1103", "K1304", "G1603", "D1106", "H2903", "H2904", "H3401", "N1105"]
STATUS_MIX = ["publiee"] * 18 + ["soumise"] * 8 + ["pourvue"] * 5 + ["close"] * 4 + ["annulee"] * 2 + ["brouillon"] * 3
STAGES = [rules.SUGGESTED, rules.KEPT, rules.PROPOSED, rules.INTERVIEW, rules.HIRED, rules.REJECTED,
          rules.WITHDRAWN]
PATHS = {rules.SUGGESTED: [], rules.KEPT: [rules.KEPT], rules.PROPOSED: [rules.KEPT, rules.PROPOSED],
         rules.INTERVIEW: [rules.KEPT, rules.PROPOSED, rules.INTERVIEW],
         rules.HIRED: [rules.KEPT, rules.PROPOSED, rules.INTERVIEW, rules.HIRED],
         rules.REJECTED: [rules.KEPT, rules.PROPOSED, rules.REJECTED],
         rules.WITHDRAWN: [rules.KEPT, rules.WITHDRAWN]}


@seeder(20)
def seed_offers_youth_matching(ctx: DemoContext) -> None:
    rnd = random.Random(20)
    communes = sorted(territory_codes())
    counsellor = ctx.users[COUNSELLOR]
    youths = [_youth(rnd, i, communes, counsellor) for i in range(120)]
    companies = list(db.session.scalars(select(Company).where(Company.archived_at.is_(None)).order_by(Company.id)
                                        .limit(15))) or [ctx.company]
    offers = [_offer(rnd, i, communes, companies, ctx) for i in range(40)]
    db.session.flush()
    _positionings(rnd, offers, youths, counsellor, ctx)


def _youth(rnd: random.Random, i: int, communes: list[str], counsellor) -> YouthProfile:
    has_licence = rnd.random() < 0.45
    youth = YouthProfile(
        # 400 different first name + last name pairs, none with a number glued to it (« Dupont-37 »)
        first_name=FIRST_NAMES[i % 20], last_name=LAST_NAMES[(i * 7 + i // 20) % 20],
        birth_date=date(2001, 1, 1) + timedelta(days=rnd.randint(0, 365 * 8)),
        sex=rnd.choice(["femme", "homme", "femme", "homme", "non_renseigne"]), commune_code=rnd.choice(communes),
        education_level=rnd.choice([None, "infra3", "niveau3", "niveau3", "niveau4", "niveau5"]),
        has_licence=has_licence, has_vehicle=has_licence and rnd.random() < 0.6,
        mobility_mode=rnd.choice(["voiture", "deux_roues", "transports", "covoiturage", "velo", "a_pied"])
        if has_licence else rnd.choice(["transports", "covoiturage", "velo", "a_pied", "deux_roues"]),
        max_commute_km=rnd.choice([5, 10, 15, 20, 25, 30]),
        available_from=date.today() + timedelta(days=rnd.randint(-30, 60)) if rnd.random() < 0.7 else None,
        wanted_contracts=rnd.sample(["cdi", "cdd", "interim", "apprentissage", "saisonnier"], rnd.randint(0, 3)),
        programme=rnd.choice(["aucun", "cej", "cej", "pacea"]), qpv=rnd.random() < 0.15, zrr=rnd.random() < 0.3,
        referent_id=counsellor.id, imilo_id=f"DEMO{i + 1:05d}")
    if rnd.random() < 0.75:
        youth.consent_on, youth.consent_scope = date.today() - timedelta(days=rnd.randint(1, 200)), "profil"
        youth.consent_recorded_by_id = counsellor.id
    targets = [rnd.choice(JOBS)[0]] + rnd.sample(EXTRA_ROMES, rnd.randint(0, 2))
    seen = set()
    for position, code in enumerate(targets, start=1):
        appellation = get_appellation(code) if is_digits(code) else None
        rome = appellation.rome_code if appellation else code
        if rome in seen:
            continue
        seen.add(rome)
        youth.targets.append(YouthTarget(position=position, rome_code=rome, rome_family=rome[:3],
                                         appellation_code=appellation.code if appellation else None))
    db.session.add(youth)
    return youth


def _offer(rnd: random.Random, i: int, communes: list[str], companies: list, ctx: DemoContext) -> Offer:
    code, title = JOBS[i % len(JOBS)]
    rome = get_appellation(code).rome_code
    status = STATUS_MIX[i % len(STATUS_MIX)]
    company = ctx.company if i < 6 else companies[i % len(companies)]
    offer = Offer(company_id=company.id, title=title, appellation_code=code, rome_code=rome, rome_family=rome[:3],
                  contract_type=rnd.choice(["cdi", "cdd", "interim", "apprentissage", "cdd"]),
                  hours_per_week=rnd.choice([24, 28, 35, 35, 39]), work_commune_code=rnd.choice(communes),
                  start_on=date.today() + timedelta(days=rnd.randint(-10, 60)), positions=rnd.randint(1, 3),
                  requires_licence=rnd.random() < 0.3, requires_vehicle=rnd.random() < 0.1,
                  education_level=rnd.choice([None, None, "niveau3", "niveau4"]), status=status,
                  source="employeur" if company is ctx.company else "conseiller",
                  created_by_id=ctx.users[EMPLOYER].id if company is ctx.company else ctx.users[COUNSELLOR].id,
                  counsellor_id=ctx.users[COUNSELLOR].id,
                  description="Poste en atelier, formation assurée en interne.",
                  published_at=utcnow() if status in ("publiee", "pourvue", "close") else None,
                  closed_at=utcnow() if status in ("pourvue", "close", "annulee") else None)
    db.session.add(offer)
    return offer


def _positionings(rnd: random.Random, offers: list[Offer], youths: list[YouthProfile], counsellor,
                  ctx: DemoContext) -> None:
    stage = 0
    for offer in [o for o in offers if o.status in ("publiee", "pourvue")]:
        facts = offer_facts(offer)
        ranked, _ = rules.rank_youth(facts, ((y.id, youth_facts(y)) for y in youths if y.has_consent))
        by_id = {y.id: y for y in youths}
        for youth_id, result in ranked[:3]:
            target = STAGES[stage % len(STAGES)]
            stage += 1
            positioning = Positioning(offer=offer, youth=by_id[youth_id], score=result.score,
                                      breakdown=result.to_json(), status=target, created_by_id=counsellor.id,
                                      counsellor_note="Motivé·e, ponctuel·le, a déjà fait une immersion."
                                      if target != rules.SUGGESTED else None)
            previous = None
            for step in [rules.SUGGESTED] + PATHS[target]:
                actor = ctx.users[EMPLOYER] if step == rules.INTERVIEW and offer.company_id == ctx.company.id \
                    else counsellor
                positioning.transitions.append(PositioningTransition(
                    from_status=previous, to_status=step, actor_id=actor.id, actor_label=actor.display_name,
                    at=utcnow(), note=None))
                previous = step
            if target in (rules.PROPOSED, rules.INTERVIEW, rules.HIRED, rules.REJECTED):
                positioning.proposed_at = utcnow()
            db.session.add(positioning)


@seeder(21)
def seed_home_todos(ctx: DemoContext) -> None:
    """What the homes must show, through the use cases that make them: the demo employer's need under review
    (a task for its counsellor), two offers idle for 50 days warned by the reminder job (the employer's on its
    home, the other company's a task: it has no employer account), a profile past its retention time."""
    counsellor, employer = ctx.users[COUNSELLOR], ctx.users[EMPLOYER]
    other = db.session.scalar(select(Company).where(Company.id != ctx.company.id, Company.archived_at.is_(None))
                              .order_by(Company.id)) or ctx.company
    code = JOBS[0][0]
    values = {"appellation_code": code, "contract_type": "cdd", "hours_per_week": 35, "positions": 1,
              "work_commune_code": "63430", "description": "Poste en atelier, formation assurée en interne."}
    offers.create_offer(employer, company=ctx.company, title="Emballeur·se en coutellerie", **values)
    idle = [offers.create_offer(employer, company=ctx.company, title="Monteur·se de couteaux pliants", **values),
            offers.create_offer(counsellor, company=other, title="Aide forgeron·ne (sans compte employeur)",
                                **values)]
    for offer in idle:
        offers.change_status(counsellor, offer, "publiee")
    youth = _youth(random.Random(21), 120, sorted(territory_codes()), counsellor)
    db.session.flush()
    # past the columns' onupdate: idle for 50 days, inactive for 26 months
    for offer in idle:
        db.session.execute(update(Offer).where(Offer.id == offer.id)
                           .values(updated_at=utcnow() - timedelta(days=50)))
        db.session.refresh(offer)
    db.session.execute(update(YouthProfile).where(YouthProfile.id == youth.id)
                       .values(updated_at=utcnow() - timedelta(days=800)))
    offers.handle_idle_offers(date.today())
