"""How fast and in how much memory the archive check refuses the spreadsheet bombs (issue 20 §1), and what it
costs on a genuine file of the largest accepted size, beside openpyxl reading the same file.

    .venv/bin/python bench/xlsx_bombs.py           # the check alone
    .venv/bin/python bench/xlsx_bombs.py --http    # and two bombs uploaded at once to gunicorn, /healthz polled

The check alone needs no database nor server: it runs before any of them. Time is the median of 3 runs
without tracemalloc; memory is the peak traced by tracemalloc during one more run (beyond what was allocated
before it). With --http, a development app on a throw-away SQLite database is served by gunicorn (2 sync
workers, port 5093); an admin uploads the 1 GB sheet twice at once to /entreprises/import while /healthz is
asked every 50 ms; the workers' peak resident memory (VmHWM) is read before and after.
"""

import io
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import zipfile

import requests
from openpyxl import Workbook, load_workbook

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal.xlsx_guard import archive_problem  # noqa: E402
from tests import xlsx_bombs  # noqa: E402


def _fr(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _measure(call) -> tuple[float, float]:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    call()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return statistics.median(times), peak / 1024 / 1024


def _genuine() -> bytes:
    """20,000 rows of 30 different texts: the largest import the business limits accept, and some."""
    workbook = Workbook()
    for number in range(20_000):
        workbook.active.append([f"Entreprise {number} colonne {column}" for column in range(30)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl_read(content: bytes) -> None:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()


def main() -> None:
    print("| fichier | sur disque | décompressé (annoncé) | refus en | mémoire en plus (pic) | motif |")
    print("|---|---:|---:|---:|---:|---|")
    for name, build in [("feuille de plus d'1 Go", xlsx_bombs.big_sheet), ("lignes vides", xlsx_bombs.empty_rows),
                        ("une ligne de 20 millions de cellules", xlsx_bombs.wide_row)]:
        content = build()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        seconds, peak = _measure(lambda content=content: archive_problem(content))
        print(f"| {name} | {_fr(len(content) / 1024 / 1024, 1)} Mo | {_fr(unpacked / 1024 ** 3, 2)} Go "
              f"| {_fr(seconds, 2)} s | {_fr(peak, 1)} Mo | {archive_problem(content)[:60]}… |")
    content = _genuine()
    check, check_peak = _measure(lambda: archive_problem(content))
    read, read_peak = _measure(lambda: _openpyxl_read(content))
    print(f"\nFichier réel de 20 000 lignes × 30 colonnes ({_fr(len(content) / 1024 / 1024, 1)} Mo) : "
          f"contrôle {_fr(check, 2)} s ({_fr(check_peak, 1)} Mo), lecture openpyxl seule {_fr(read, 2)} s "
          f"({_fr(read_peak, 1)} Mo).")


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 5093
BASE = f"http://127.0.0.1:{PORT}"
ADMIN, PASSWORD = "bench-bombes@maillage.test", "Banc-d-essai-2026!"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _flask(env: dict, *args: str) -> None:
    subprocess.run([os.path.join(ROOT, ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def _peak_rss(pids: list[int]) -> list[float]:
    """Each process's peak resident memory so far, in MB."""
    peaks = []
    for pid in pids:
        with open(f"/proc/{pid}/status") as fh:
            peaks.append(next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024)
    return peaks


def _session() -> tuple[requests.Session, str]:
    session = requests.Session()
    token = CSRF.search(session.get(f"{BASE}/connexion").text).group(1)
    session.post(f"{BASE}/connexion", data={"email": ADMIN, "password": PASSWORD, "csrf_token": token})
    return session, CSRF.search(session.get(f"{BASE}/entreprises/import").text).group(1)


def http() -> None:
    folder = tempfile.mkdtemp(prefix="maillage-bombes-")
    env = {**os.environ, "MAILLAGE_ENV": "development", "DATABASE_URL": f"sqlite:///{folder}/bench.db",
           "SECRET_KEY": "banc-d-essai", "UPLOAD_FOLDER": os.path.join(folder, "uploads")}
    _flask(env, "db", "upgrade")
    _flask(env, "referentials", "load")
    _flask(env, "users", "create-admin", "--email", ADMIN, "--password", PASSWORD)
    server = subprocess.Popen([os.path.join(ROOT, ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{PORT}",
                               "--timeout", "300", "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if requests.get(f"{BASE}/healthz", timeout=10).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                  text=True).stdout.split()]
        clients = [_session(), _session()]  # warms both workers up too
        before = _peak_rss(workers)
        content = xlsx_bombs.big_sheet()
        latencies, done, answers = [], threading.Event(), []

        def poll() -> None:
            while not done.is_set():
                start = time.perf_counter()
                requests.get(f"{BASE}/healthz", timeout=30)
                latencies.append(time.perf_counter() - start)
                time.sleep(0.05)

        def upload(session, token) -> None:
            start = time.perf_counter()
            response = session.post(f"{BASE}/entreprises/import", data={"csrf_token": token},
                                    files={"file": ("bombe.xlsx", content)})
            answers.append((response.status_code, time.perf_counter() - start,
                            "dépasse 50" in response.text))

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(1)
        uploads = [threading.Thread(target=upload, args=client) for client in clients]
        for thread in uploads:
            thread.start()
        for thread in uploads:
            thread.join()
        time.sleep(1)
        done.set()
        poller.join()
        after = _peak_rss(workers)
        print("\nDeux envois simultanés de la feuille de plus d'1 Go (gunicorn, 2 workers) :")
        for status, seconds, refused in answers:
            print(f"- réponse {status} en {_fr(seconds, 2)} s, message de refus affiché : {'oui' if refused else 'non'}")
        print(f"- /healthz pendant ce temps : {len(latencies)} réponses, p50 {_fr(statistics.median(latencies) * 1000, 1)}"
              f" ms, pire {_fr(max(latencies) * 1000, 1)} ms")
        print("- pic de mémoire résidente des workers : " + ", ".join(
            f"{_fr(b, 0)} → {_fr(a, 0)} Mo" for b, a in zip(before, after, strict=True)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
    if "--http" in sys.argv:
        http()
