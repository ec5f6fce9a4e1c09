"""Benchmark over HTTP (issue 10): gunicorn (2 workers) on PostgreSQL, driven on loopback as logged-in users.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maillage_bench_small \\
        .venv/bin/python bench/run.py --scale small

Prints, for every main page and endpoint, p50/p95 over N requests and the ratio to /healthz measured in
the same run; the peak memory of a worker during exports of growing size and during a 10,000-row import
dry run; then 50 concurrent users for 60 s on a mix of pages. `--json FILE` keeps the figures, so that
`--compare small.json large.json` prints the large/small ratios. Not a test: no assertion, no exit code
from a missed target — the figures go to bench/RESULTS.md with the machine they ran on.
"""

import argparse
import io
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = os.environ.get("DEMO_PASSWORD", "Maillage-demo-2026")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


# --- server ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, MAILLAGE_ENV="development", DATABASE_URL=url, SECRET_KEY="bench-only-not-secret",
               RATELIMIT_STORAGE_URI="memory://")
    cmd = [os.path.join(ROOT, ".venv", "bin", "gunicorn"), "--workers", str(workers), "--threads", str(threads),
           "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning", "wsgi:app"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(base + "/healthz", timeout=30).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn n'a pas démarré")


def worker_pids(master: int) -> list[int]:
    try:
        with open(f"/proc/{master}/task/{master}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Samples the RSS of every worker every 10 ms; `growth_mb` is the largest rise over its baseline."""

    def __init__(self, master: int):
        self.pids = worker_pids(master)
        self.baseline = {pid: rss_kb(pid) for pid in self.pids}
        self.peak = dict(self.baseline)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_kb(pid))
            time.sleep(0.01)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return max(self.peak[p] - self.baseline[p] for p in self.pids) / 1024 if self.pids else 0.0

    @property
    def peak_mb(self) -> float:
        return max(self.peak.values()) / 1024 if self.pids else 0.0


# --- client ---------------------------------------------------------------------------------------

def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    if not match:
        raise RuntimeError("pas de jeton CSRF")
    return match.group(1) or match.group(2)


def login(base: str, email: str) -> requests.Session:
    session = requests.Session()
    token = csrf_of(session.get(base + "/connexion").text)
    response = session.post(base + "/connexion", data={"email": email, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"connexion refusée pour {email} ({response.status_code})")
    return session


def timed(session: requests.Session, url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = session.get(url, allow_redirects=False)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, response.status_code, len(response.content)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


# --- what is measured -----------------------------------------------------------------------------

def _catch_up_schema(url: str) -> None:
    """Columns added to the models since the dataset was generated (the tree moves on under it)."""
    sys.path.insert(0, ROOT)
    from bench.generate import add_missing
    from portal import create_app

    with create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": url}).app_context():
        add_missing()


def sample_ids(url: str) -> dict:
    """Ids of typical rows, read straight from the database (records of one size at both scales, counts)."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    # Records of the same size at both scales (growth of the page, not of the record): the company with 10
    # exchanges, the published offer with 15 positionings, the young person with 6 (the busiest ones hold more
    # rows at the large scale: 27 exchanges instead of 10, 23 positionings instead of 17).
    queries = {
        "company": "SELECT company_id FROM interaction WHERE company_id IS NOT NULL GROUP BY company_id "
                   "ORDER BY abs(count(*) - 10), company_id LIMIT 1",
        "offer": "SELECT offer_id FROM positioning p JOIN offer o ON o.id = p.offer_id WHERE o.status = 'publiee' "
                 "GROUP BY offer_id ORDER BY abs(count(*) - 15), offer_id LIMIT 1",
        "youth": "SELECT youth_id FROM positioning GROUP BY youth_id ORDER BY abs(count(*) - 6), youth_id LIMIT 1",
        "placement": "SELECT max(id) FROM placement",
        "hire": "SELECT max(id) FROM hire",
        "partner": "SELECT max(id) FROM partner_organisation",
        "companies": "SELECT count(*) FROM company WHERE archived_at IS NULL",
        "thiers_companies": "SELECT count(*) FROM company WHERE archived_at IS NULL AND commune_code = '63430'",
        "stage_companies": "SELECT count(*) FROM company WHERE archived_at IS NULL AND stage = 'rdv'",
    }
    with psycopg.connect(dsn) as connection:
        return {k: connection.execute(q).fetchone()[0] for k, q in queries.items()}


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(kind, label, path) of every main page and endpoint, as a counsellor sees them."""
    return [
        ("base", "/healthz", "/healthz"),
        ("page", "accueil (tableau de bord)", "/"),
        ("list", "entreprises", "/entreprises"),
        ("list", "entreprises page 40", "/entreprises?page=40"),
        ("search", "entreprises ?q=coutel", "/entreprises?q=coutel"),
        ("search", "entreprises filtres étape+commune", "/entreprises?etape=rdv&commune=63430"),
        ("search", "entreprises sans échange 90 j", "/entreprises?sans_echange=90"),
        ("search", "autocomplétion entreprises", "/entreprises/autocompletion?q=boul"),
        ("company", "fiche entreprise", f"/entreprises/{ids['company']}"),
        ("list", "tableau de prospection", "/prospection"),
        ("list", "tâches", "/taches"),
        ("list", "événements", "/evenements"),
        ("list", "offres", "/offres"),
        ("search", "offres ?q=vendeur", "/offres?q=vendeur"),
        ("search", "offres publiées CDI", "/offres?statut=publiee&contrat=cdi"),
        ("page", "fiche offre", f"/offres/{ids['offer']}"),
        ("matching", "candidats pour une offre", f"/offres/{ids['offer']}/candidats"),
        ("list", "mises en relation à traiter", "/mises-en-relation/a-traiter"),
        ("list", "jeunes", "/jeunes"),
        ("search", "jeunes ?q=martin", "/jeunes?q=martin"),
        ("page", "fiche jeune", f"/jeunes/{ids['youth']}"),
        ("matching", "offres pour un jeune", f"/jeunes/{ids['youth']}/offres"),
        ("list", "PMSMP", "/pmsmp/"),
        ("search", "PMSMP ?q=martin", "/pmsmp/?q=martin"),
        ("page", "fiche PMSMP", f"/pmsmp/{ids['placement']}"),
        ("list", "suivis", "/suivis?tous=1"),
        ("list", "embauches", "/suivis/embauches"),
        ("page", "fiche embauche", f"/suivis/embauches/{ids['hire']}"),
        ("list", "partenaires", "/partenaires"),
        ("list", "conventions", "/partenaires/conventions"),
        ("page", "fiche partenaire", f"/partenaires/{ids['partner']}"),
        ("search", "annuaire ?q=permis", "/annuaire?q=permis"),
        ("list", "signatures de la charte", "/charte/signatures"),
        ("page", "indicateurs", "/indicateurs"),
        ("filters", "indicateurs : jeunes (graphiques)", "/indicateurs?rubrique=jeunes"),
        ("filters", "indicateurs : trimestre, CC, QPV, femmes 18-21",
         "/indicateurs?periode=trimestre&annee=2026&trimestre=3&epci=200070712&qpv=oui&sexe=femme&age=18-21"),
        ("filters", "indicateurs : mois, Thiers, programme", "/indicateurs?periode=mois&annee=2026&mois=6&commune=63430"
         "&programme=cej"),
        ("filters", "indicateurs : période libre, ZRR", "/indicateurs?periode=personnalisee&du=2025-03-01&au=2026-02-28"
         "&zrr=oui"),
        ("filters", "indicateurs : équité territoriale", "/indicateurs?rubrique=equite"),
        ("search", "référentiel communes ?q=thi", "/referentiels/communes?q=thi"),
        ("search", "référentiel appellations ?q=boul", "/referentiels/appellations?q=boul"),
    ]


EMPLOYER_PAGES = [
    ("page", "employeur : mon entreprise", "/mon-entreprise"),
    ("list", "employeur : mes offres", "/mes-offres"),
]


def measure_pages(base: str, counsellor, employer, ids: dict, n: int, rounds: int) -> list[dict]:
    """Every page `n` times, in `rounds` rounds over all the pages (so that a noisy minute spreads over every
    page); each page's p50 and p95 are the medians of its rounds' p50 and p95."""
    listed = pages(ids) + EMPLOYER_PAGES
    per_round: dict[str, list[tuple[float, float]]] = {label: [] for _, label, _ in listed}
    statuses: dict[str, set] = {label: set() for _, label, _ in listed}
    sizes: dict[str, int] = {}
    for round_no in range(1, rounds + 1):
        print(f" tour {round_no}/{rounds}", flush=True)
        for _kind, label, path in listed:
            session = employer if label.startswith("employeur") else counsellor
            timed(session, base + path)  # warm-up (worker caches, reference data)
            timings = []
            for _ in range(n):
                elapsed, status, sizes[label] = timed(session, base + path)
                timings.append(elapsed)
                statuses[label].add(status)
            per_round[label].append((statistics.median(timings), percentile(timings, 95)))
            print(f"  {label:<48} p50 {per_round[label][-1][0]:7.1f} ms  p95 {per_round[label][-1][1]:7.1f} ms  "
                  f"{sorted(statuses[label])}", flush=True)
    return [{"kind": kind, "label": label, "path": path,
             "p50": statistics.median(r[0] for r in per_round[label]),
             "p95": statistics.median(r[1] for r in per_round[label]),
             "rounds_p95": [r[1] for r in per_round[label]], "status": sorted(statuses[label]),
             "bytes": sizes[label]} for kind, label, path in listed]


def measure_report(base: str, session, times: int = 3) -> dict:
    """The board report (xlsx, every indicator and table of the year), downloaded `times` times."""
    durations, status = [], None
    for _ in range(times):
        start = time.perf_counter()
        response = session.get(base + "/indicateurs/rapport.xlsx")
        durations.append(time.perf_counter() - start)
        status = response.status_code
    result = {"seconds_median": statistics.median(durations), "seconds_max": max(durations), "status": status,
              "bytes": len(response.content)}
    print(f"  rapport xlsx : médiane {result['seconds_median']:.2f} s, max {result['seconds_max']:.2f} s "
          f"({status}, {len(response.content) // 1024} Ko)", flush=True)
    return result


def measure_exports(base: str, master: int, session, ids: dict) -> list[dict]:
    """Peak RSS growth of a worker while it streams the company export, from a few rows to all of them."""
    from openpyxl import load_workbook

    results = []
    for label, query in (("Thiers", "?commune=63430"), ("étape rdv", "?etape=rdv"), ("toutes", "")):
        time.sleep(0.5)
        with MemorySampler(master) as sampler:
            start = time.perf_counter()
            response = session.get(base + "/entreprises/export.xlsx" + query)
            elapsed = time.perf_counter() - start
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = sum(1 for _ in sheet.iter_rows()) - 1
        results.append({"label": label, "rows": rows, "seconds": elapsed, "status": response.status_code,
                        "growth_mb": sampler.growth_mb, "peak_mb": sampler.peak_mb})
        print(f"  export {label:<10} {rows:6d} lignes {elapsed:6.1f} s  RSS +{sampler.growth_mb:.1f} Mo "
              f"(pic {sampler.peak_mb:.0f} Mo)", flush=True)
    return results


def import_file(rows: int) -> bytes:
    """A 10,000-row company spreadsheet as the team would have it (a few duplicates and bad rows inside)."""
    from openpyxl import Workbook
    from stdnum import luhn

    rnd = random.Random(7)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Entreprises")
    sheet.append(["Raison sociale", "SIRET", "Code postal", "Commune", "Téléphone", "Courriel", "Contact"])
    communes = [("Thiers", "63300"), ("Courpière", "63120"), ("Puy-Guillaume", "63290"), ("Lezoux", "63190"),
                ("Peschadoires", "63920"), ("Celles-sur-Durolle", "63250")]
    for i in range(rows):
        body = f"8{i:012d}"
        siret = body + luhn.calc_check_digit(body) if i % 250 else "12345678901234"  # some invalid
        commune, postal = rnd.choice(communes)
        sheet.append([f"Import Entreprise {i}", siret, postal, commune, "04 73 80 00 00",
                      f"import{i}@exemple.fr" if i % 300 else "pas-une-adresse", f"Contact {i}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(base: str, master: int, session, rows: int) -> dict:
    payload = import_file(rows)
    token = csrf_of(session.get(base + "/entreprises/import").text)
    with MemorySampler(master) as sampler:
        start = time.perf_counter()
        response = session.post(base + "/entreprises/import", data={"csrf_token": token},
                                files={"file": ("entreprises.xlsx", payload, "application/vnd.openxmlformats-"
                                                "officedocument.spreadsheetml.sheet")}, allow_redirects=False)
        location = response.headers.get("Location", "")
        steps = 0
        while location:
            page = session.get(base + location if location.startswith("/") else location)
            steps += 1
            if 'http-equiv="refresh"' not in page.text or steps > 2000:
                break
        elapsed = time.perf_counter() - start
    found = re.search(r"(\d[\d  ]*) lignes? (?:en erreur|avec erreur)", page.text if location else "")
    result = {"rows": rows, "seconds": elapsed, "steps": steps, "status": response.status_code,
              "growth_mb": sampler.growth_mb, "peak_mb": sampler.peak_mb,
              "bad": found.group(1) if found else None}
    print(f"  import à blanc {rows} lignes : {elapsed:.1f} s en {steps} pages, RSS +{sampler.growth_mb:.1f} Mo "
          f"(pic {sampler.peak_mb:.0f} Mo)", flush=True)
    return result


def measure_concurrency(base: str, ids: dict, users: int, seconds: int, think: float) -> dict:
    """`users` threads, each logged in, browse a mix of pages with a random pause between requests (the
    indicators once in the mix, under their default view, as before the filter combinations were measured)."""
    mix = [p for k, _, p in pages(ids) if k in ("list", "search", "company", "page", "matching")]
    sessions = [login(base, "conseiller@maillage.test") for _ in range(users)]
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int):
        rnd = random.Random(index)
        while time.monotonic() < deadline:
            path = rnd.choice(mix)
            try:
                elapsed, status, _ = timed(sessions[index], base + path)
                with lock:
                    timings.append(elapsed)
                    if status >= 400:
                        errors.append(f"{status} {path}")
            except requests.RequestException as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path}")
            time.sleep(rnd.uniform(0, 2 * think))

    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    result = {"users": users, "seconds": seconds, "think": think, "requests": len(timings),
              "errors": len(errors), "error_samples": errors[:5], "p50": statistics.median(timings),
              "p95": percentile(timings, 95), "max": max(timings)}
    print(f"  {users} utilisateurs, {seconds} s : {len(timings)} requêtes, {len(errors)} erreurs, "
          f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, max {result['max']:.0f} ms", flush=True)
    return result


# --- report ---------------------------------------------------------------------------------------

def machine() -> dict:
    import psycopg

    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    dsn = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    return {"nproc": os.cpu_count(), "memory_mb": mem, "postgresql": version, "load": os.getloadavg(),
            "python": sys.version.split()[0]}


def table(results: dict) -> str:
    base = next(r for r in results["pages"] if r["kind"] == "base")
    lines = ["| page | p50 (ms) | p95 (ms) | p95 / healthz | statut |", "|---|---:|---:|---:|---|"]
    for r in results["pages"]:
        lines.append(f"| {r['label']} `{r['path']}` | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['p95'] / base['p95']:.0f}× | {','.join(map(str, r['status']))} |")
    return "\n".join(lines)


def _fr(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def compare(small_file: str, large_file: str) -> None:
    """The table of RESULTS.md: medians of the rounds at both scales, growth, and p95 / healthz of each run."""
    with open(small_file) as f:
        small_run = json.load(f)
    with open(large_file) as f:
        large_run = json.load(f)
    small = {r["label"]: r for r in small_run["pages"]}
    base_small = next(r for r in small_run["pages"] if r["kind"] == "base")["p95"]
    base_large = next(r for r in large_run["pages"] if r["kind"] == "base")["p95"]
    print("| page | chemin | petite p50 | petite p95 | grande p50 | grande p95 | croissance (p95) "
          "| petite p95 / healthz | grande p95 / healthz |\n|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in large_run["pages"]:
        s = small.get(r["label"])
        if s:
            growth = r["p95"] / s["p95"]
            mark = " ⚠" if growth > 1.5 and r["kind"] != "base" else ""
            print(f"| {r['label']} | `{r['path']}` | {_fr(s['p50'])} | {_fr(s['p95'])} | {_fr(r['p50'])} | "
                  f"{_fr(r['p95'])} | {_fr(growth, 2)}{mark} | {s['p95'] / base_small:.0f}× | "
                  f"{r['p95'] / base_large:.0f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description="Banc d'essai HTTP de Maillage (PostgreSQL, gunicorn).")
    parser.add_argument("--scale", default="?", help="étiquette de l'échelle (small, large)")
    parser.add_argument("-n", "--requests", type=int, default=30, help="requêtes par page et par tour")
    parser.add_argument("--rounds", type=int, default=3, help="tours sur toutes les pages (médiane des tours)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="pause moyenne (s) entre deux requêtes d'un usager")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--skip", default="", help="parties à sauter : pages,report,memory,import,concurrency")
    parser.add_argument("--json", help="fichier où garder les mesures")
    parser.add_argument("--compare", nargs=2, metavar=("PETITE.json", "GRANDE.json"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in url:
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL remplie par bench/generate.py.")
    skip = set(args.skip.split(","))
    results = {"scale": args.scale, "machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M")}
    print(f"machine : {results['machine']}")
    _catch_up_schema(url)
    ids = sample_ids(url)
    results["ids"] = ids
    server, base = start_server(url, args.workers, args.threads)
    try:
        counsellor = login(base, "conseiller@maillage.test")
        employer = login(base, "employeur@maillage.test")
        if "pages" not in skip:
            print(f"pages ({args.rounds} tours de {args.requests} requêtes chacune) :")
            results["pages"] = measure_pages(base, counsellor, employer, ids, args.requests, args.rounds)
            print(table(results))
        if "report" not in skip:
            results["report"] = measure_report(base, counsellor)
        if "memory" not in skip:
            print("mémoire pendant l'export des entreprises :")
            results["exports"] = measure_exports(base, server.pid, counsellor, ids)
        if "import" not in skip:
            results["import"] = measure_import(base, server.pid, counsellor, args.import_rows)
        if "concurrency" not in skip:
            print("utilisateurs simultanés :")
            results["concurrency"] = measure_concurrency(base, ids, args.users, args.seconds, args.think)
        results["load_after"] = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
