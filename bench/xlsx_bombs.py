"""How fast and in how much memory the archive check refuses the spreadsheet bombs (issue 20 §1), and what it
costs on a genuine file of the largest accepted size, beside openpyxl reading the same file.

    .venv/bin/python bench/xlsx_bombs.py

No database, no server: the check runs before any of them. Time is the median of 3 runs without tracemalloc;
memory is the peak traced by tracemalloc during one more run (beyond what was allocated before it).
"""

import io
import os
import statistics
import sys
import time
import tracemalloc
import zipfile

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


if __name__ == "__main__":
    main()
