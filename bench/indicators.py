"""Where the indicators page spends its time (issue 19 §2): each query of the summary (default view: this year
against last year, whole territory), with its plan, on a dataset made by bench/generate.py.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maillage_bench_large \\
        .venv/bin/python bench/indicators.py [--filters 'qpv=oui&sexe=femme']

Prints per query: the indicators it counts, its time (EXPLAIN ANALYZE, median of 3), the shared buffers it
reads (a measure of work that the machine's load does not change) and the plan's main nodes. Not a test.
"""

import argparse
import os
import re
import statistics
import sys
from datetime import date
from urllib.parse import parse_qs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description="Requêtes de la synthèse des indicateurs et leurs plans.")
    parser.add_argument("--filters", default="", help="filtres comme dans l'adresse de la page (qpv=oui&sexe=femme)")
    parser.add_argument("--section", default="synthese", help="rubrique (synthese, jeunes, equite…)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in url:
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL remplie par bench/generate.py.")

    from sqlalchemy import event, select
    from werkzeug.datastructures import MultiDict

    from crm.reporting.dashboard import dashboard
    from crm.reporting.forms import FiltersForm
    from portal import create_app
    from portal.accounts.models import User
    from portal.extensions import db

    app = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    captured: list[tuple[str, dict]] = []
    with app.test_request_context("/indicateurs"):
        user = db.session.scalar(select(User).where(User.email == "conseiller@maillage.test"))
        form = FiltersForm(MultiDict([(k, v) for k, vs in parse_qs(args.filters).items() for v in vs]))
        form.validate()
        if form.annee.data is None:
            form.annee.data = date.today().year
        filters = form.to_filters(date.today())

        def capture(conn, cursor, statement, parameters, context, executemany):
            captured.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", capture)
        dashboard(user, filters, date.today(), section=args.section)
        event.remove(db.engine, "before_cursor_execute", capture)
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        total = 0.0
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            runs = []
            for _ in range(3):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                runs.append([row[0] for row in cursor.fetchall()])
            times = [float(re.search(r"Execution Time: ([\d.]+)", "\n".join(p)).group(1)) for p in runs]
            plan = runs[-1]
            buffers = re.search(r"Buffers: shared hit=(\d+)(?: read=(\d+))?", "\n".join(plan))
            pages = int(buffers.group(1)) + int(buffers.group(2) or 0) if buffers else 0
            total += statistics.median(times)
            tables = sorted(set(re.findall(r"FROM (\w+)|JOIN (\w+)", statement)) - {("", "")})
            names = sorted({t for pair in tables for t in pair if t})
            print(f"--- {statistics.median(times):7.1f} ms  {pages:6d} pages lues  tables : {', '.join(names)}")
            for line in plan:
                if re.search(r"Scan|Aggregate|Join|Sort|Limit", line) and "Sort Key" not in line:
                    print("     " + re.sub(r"\(cost=[^)]*\) ", "", line.rstrip())[:150])
        print(f"total SQL : {total:.1f} ms en {len(captured)} requêtes")


if __name__ == "__main__":
    main()
