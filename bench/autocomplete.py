"""Time the reference-data autocompletes on the full tables (target: under 50 ms per answer).

    .venv/bin/python bench/autocomplete.py                      # a fresh SQLite database in a temp folder
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maillage_bench .venv/bin/python bench/autocomplete.py

The database is migrated and the reference data loaded when missing; each query is asked through the HTTP
layer (Flask test client), so the figures include the view and the JSON encoding. Prints p50 / p95 / max
per endpoint and exits non-zero when a p95 exceeds the target.
"""

import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db, limiter  # noqa: E402

TARGET_MS = 50.0
ROUNDS = 5

QUERIES = {
    "communes": ["thie", "th", "saint", "SAINT REMY", "saint-rémy-sur-d", "63300", "63", "clermont", "la",
                 "puy", "courpière", "zzzz", "' OR 1=1 --", "%_%", "a" * 10_000],
    "appellations": ["chaudronn", "ch", "vendeur", "aide", "soudeur", "coutelier", "h2902", "agent de",
                     "boulanger", "mécanicien", "zzzz", "' OR 1=1 --", "a" * 10_000],
    "rome": ["chaud", "vente", "a", "aide", "zzzz"],
    "naf": ["coutel", "25.71", "2571", "fabrication", "commerce de détail", "a", "01", "zzzz"],
    "epci": ["thiers", "cc", "communauté", "200070712", "zzzz"],
}


def app_with_referentials(**config):
    """The app on DATABASE_URL (else a fresh SQLite file), migrated, with the reference data: (app, url)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="maillage-bench-"), "bench.db")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, **config})
    with app.app_context():
        upgrade()
        from portal.referentials.models import Commune

        if not db.session.scalar(select(func.count()).select_from(Commune)):
            from portal.referentials.loader import load_all
            from portal.referentials.services import ensure_default_territory

            print("Chargement des référentiels…", flush=True)
            load_all()
            ensure_default_territory()
            db.session.commit()
    return app, url


def main() -> int:
    app, url = app_with_referentials()
    print(f"Base : {url.split('@')[-1]}")
    client = app.test_client()
    worst = 0.0
    with app.app_context():
        limiter.enabled = False
        for endpoint, queries in QUERIES.items():
            timings = []
            for q in queries:
                client.get(f"/referentiels/{endpoint}", query_string={"q": q})  # warm-up
            for _ in range(ROUNDS):
                for q in queries:
                    start = time.perf_counter()
                    response = client.get(f"/referentiels/{endpoint}", query_string={"q": q})
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (endpoint, q, response.status_code)
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            worst = max(worst, p95)
            print(f"{endpoint:13} {len(timings):4} requêtes   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
                  f"max {timings[-1]:6.1f} ms")
    print(f"Objectif : p95 < {TARGET_MS:.0f} ms — {'atteint' if worst < TARGET_MS else 'NON ATTEINT'}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
