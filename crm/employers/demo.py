"""Demo data: about 150 companies of the Bassin Thiernois with contacts, a year of interactions,
open tasks and three events. Deterministic (seeded random) so that every demo looks the same."""

import random
from datetime import date, timedelta

from stdnum import luhn

from crm.employers import activity, board, queries, services
from crm.employers.models import OUTCOMES, Company
from portal.access import COUNSELLOR
from portal.demo import DemoContext, make_siret, seeder
from portal.extensions import db
from portal.referentials.queries import get_commune, get_naf, territory_codes

SECTORS = [
    # (name patterns, NAF codes, weight, in tension)
    (["Coutellerie {n}", "Forges de {c}", "Couteaux {n}", "Atelier {n} Coutelier"], ["25.71Z"], 30, True),
    (["Mécanique {n}", "Usinage {n} Précision", "Tôlerie {c}", "Décolletage {n}"], ["25.62B", "25.61Z", "25.62A"], 20, True),
    (["Plasturgie {n}", "Injection Plastique {c}", "{n} Polymères"], ["22.29A", "22.29B"], 10, True),
    (["Boulangerie {n}", "Salaisons de {c}", "Fromagerie {n}", "Biscuiterie {n}"], ["10.71C", "10.13B", "10.51C"], 15, False),
    (["{n} Bâtiment", "Maçonnerie {n}", "Électricité {n}", "Plomberie Chauffage {n}", "Menuiserie {n}"],
     ["41.20A", "43.21A", "43.22A", "43.32A", "43.99C"], 25, True),
    (["Supermarché de {c}", "Boutique {n}", "Quincaillerie {n}", "Optique {n}"], ["47.11D", "47.52A", "47.78A", "47.19B"], 15, False),
    (["Aide à Domicile {c}", "{n} Services à la personne", "EHPAD Les Tilleuls de {c}"], ["88.10A", "87.10A"], 15, True),
    (["Garage {n}", "Transports {n}"], ["45.20A", "49.41A"], 10, False),
    (["Restaurant Le {n}", "Hôtel du Pont de {c}"], ["56.10A", "55.10Z"], 10, True),
]
FAMILY_NAMES = ["Dumas", "Chabrier", "Gouttefangeas", "Fayet", "Bost", "Chassaigne", "Mazeron", "Roddier", "Goyon",
                "Vialle", "Ondet", "Barge", "Thévenet", "Courtadon", "Pélissier", "Brugière", "Sauvadet", "Fournet",
                "Mallet", "Dessapt", "Giraud", "Bonnefoy", "Chomette", "Pradier", "Vernière", "Tixier", "Rochias"]
FIRST_NAMES = ["Marie", "Jean", "Sophie", "Pierre", "Nathalie", "Laurent", "Isabelle", "Nicolas", "Céline", "Thierry",
               "Sandrine", "Frédéric", "Aurélie", "Olivier", "Émilie", "Stéphane", "Julie", "Cédric"]
JOB_TITLES = ["Gérant·e", "Responsable RH", "Directeur·rice de site", "Chef·fe d'atelier", "Assistant·e de direction",
              "Responsable de production"]
SUMMARIES = {
    "visite": "Visite de l'atelier, présentation des dispositifs (PMSMP, CEJ, aides à l'embauche).",
    "appel": "Point téléphonique sur les besoins de recrutement du trimestre.",
    "courriel": "Envoi de la plaquette employeurs et des profils disponibles.",
    "rendez_vous": "Rendez-vous avec la direction : besoins en apprentissage pour la rentrée.",
    "forum": "Rencontre sur le forum de l'emploi.",
    "job_dating": "Participation au job dating.",
    "visite_entreprise": "Visite d'entreprise avec un groupe de jeunes.",
}
NEXT_ACTIONS = ["Rappeler pour le besoin en CDD", "Envoyer des profils", "Proposer une PMSMP",
                "Relancer après le forum", "Préparer la visite d'atelier", "Faire signer la charte"]


def _siret(n: int) -> str:
    """A valid SIRET never given to a real company on purpose (SIREN prefix 99)."""
    siren8 = f"99{n:06d}"
    siren = siren8 + luhn.calc_check_digit(siren8)
    body = siren + f"{n % 10000:04d}"
    return body + luhn.calc_check_digit(body)


@seeder(-10)
def seed_demo_company(ctx: DemoContext) -> None:
    """The company of the demo employer account."""
    ctx.company = Company(
        name="Coutellerie Dumas & Fils", siret=make_siret(1), naf_code="25.71Z", headcount_bracket="10-49",
        address="12 rue de la Coutellerie", postal_code="63300", commune_code="63430",
        phone="04 73 80 12 34", email="contact@coutellerie-dumas.test", stage="partenaire_actif",
        in_tension=True, accepts_pmsmp=True, accepts_apprentices=True, source="Salon de la coutellerie",
        description="Fabrication de couteaux de table et de poche depuis 1952, à Thiers.",
    )
    db.session.add(ctx.company)


@seeder(0)
def seed_demo_company_owner(ctx: DemoContext) -> None:
    """The demo counsellor follows the demo company."""
    ctx.company.owner_id = ctx.users[COUNSELLOR].id


@seeder(10)
def seed_companies(ctx: DemoContext, count: int = 150) -> None:
    rng = random.Random(63300)
    counsellor = ctx.users[COUNSELLOR]
    board.ensure_default_stages()

    communes = sorted(territory_codes())
    thiers = "63430"
    companies = [ctx.company] if ctx.company is not None else []
    if ctx.company is not None:
        services.add_contact(counsellor, ctx.company, full_name="Sophie Dumas", job_title="Gérante",
                             email="sophie.dumas@coutellerie-dumas.test", phone="04 73 80 12 34", is_primary=True)
    weights = [s[2] for s in SECTORS]
    today = date.today()
    used: set[str] = set()
    for n in range(2, count + 1):
        patterns, nafs, _, tension = rng.choices(SECTORS, weights=weights)[0]
        code = thiers if rng.random() < 0.4 else rng.choice(communes)
        commune = get_commune(code)
        name = rng.choice(patterns).format(n=rng.choice(FAMILY_NAMES), c=commune.name if commune else "Thiers")
        if name in used:
            name = f"{name} {rng.choice(['& Fils', 'SARL', 'Frères', 'et Cie'])}"
        used.add(name)
        naf = rng.choice(nafs)
        stage = rng.choices(list(services.queries.stage_labels()), weights=[35, 25, 15, 18, 7])[0]
        company = services.create_company(
            counsellor, name=name, siret=_siret(n), naf_code=naf if get_naf(naf) else None,
            headcount_bracket=rng.choice(["1-9", "1-9", "10-49", "10-49", "50-249"]),
            address=f"{rng.randint(1, 80)} {rng.choice(['rue', 'avenue', 'chemin', 'route'])} "
                    f"{rng.choice(['du Moutier', 'de la Dore', 'des Forges', 'de Lyon', 'du Pont', 'Jean Jaurès'])}",
            postal_code=(commune.postal_codes.split(" ")[0] if commune else "63300"), commune_code=code,
            phone=f"04 73 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            email=f"contact@{name.lower().split()[0]}-{n}.test", stage=stage, owner_id=counsellor.id,
            in_tension=tension and rng.random() < 0.7, accepts_pmsmp=rng.random() < 0.5,
            accepts_apprentices=rng.random() < 0.4, source=rng.choice(["Prospection", "Forum", "Bouche à oreille",
                                                                        "Import tableur", "CCI"]))
        for k in range(rng.choice([1, 1, 2, 3])):
            services.add_contact(counsellor, company, full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}",
                                 job_title=rng.choice(JOB_TITLES), phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                 f"{rng.randint(10, 99)} {rng.randint(10, 99)}", is_primary=k == 0,
                                 communication_consent=rng.random() < 0.6)
        companies.append(company)
    for company in companies:
        if company.stage == "a_prospecter":
            continue
        for _ in range(rng.randint(1, 6)):
            kind = rng.choice(["visite", "appel", "appel", "courriel", "rendez_vous"])
            activity.log_interaction(counsellor, company=company, kind=kind,
                                     occurred_on=today - timedelta(days=rng.randint(1, 365)),
                                     summary=SUMMARIES[kind], outcome=rng.choice(list(OUTCOMES) + [None]))
    for company in rng.sample(companies, 25):
        services.create_task(counsellor, title=rng.choice(NEXT_ACTIONS), due_on=today + timedelta(days=rng.randint(-10, 20)),
                             assignee=counsellor, subject=company)
    events = [
        ("forum", "Forum de l'emploi de Thiers", 60, "Salle Espace, Thiers", 85),
        ("job_dating", "Job dating industrie et coutellerie", 25, "Pôle Coutellerie, Thiers", 32),
        ("visite_entreprise", "Visite d'entreprises – plasturgie", -20, "Zone de Felet, Thiers", None),
    ]
    for kind, title, days_ago, place, youth in events:
        held_on = today - timedelta(days=days_ago)
        event = activity.create_event(counsellor, kind=kind, title=title, held_on=held_on, commune_code=thiers,
                                      place=place, youth_count=youth if held_on <= today else None,
                                      description="Organisé par la Mission Locale et ses partenaires.")
        for company in rng.sample(companies, 8 if kind != "visite_entreprise" else 3):
            activity.add_participant(counsellor, event, company)


@seeder(37)
def seed_young_participants(ctx: DemoContext) -> None:
    """Name some consenting young people at the past events (after the young people and their hires exist)."""
    rng = random.Random(63290)
    counsellor = ctx.users[COUNSELLOR]
    candidates = queries.consenting_youth(limit=60)
    today = date.today()
    for event in queries.past_events(today):
        for youth in rng.sample(candidates, min(len(candidates), 10)):
            activity.add_young_participant(counsellor, event, youth,
                                           attendance=rng.choice(["present", "present", "present", "absent"]))
