"""Benchmark of the ranked lists (issue 4): one offer among N young people, one young person among M offers.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/matching.py

Use a scratch database: the script creates the tables it needs, loads reference data if missing and
replaces the youth, offers and positionings it finds there. It prints p50/p95 timings at 5,000 and
50,000 young people (1,000 and 10,000 offers), so one sees how they grow. Not a test: no assertion.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import delete, func, insert, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

SIZES = [(5_000, 1_000), (50_000, 10_000)]
RUNS = 40


def _load_reference():
    from portal.referentials.loader import load_all
    from portal.referentials.models import Commune
    from portal.referentials.services import ensure_default_territory

    if not db.session.scalar(select(func.count()).select_from(Commune)):
        load_all()
    ensure_default_territory()
    db.session.commit()


def _generate(n_youth: int, n_offers: int, rnd: random.Random) -> None:
    from crm.employers.models import Company
    from crm.matching.models import Positioning, PositioningTransition
    from crm.offers.models import Offer
    from crm.youth.models import YouthProfile, YouthTarget
    from portal.referentials.models import Commune, RomeAppellation, TerritoryCommune

    for model in (PositioningTransition, Positioning, YouthTarget, YouthProfile, Offer):
        db.session.execute(delete(model))
    # communes of the department, weighted towards the territory
    territory = list(db.session.scalars(select(TerritoryCommune.insee_code)))
    department = list(db.session.scalars(select(Commune.insee_code).where(Commune.department_code == "63")))
    communes = territory * 4 + department
    coordinates = {code: (lat, lon) for code, lat, lon in db.session.execute(
        select(Commune.insee_code, Commune.latitude, Commune.longitude).where(Commune.department_code == "63"))}
    appellations = db.session.execute(select(RomeAppellation.code, RomeAppellation.rome_code)
                                      .where(RomeAppellation.rarely_used.is_(False))).all()
    company_id = db.session.scalar(select(Company.id).limit(1))
    if company_id is None:
        company_id = db.session.scalar(insert(Company).values(name="Banc d'essai", stage="a_prospecter",
                                                              search_text=" banc").returning(Company.id))
    today = date.today()
    youth_rows, target_rows = [], []
    for i in range(1, n_youth + 1):
        commune_code = rnd.choice(communes)
        youth_rows.append({"latitude": coordinates[commune_code][0], "longitude": coordinates[commune_code][1],"id": i, "first_name": "Jeune", "last_name": f"Banc{i}", "search_text": f" jeune banc{i}",
                           "birth_date": date(2002, 1, 1) + timedelta(days=rnd.randint(0, 3000)), "sex": "femme",
                           "commune_code": commune_code, "has_licence": rnd.random() < 0.5,
                           "has_vehicle": rnd.random() < 0.3, "mobility_mode": rnd.choice(
                               ["voiture", "transports", "velo", "a_pied", "covoiturage"]),
                           "max_commute_km": rnd.choice([5, 10, 20, 30]), "wanted_contracts": ["cdi", "cdd"],
                           "programme": "aucun", "qpv": False, "zrr": False, "version": 1,
                           "available_from": today + timedelta(days=rnd.randint(-30, 90))})
        chosen = {rome: code for code, rome in rnd.sample(appellations, rnd.randint(1, 3))}
        for position, (rome, code) in enumerate(chosen.items(), start=1):
            target_rows.append({"youth_id": i, "position": position, "rome_code": rome, "rome_family": rome[:3],
                                "appellation_code": code})
    for chunk in range(0, len(youth_rows), 5000):
        db.session.execute(insert(YouthProfile), youth_rows[chunk:chunk + 5000])
    for chunk in range(0, len(target_rows), 10000):
        db.session.execute(insert(YouthTarget), target_rows[chunk:chunk + 10000])
    offer_rows = []
    for i in range(1, n_offers + 1):
        code, rome = rnd.choice(appellations)
        offer_rows.append({"id": i, "company_id": company_id, "title": f"Offre {i}", "search_text": f" offre {i}",
                           "appellation_code": code, "rome_code": rome, "rome_family": rome[:3],
                           "contract_type": "cdi", "work_commune_code": rnd.choice(communes), "positions": 1,
                           "requires_licence": rnd.random() < 0.3, "requires_vehicle": False,
                           "status": "publiee", "source": "conseiller", "version": 1,
                           "start_on": today + timedelta(days=rnd.randint(0, 60))})
    for chunk in range(0, len(offer_rows), 5000):
        db.session.execute(insert(Offer), offer_rows[chunk:chunk + 5000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # VACUUM as autovacuum would: without a visibility map no index-only scan is ever chosen
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(db.text("VACUUM ANALYZE youth_profile"))
            connection.execute(db.text("VACUUM ANALYZE youth_target"))
            connection.execute(db.text("VACUUM ANALYZE offer"))
            connection.execute(db.text("ANALYZE"))


def _time(fn, ids) -> tuple[float, float, float]:
    timings = []
    for object_id in ids:
        db.session.expunge_all()
        start = time.perf_counter()
        fn(object_id)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], timings[-1]


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL de travail (elle sera remplie).")
    app = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    from crm.matching import queries
    from crm.offers.models import Offer
    from crm.youth.models import YouthProfile

    with app.app_context():
        db.create_all()
        _load_reference()
        rnd = random.Random(4)
        print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        print(f"{'jeunes':>8} {'offres':>7} | {'offre → jeunes p50/p95/max (ms)':>34} | "
              f"{'jeune → offres p50/p95/max (ms)':>34} | classés (moy.)")
        for n_youth, n_offers in SIZES:
            _generate(n_youth, n_offers, rnd)
            offer_ids = rnd.sample(range(1, n_offers + 1), RUNS)
            youth_ids = rnd.sample(range(1, n_youth + 1), RUNS)
            sizes = []

            def for_offer(offer_id, sizes=sizes):
                sizes.append(len(queries.rank_youth_for_offer(db.session.get(Offer, offer_id)).ranked))

            def for_youth(youth_id):
                queries.rank_offers_for_youth(db.session.get(YouthProfile, youth_id))

            a = _time(for_offer, offer_ids)
            b = _time(for_youth, youth_ids)
            print(f"{n_youth:>8} {n_offers:>7} | {a[0]:>10.1f} {a[1]:>10.1f} {a[2]:>10.1f}   | "
                  f"{b[0]:>10.1f} {b[1]:>10.1f} {b[2]:>10.1f}   | {statistics.mean(sizes):.0f}")
            print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
