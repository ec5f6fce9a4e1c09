"""Benchmark dataset (issue 10): one Mission Locale (`small`) or a whole region (`large`) on PostgreSQL.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maillage_bench_small \\
        .venv/bin/python bench/generate.py --scale small

The database is emptied (schema `public` dropped) unless `--keep` is given, then: Alembic migrations,
`create_all` for tables still waiting for their migration, reference data, default territory, demo data
and accounts (`portal.demo.seed`, so the benchmark logs in as conseiller@maillage.test), then the bulk
rows, inserted with SQLAlchemy Core in chunks. Seeded: two runs give the same rows.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask import current_app  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.text import search_key  # noqa: E402

SCALES = {
    "small": dict(counsellors=20, companies=1_500, contacts=3_000, interactions=5_000, tasks=600, youth=1_200,
                  offers=300, positionings=2_500, placements=120, hires=400, partners=40, services=150),
    "large": dict(counsellors=200, companies=20_000, contacts=60_000, interactions=200_000, tasks=20_000,
                  youth=50_000, offers=10_000, positionings=100_000, placements=5_000, hires=20_000,
                  partners=500, services=3_000),
}
CHUNK = 5_000

FIRST_NAMES = ["Léa", "Emma", "Chloé", "Inès", "Manon", "Jade", "Louise", "Lina", "Camille", "Sarah", "Zoé", "Lucie", "Clara", "Anaïs", "Maëlys", "Yasmine", "Lucas", "Hugo", "Louis", "Nathan", "Enzo", "Théo", "Mathis", "Tom", "Noah", "Gabriel", "Adam", "Rayan", "Kylian", "Maxime", "Yanis", "Mohamed", "Baptiste", "Quentin", "Dylan", "Alexis", "Kevin", "Océane", "Romane", "Elsa"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Chassaing", "Fayet", "Bost", "Delorme", "Vialle", "Gouttefangeas", "Cohendy", "Brugière", "Chomette", "Astier", "Roddier", "Goigoux", "Rochias", "Bardin", "Faure", "Pradier", "Dumas", "Marcheix", "Jouvet"]
COMPANY_WORDS = ["Coutellerie", "Forges", "Ateliers", "Boulangerie", "Garage", "Transports", "Menuiserie", "Plasturgie", "Ehpad", "Restaurant", "Hôtel", "Pharmacie", "Maçonnerie", "Électricité", "Plomberie", "Papeterie", "Fromagerie", "Scierie", "Auto-école", "Supermarché", "Cabinet", "Imprimerie", "Laboratoire", "Boucherie", "Coiffure", "Paysages"]
COMPANY_NAMES = ("du Pont de Seychalles", "de la Durolle", "du Bassin Thiernois", "des Margerides", "Livradois",
                 "de la Dore", "Auvergne Services", "du Forez", "des Couteliers", "Saint-Jean", "de l'Allier",
                 "du Lac d'Aubusson", "de la Vallée des Usines", "Limagne", "du Montoncel", "Bois-Noirs")
STREETS = ("rue de la Coutellerie", "avenue de Lattre de Tassigny", "rue Durolle", "place du Pirou",
           "route de Clermont", "rue Conchette", "avenue Léo Lagrange", "chemin des Granges", "rue des Forges",
           "boulevard Gambetta", "rue du Docteur Dumas", "zone artisanale des Molles")


class Generator:
    def __init__(self, scale: str, seed: int = 10):
        self.n = SCALES[scale]
        self.rnd = random.Random(seed)
        self.today = date.today()
        self.now = datetime.now().replace(microsecond=0)

    # --- helpers ----------------------------------------------------------------------------------

    def insert(self, model, rows: list[dict]) -> None:
        table = model.__table__
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start:start + CHUNK])

    def next_id(self, model) -> int:
        return (db.session.scalar(select(func.max(model.id))) or 0) + 1

    def pick(self, seq):
        return seq[self.rnd.randrange(len(seq))]

    def day(self, back: int, forward: int = 0) -> date:
        return self.today + timedelta(days=self.rnd.randint(-back, forward))

    def moment(self, back: int, after=None) -> datetime:
        """A timestamp in the last `back` days (not before `after`), so that periods hold realistic rows."""
        start = max(self.now - timedelta(days=back), after) if after else self.now - timedelta(days=back)
        return start + timedelta(seconds=self.rnd.randint(0, max(0, int((self.now - start).total_seconds()))))

    def person(self) -> tuple[str, str]:
        return self.pick(FIRST_NAMES), self.pick(LAST_NAMES)

    def phone(self) -> str:
        return "04 73 " + " ".join(f"{self.rnd.randint(0, 99):02d}" for _ in range(3))

    # --- reference data from the database -----------------------------------------------------------

    def load_reference(self) -> None:
        from portal.referentials.models import Commune, NafCode, RomeAppellation, TerritoryCommune

        territory = list(db.session.scalars(select(TerritoryCommune.insee_code)))
        around = db.session.execute(select(Commune.insee_code, Commune.name, Commune.postal_codes)
                                    .where(Commune.department_code.in_(("63", "03", "42", "43")))).all()
        self.commune_names = {code: name for code, name, _ in around}
        self.postal = {code: (pc or "").split(",")[0].strip()[:5] or "63000" for code, _, pc in around}
        dep63 = [code for code, _, _ in around if code.startswith("63")]
        # a large scale is a whole department and its neighbours; a small one mostly the territory
        self.communes = territory * 30 + dep63 if self.n["companies"] < 5_000 else territory * 10 + [
            c for c, _, _ in around]
        self.appellations = db.session.execute(select(RomeAppellation.code, RomeAppellation.rome_code,
                                                      RomeAppellation.label)
                                               .where(RomeAppellation.rarely_used.is_(False))).all()
        self.naf = list(db.session.scalars(select(NafCode.code)))

    # --- rows -------------------------------------------------------------------------------------

    def counsellors(self) -> None:
        from portal.accounts.models import User

        template = db.session.scalar(select(User).where(User.email == "conseiller@maillage.test"))
        start = self.next_id(User)
        rows = []
        for i in range(self.n["counsellors"]):
            first, last = self.person()
            rows.append({"id": start + i, "email": f"conseiller{i + 1}@bench.maillage.test",
                         "full_name": f"{first} {last}", "password_hash": template.password_hash,
                         "role": "counsellor", "active": True, "version": 1})
        self.insert(User, rows)
        self.staff = [template.id] + [r["id"] for r in rows]

    def companies(self) -> None:
        from crm.employers.models import HEADCOUNT_BRACKETS, STAGES, Company, Contact
        from crm.employers.queries import squash
        from crm.employers.rules import name_key
        from portal.demo import make_siret

        start = self.next_id(Company)
        self.company_ids = list(range(start, start + self.n["companies"]))
        contacts_per = [[] for _ in self.company_ids]
        c_start = self.next_id(Contact)
        contact_rows = []
        for k in range(self.n["contacts"]):
            index = k if k < len(self.company_ids) else self.rnd.randrange(len(self.company_ids))
            first, last = self.person()
            name = f"{first} {last}"
            contacts_per[index].append(name)
            contact_rows.append({"id": c_start + k, "company_id": self.company_ids[index], "full_name": name,
                                 "job_title": self.pick(("Gérant·e", "Responsable RH", "Chef d'atelier",
                                                         "Directeur·rice", "Assistant·e")),
                                 "email": f"contact{c_start + k}@entreprise.test", "phone": self.phone(),
                                 "is_primary": k < len(self.company_ids), "communication_consent": True,
                                 "version": 1})
        rows = []
        stages, brackets = list(STAGES), list(HEADCOUNT_BRACKETS)
        for index, company_id in enumerate(self.company_ids):
            name = f"{self.pick(COMPANY_WORDS)} {self.pick(LAST_NAMES)} {self.pick(COMPANY_NAMES)}"
            commune = self.pick(self.communes)
            siret = make_siret(500_000 + company_id)
            key = search_key(name, siret, self.commune_names.get(commune), *contacts_per[index])
            squashed = " ".join(sorted({squash(w) for w in key.split()} - set(key.split())))
            rows.append({"id": company_id, "siret": siret, "name": name,
                         "search_text": (key + (" " + squashed if squashed else ""))[:600],
                         "name_key": name_key(name), "naf_code": self.pick(self.naf),
                         "headcount_bracket": self.pick(brackets),
                         "address": f"{self.rnd.randint(1, 120)} {self.pick(STREETS)}",
                         "postal_code": self.postal.get(commune, "63300"), "commune_code": commune,
                         "phone": self.phone(), "email": f"contact{company_id}@entreprise.test",
                         "stage": self.pick(stages), "owner_id": self.pick(self.staff),
                         "in_tension": self.rnd.random() < 0.3, "accepts_pmsmp": self.rnd.random() < 0.6,
                         "accepts_apprentices": self.rnd.random() < 0.4, "source": "Banc d'essai",
                         "archived_at": self.now if self.rnd.random() < 0.03 else None,
                         "created_at": self.moment(1500), "version": 1})
        self.insert(Company, rows)
        self.insert(Contact, contact_rows)
        self.contact_of = {r["company_id"]: r["id"] for r in contact_rows if r["is_primary"]}

    def interactions_and_tasks(self) -> None:
        from crm.employers.models import INTERACTION_KINDS, OUTCOMES, Interaction, Task

        kinds, outcomes = list(INTERACTION_KINDS), list(OUTCOMES)
        start = self.next_id(Interaction)
        rows = []
        for i in range(self.n["interactions"]):
            company_id = self.pick(self.company_ids)
            rows.append({"id": start + i, "company_id": company_id, "partner_id": None,
                         "contact_id": self.contact_of.get(company_id), "counsellor_id": self.pick(self.staff),
                         "event_id": None, "kind": self.pick(kinds), "occurred_on": self.day(730),
                         "summary": "Échange sur les besoins de recrutement et les immersions possibles.",
                         "outcome": self.pick(outcomes), "created_at": self.now})
        self.insert(Interaction, rows)
        start = self.next_id(Task)
        rows = []
        for i in range(self.n["tasks"]):
            company_id = self.pick(self.company_ids)
            done = self.rnd.random() < 0.6
            rows.append({"id": start + i, "title": "Relancer l'entreprise", "due_on": self.day(120, 60),
                         "assignee_id": self.pick(self.staff), "created_by_id": self.pick(self.staff),
                         "done_at": self.now if done else None, "subject_type": "company",
                         "subject_id": company_id, "company_id": company_id, "version": 1})
        self.insert(Task, rows)

    def youth(self) -> None:
        from crm.youth.models import YouthProfile, YouthTarget
        from crm.youth.rules import EDUCATION_LEVELS, MOBILITY_MODES, PROGRAMMES

        start = self.next_id(YouthProfile)
        self.youth_ids = list(range(start, start + self.n["youth"]))
        rows, targets = [], []
        levels, modes, programmes = list(EDUCATION_LEVELS), list(MOBILITY_MODES), list(PROGRAMMES)
        for youth_id in self.youth_ids:
            first, last = self.person()
            imilo = f"{7_000_000 + youth_id}"
            consent = self.rnd.random() < 0.8
            rows.append({"id": youth_id, "first_name": first, "last_name": last,
                         "search_text": search_key(first, last, imilo),
                         "birth_date": self.today - timedelta(days=self.rnd.randint(16 * 365 + 30, 25 * 365)),
                         "sex": self.pick(("femme", "homme")), "commune_code": self.pick(self.communes),
                         "phone": "06 " + self.phone()[3:], "email": f"jeune{youth_id}@exemple.test",
                         "education_level": self.pick(levels), "has_licence": self.rnd.random() < 0.45,
                         "has_vehicle": self.rnd.random() < 0.3, "mobility_mode": self.pick(modes),
                         "max_commute_km": self.pick((5, 10, 20, 30, 40)),
                         "available_from": self.day(60, 90),
                         "wanted_contracts": self.rnd.sample(["cdi", "cdd", "interim", "apprentissage"], 2),
                         "programme": self.pick(programmes), "qpv": self.rnd.random() < 0.1,
                         "zrr": self.rnd.random() < 0.3, "referent_id": self.pick(self.staff),
                         "imilo_id": imilo, "consent_on": self.day(300) if consent else None,
                         "consent_scope": "profil_coordonnees" if consent else None,
                         "archived_at": self.now if self.rnd.random() < 0.05 else None, "version": 1})
            chosen = {rome: code for code, rome, _ in self.rnd.sample(self.appellations, self.rnd.randint(1, 3))}
            for position, (rome, code) in enumerate(chosen.items(), start=1):
                targets.append({"youth_id": youth_id, "position": position, "rome_code": rome,
                                "rome_family": rome[:3], "appellation_code": code})
        self.insert(YouthProfile, rows)
        self.insert(YouthTarget, targets)

    def offers_and_positionings(self) -> None:
        from crm.matching.models import Positioning
        from crm.offers.models import Offer

        statuses = ["publiee"] * 5 + ["soumise", "brouillon", "pourvue", "close", "annulee"]
        start = self.next_id(Offer)
        rows = []
        names = {}
        for i in range(self.n["offers"]):
            code, rome, label = self.pick(self.appellations)
            company_id = self.pick(self.company_ids)
            status = self.pick(statuses)
            created = self.moment(730)
            published = self.moment(30, after=created) if status != "brouillon" else None
            closed = self.moment(60, after=published) if status in ("pourvue", "close", "annulee") else None
            rows.append({"id": start + i, "company_id": company_id, "title": label[:200],
                         "search_text": search_key(label, names.get(company_id), code, rome),
                         "appellation_code": code, "rome_code": rome, "rome_family": rome[:3],
                         "contract_type": self.pick(("cdi", "cdd", "interim", "apprentissage", "saisonnier")),
                         "hours_per_week": 35, "work_commune_code": self.pick(self.communes),
                         "start_on": self.day(30, 60), "positions": self.rnd.randint(1, 3),
                         "requires_licence": self.rnd.random() < 0.3, "requires_vehicle": self.rnd.random() < 0.1,
                         "description": "Poste à pourvoir au sein d'une équipe accueillante.", "status": status,
                         "source": "conseiller", "created_by_id": self.pick(self.staff),
                         "counsellor_id": self.pick(self.staff),
                         "created_at": created, "published_at": published, "closed_at": closed, "version": 1})
        self.insert(Offer, rows)
        self.offer_ids = [r["id"] for r in rows]
        pos_statuses = ["suggeree"] * 4 + ["retenue", "proposee", "entretien", "embauchee", "non_retenue",
                                           "desistement"]
        seen, pos_rows = set(), []
        start = self.next_id(Positioning)
        while len(pos_rows) < self.n["positionings"]:
            pair = (self.pick(self.offer_ids), self.pick(self.youth_ids))
            if pair in seen:
                continue
            seen.add(pair)
            status = self.pick(pos_statuses)
            created = self.moment(730)
            pos_rows.append({"id": start + len(pos_rows), "offer_id": pair[0], "youth_id": pair[1],
                             "score": self.rnd.randint(20, 100), "breakdown": {"job": 40, "distance": 20},
                             "status": status, "created_by_id": self.pick(self.staff),
                             "created_at": created,
                             "proposed_at": self.moment(20, after=created)
                             if status not in ("suggeree", "retenue") else None,
                             "version": 1})
        self.insert(Positioning, pos_rows)
        self.positioning_rows = pos_rows

    def placements(self) -> None:
        from crm.pmsmp.models import Placement

        statuses = ("brouillon", "a_signer", "signee_partiellement", "a_valider", "validee", "terminee",
                    "annulee")
        start = self.next_id(Placement)
        rows = []
        for i in range(self.n["placements"]):
            code, _, label = self.pick(self.appellations)
            begin = self.day(365, 60)
            commune = self.pick(self.communes)
            rows.append({"id": start + i, "youth_id": self.pick(self.youth_ids),
                         "youth_email": "jeune@exemple.test", "company_id": self.pick(self.company_ids),
                         "tutor_name": " ".join(self.person()), "tutor_job": "Chef d'équipe",
                         "tutor_email": "tuteur@entreprise.test", "counsellor_id": self.pick(self.staff),
                         "objective": self.pick(("decouvrir", "confirmer", "recruter")), "appellation_code": code,
                         "activities": f"Découverte du métier : {label}"[:500], "start_date": begin,
                         "end_date": begin + timedelta(days=self.rnd.randint(4, 20)),
                         "place_address": f"{self.rnd.randint(1, 80)} {self.pick(STREETS)}",
                         "place_commune_code": commune, "insurer": "MAIF", "status": self.pick(statuses),
                         "created_by_id": self.pick(self.staff), "version": 1})
        self.insert(Placement, rows)

    def hires(self) -> None:
        from crm.followup.models import CheckIn, Hire
        from crm.followup.rules import RUPTURE_REASONS

        RUPTURES = list(RUPTURE_REASONS)  # noqa: N806 - a constant of this step

        start, c_start = self.next_id(Hire), self.next_id(CheckIn)
        rows, checkins = [], []
        for i in range(self.n["hires"]):
            begin = self.day(540, 30)
            contract = self.pick(("cdi", "cdd", "interim", "apprentissage", "saisonnier"))
            broken = begin + timedelta(days=self.rnd.randint(3, 170)) if self.rnd.random() < 0.15 else None
            if broken and broken > self.today:
                broken = None
            rows.append({"id": start + i, "youth_id": self.pick(self.youth_ids),
                         "company_id": self.pick(self.company_ids), "source": "saisie", "contract_type": contract,
                         "start_on": begin, "end_on": None if contract == "cdi" else begin + timedelta(days=180),
                         "ended_on": broken, "rupture_reason": self.pick(RUPTURES) if broken else None,
                         "hours_per_week": 35, "job_title": self.pick(self.appellations)[2][:200],
                         "counsellor_id": self.pick(self.staff), "created_by_id": self.pick(self.staff),
                         "version": 1})
            for offset, label in ((7, "J+7"), (30, "J+30"), (90, "J+90")):
                due = begin + timedelta(days=offset)
                done = due < self.today and self.rnd.random() < 0.8
                checkins.append({"id": c_start + len(checkins), "hire_id": start + i, "due_on": due,
                                 "label": label, "done_at": self.now if done else None,
                                 "done_by_id": self.pick(self.staff) if done else None,
                                 "channel": "telephone" if done else None,
                                 "situation": self.pick(("en_poste", "en_poste", "difficulte", "rupture"))
                                 if done else None, "version": 1})
        self.insert(Hire, rows)
        self.insert(CheckIn, checkins)

    def partners_and_services(self) -> None:
        from crm.directory.models import DirectoryService
        from crm.partners.models import PARTNER_KINDS, PartnerOrganisation

        start = self.next_id(PartnerOrganisation)
        rows = []
        for i in range(self.n["partners"]):
            name = f"{self.pick(('Association', 'Centre', 'Maison', 'Espace', 'Réseau'))} " \
                   f"{self.pick(('Solidaire', 'Emploi', 'Santé', 'Logement', 'Mobilité', 'Formation'))} " \
                   f"{self.pick(COMPANY_NAMES)} {i + 1}"
            commune = self.pick(self.communes)
            rows.append({"id": start + i, "name": name, "search_text": search_key(name),
                         "kind": self.pick(list(PARTNER_KINDS)), "address": f"{i + 1} {self.pick(STREETS)}",
                         "postal_code": self.postal.get(commune, "63300"), "commune_code": commune,
                         "phone": self.phone(), "email": f"partenaire{start + i}@exemple.test",
                         "referent_id": self.pick(self.staff), "version": 1})
        self.insert(PartnerOrganisation, rows)
        partner_ids = [r["id"] for r in rows]
        start = self.next_id(DirectoryService)
        services = []
        for i in range(self.n["services"]):
            name = self.pick(("Accompagnement vers l'emploi", "Aide au permis de conduire", "Location de scooter",
                              "Permanence santé", "Logement temporaire jeunes", "Atelier CV", "Aide alimentaire"))
            updated = self.day(400)
            services.append({"id": start + i, "partner_id": self.pick(partner_ids), "name": name,
                             "description": f"{name} pour les jeunes du territoire.",
                             "search_text": search_key(name), "commune_code": self.pick(self.communes),
                             "updated_on": updated, "stale_on": updated + timedelta(days=183),
                             "status": self.pick(("publie", "publie", "publie", "brouillon", "archive")),
                             "created_by_id": self.pick(self.staff), "version": 1})
        self.insert(DirectoryService, services)


def prepare_schema(reset: bool) -> None:
    """Empty database → migrations, tables still awaiting a migration, reference data, demo accounts."""
    from flask_migrate import upgrade

    from portal import demo
    from portal.referentials.loader import load_all
    from portal.referentials.services import ensure_default_territory

    if reset:
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    upgrade()
    add_missing()
    load_all()
    ensure_default_territory()
    db.session.commit()
    with current_app.test_request_context("/"):  # demo seeders build links with url_for
        demo.seed()


def add_missing() -> None:
    """Tables and columns whose migration is not written yet (as tests/conftest.py does)."""
    db.create_all()
    inspector = db.inspect(db.engine)
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=connection.dialect)
                    connection.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}')


def reset_sequences() -> None:
    """Bulk rows carry explicit ids: move each serial sequence past them so the app can insert again."""
    for table in db.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].autoincrement is not False \
                and str(table.columns["id"].type) == "INTEGER":
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false) "
                f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"))


def main() -> None:
    parser = argparse.ArgumentParser(description="Jeu de données du banc d'essai (PostgreSQL).")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--keep", action="store_true", help="ne pas vider la base avant")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in url:
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL de travail (elle sera vidée).")
    os.environ.setdefault("MAILLAGE_ENV", "development")
    app = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    started = time.perf_counter()
    with app.app_context():
        prepare_schema(reset=not args.keep)
        print(f"schéma, référentiels et démo : {time.perf_counter() - started:.1f} s", flush=True)
        gen = Generator(args.scale, args.seed)
        gen.load_reference()
        for step in (gen.counsellors, gen.companies, gen.interactions_and_tasks, gen.youth,
                     gen.offers_and_positionings, gen.placements, gen.hires, gen.partners_and_services):
            t0 = time.perf_counter()
            step()
            db.session.commit()
            print(f"  {step.__name__:<26} {time.perf_counter() - t0:6.1f} s", flush=True)
        reset_sequences()
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(f"échelle {args.scale} générée en {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
