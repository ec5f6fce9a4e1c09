"""The import engine shared by every capability (the writer is portal/xlsx_write.py).

Import, in two steps (DESIGN.md §5):
1. `ImportJob.start(upload, spec, owner_id)` refuses what is not a readable xlsx, over 5 MB or
   20,000 rows, or holding formulas, and keeps its cells (read once);
2. its columns are matched to the spec's fields (portal/import_mapping.py: known headers, a remembered
   mapping, or a person's choice), then `job.set_mapping(mapping)`;
3. `job.analyse(spec)` checks the rows, a chunk at a time so that a large file shows its progress:
   each row's errors, duplicates within the file and against the database. Nothing is written;
4. `run_import(job, spec, actor, stop_on_errors)` writes every good row in the caller's transaction, or
   nothing when asked to stop on errors; `error_report(job)` gives the bad rows back as xlsx.

A capability describes its file with an `ImportSpec` (portal/xlsx_tables.py: the columns of its table,
per-chunk database checks, write).
The file and its analysis stay under UPLOAD_FOLDER/imports until the RGPD retention job deletes them
(`purge_import_files`, 30 days after the import ended or was abandoned).
"""

import contextlib
import io
import json
import os
import secrets
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
from flask import current_app
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.exc import IntegrityError

from portal.xlsx_guard import archive_problem
from portal.xlsx_tables import Column, ImportSpec, Row, cell_text, parse_row
from portal.xlsx_write import workbook_bytes

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
CHUNK = 2_000


# --- import: specification -----------------------------------------------------------------------


class ImportRefused(Exception):
    """The file cannot be imported at all; `message` is French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _report_row(number: int, raw: list[Any], errors: list[str], duplicate: str | None) -> dict:
    return {"number": number, "raw": [cell_text(v) for v in raw], "errors": errors, "duplicate": duplicate}


# --- import: the job kept between requests -------------------------------------------------------


def _folder() -> str:
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], "imports")
    os.makedirs(path, exist_ok=True)
    return path


def _dump_cell(value: Any) -> Any:
    """A cell value as JSON: dates keep their type (a date cell is not a text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return str(value)


def _load_cell(value: Any) -> Any:
    if isinstance(value, dict):
        return datetime.fromisoformat(value["dt"]) if "dt" in value else date.fromisoformat(value["d"])
    return value


@dataclass
class ImportJob:
    """An uploaded file and its analysis, kept on disk between the dry run and the confirmation.

    The file is read once, at upload: its cells are kept as JSON (`<id>.rows.json`) for the analysis and the
    confirmation, which never open the workbook again. `mapping` (column index -> field) is proposed from the
    headers, then `mapped` once every header has a field or is ignored (portal/import_mapping.py)."""

    id: str
    owner_id: int
    spec: str
    filename: str
    total: int
    headers: list[str]
    mapping: dict[int, str]
    mapped: bool = False
    analysed: int = 0
    rows: list[dict] = field(default_factory=list)  # rows with a problem: number, raw, errors, duplicate
    good: int = 0
    seen: dict[str, int] = field(default_factory=dict)  # in-file keys -> first line number
    written: int | None = None

    @property
    def path(self) -> str:
        return os.path.join(_folder(), self.id)

    @property
    def done(self) -> bool:
        return self.mapped and self.analysed >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.analysed / self.total)

    @property
    def bad(self) -> int:
        return len(self.rows)

    def save(self) -> None:
        with open(self.path + ".json", "w", encoding="utf-8") as fh:
            json.dump({k: v for k, v in self.__dict__.items() if not k.startswith("_")}, fh)

    @classmethod
    def load(cls, job_id: str, owner_id: int, spec: str) -> "ImportJob | None":
        """The job if it exists and belongs to this user and this import, else None."""
        if not job_id or not job_id.isalnum() or len(job_id) > 64:
            return None
        try:
            with open(os.path.join(_folder(), job_id + ".json"), encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        try:
            data["mapping"] = {int(k): v for k, v in data["mapping"].items()}
            job = cls(**data)
        except (KeyError, TypeError, ValueError, AttributeError):  # an analysis this version cannot read
            return None
        if not os.path.exists(job.path + ".rows.json"):  # kept by an older version: to be sent again
            return None
        return job if job.owner_id == owner_id and job.spec == spec else None

    @classmethod
    def start(cls, upload: Any, spec: ImportSpec, owner_id: int) -> "ImportJob":
        """Check and keep an uploaded file (a Werkzeug FileStorage), reading its cells once; raises
        ImportRefused. The caller proposes the mapping of its columns (portal/import_mapping.py)."""
        if upload is None or not getattr(upload, "filename", ""):
            raise ImportRefused("Choisissez un fichier.")
        content = upload.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise ImportRefused("Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.")
        if not content.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportRefused("Ce fichier n'est pas un classeur Excel .xlsx (enregistrez-le au format "
                                "« Classeur Excel 2007-365 (.xlsx) » depuis votre tableur).")
        if problem := archive_problem(content):  # before any parsing: zip bombs, rows and cells beyond limits
            raise ImportRefused(problem)
        headers, rows = _read_cells(content)
        if not any(headers):
            raise ImportRefused("La première ligne du fichier est vide : elle doit porter les en-têtes des colonnes.")
        if not rows:
            raise ImportRefused("Le fichier ne contient aucune ligne de données sous les en-têtes.")
        job = cls(id=secrets.token_hex(16), owner_id=owner_id, spec=spec.name,
                  filename=os.path.basename(upload.filename)[:200], total=rows[-1][0] - 1, headers=headers,
                  mapping={})
        with open(job.path + ".xlsx", "wb") as fh:
            fh.write(content)
        with open(job.path + ".rows.json", "w", encoding="utf-8") as fh:
            json.dump(rows, fh, separators=(",", ":"))
        job.save()
        return job

    def set_mapping(self, mapping: dict[int, str]) -> None:
        """The columns' fields as chosen (or all recognised): the analysis starts again from the first row."""
        self.mapping, self.mapped = dict(mapping), True
        self.analysed, self.rows, self.good, self.seen = 0, [], 0, {}
        with contextlib.suppress(OSError):
            os.remove(self.path + ".good.jsonl")
        self.save()

    def _mapping(self, spec: ImportSpec) -> dict[int, Column]:
        by_key = {c.key: c for c in spec.columns}
        return {i: by_key[k] for i, k in self.mapping.items() if k in by_key}

    def _cells(self) -> list:
        if getattr(self, "_cached", None) is None:
            with open(self.path + ".rows.json", encoding="utf-8") as fh:
                self._cached = json.load(fh)
        return self._cached

    def iter_rows(self, spec: ImportSpec, start: int = 0, limit: int | None = None) -> Iterator[Row]:
        """Parsed data rows from the `start`-th (0-based), at most `limit` of them (blank rows count)."""
        mapping = self._mapping(spec)
        last = 1 + self.total if limit is None else 1 + min(self.total, start + limit)
        for number, values in self._cells():
            if 2 + start <= number <= last:
                yield parse_row(number, [_load_cell(v) for v in values], mapping)

    def analyse(self, spec: ImportSpec, chunk: int = CHUNK) -> None:
        """Check the next chunk of rows (errors, duplicates in the file and in the database); writes nothing."""
        if self.done or not self.mapped:
            return
        rows = list(self.iter_rows(spec, self.analysed, chunk))
        checkable = [r for r in rows if not r.errors]
        for row in checkable:
            for label, key in spec.file_keys(row.values):
                if not key:
                    continue
                first = self.seen.get(f"{label}:{key}")
                if first is not None:
                    row.duplicate = f"doublon dans le fichier : même {label} qu'à la ligne {first}"
                    break
            for label, key in spec.file_keys(row.values):
                if key:
                    self.seen.setdefault(f"{label}:{key}", row.number)
        spec.check_chunk([r for r in checkable if not r.duplicate])
        with open(self.path + ".good.jsonl", "a", encoding="utf-8") as good:
            for row in rows:
                if row.ok:
                    self.good += 1
                    good.write(json.dumps([row.number, {k: _dump_cell(v) if not isinstance(v, list) else v
                                                        for k, v in row.values.items() if not k.startswith("_")}],
                                          separators=(",", ":")) + "\n")
                else:
                    self.rows.append(_report_row(row.number, row.raw, row.errors, row.duplicate))
        self.analysed = min(self.total, self.analysed + chunk)
        self.save()

    def good_rows(self) -> list[Row]:
        """The rows the dry run found good, with their parsed values as it left them (no parsing again); their
        cells are left out (`with_cells` adds them to the few a report shows)."""
        if not os.path.exists(self.path + ".good.jsonl"):
            if self.good:
                raise ImportRefused("La vérification de ce fichier n'est plus disponible : envoyez-le à nouveau.")
            return []
        with open(self.path + ".good.jsonl", encoding="utf-8") as fh:
            return [Row(number=number, values={k: _load_cell(v) for k, v in values.items()}, raw=[])
                    for number, values in map(json.loads, fh)]

    def with_cells(self, rows: list[Row]) -> list[Row]:
        numbers = {row.number for row in rows}
        cells = {number: values for number, values in self._cells() if number in numbers}
        for row in rows:
            row.raw = [_load_cell(v) for v in cells.get(row.number, [])]
        return rows

    def analyse_for(self, spec: ImportSpec, seconds: float) -> None:
        """Analyse chunk after chunk for about `seconds` (a page of the dry run), or until done."""
        deadline = time.monotonic() + seconds
        while not self.done and self.mapped and time.monotonic() < deadline:
            self.analyse(spec)

    def discard(self) -> None:
        for suffix in _SUFFIXES:
            with contextlib.suppress(OSError):
                os.remove(self.path + "." + suffix)


_SUFFIXES = ("xlsx", "json", "rows.json", "good.jsonl")


def _read_cells(content: bytes) -> tuple[list[str], list[list]]:
    """The header texts and the non-blank data rows ([line number, cells as JSON]) of the first sheet, read in
    one pass that refuses formulas and files too long."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportRefused("Ce fichier .xlsx est illisible ou endommagé.") from exc
    headers: list[str] = []
    rows: list[list] = []
    try:
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            values = []
            for cell in cells:
                if cell.data_type == "f":
                    raise ImportRefused(f"La cellule {cell.coordinate} contient une formule : enregistrez les "
                                        "valeurs (copier, puis « collage spécial : valeurs seulement »).")
                values.append(cell.value)
            if number == 1:
                headers = [cell_text(v) for v in values]
            elif any(v is not None and cell_text(v) for v in values):
                if number - 1 > MAX_ROWS:
                    raise ImportRefused(f"Le fichier dépasse {MAX_ROWS:,} lignes : découpez-le.".replace(",", " "))
                while values and values[-1] is None:
                    values.pop()
                rows.append([number, [_dump_cell(v) for v in values]])
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportRefused("Ce fichier .xlsx est illisible ou endommagé.") from exc
    finally:
        workbook.close()
    while headers and not headers[-1]:
        headers.pop()
    return headers, rows


def purge_import_files(before: float) -> int:
    """Delete the imports kept on disk (uploaded file, its cells and its analysis) whose last activity (the
    latest write of any of them) is older than `before`, a timestamp: finished or abandoned ones alike, since
    a running import writes its analysis at each step. Returns how many imports were deleted."""
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "imports")
    if not os.path.isdir(folder):
        return 0
    files: dict[str, list[os.DirEntry]] = {}
    for entry in os.scandir(folder):
        job_id, _, suffix = entry.name.partition(".")
        if suffix in _SUFFIXES and entry.is_file():
            files.setdefault(job_id, []).append(entry)
    purged = 0
    for entries in files.values():
        if max(e.stat().st_mtime for e in entries) < before:
            for entry in entries:
                with contextlib.suppress(OSError):
                    os.remove(entry.path)
            purged += 1
    return purged


@dataclass
class ImportResult:
    written: int
    refused: list[dict]  # rows refused at write time (data changed since the dry run)


def run_import(job: ImportJob, spec: ImportSpec, actor: Any, *, stop_on_errors: bool) -> ImportResult:
    """Write every good row in the caller's transaction, or nothing when asked to stop on errors.

    The rows are checked again against the database (it may have changed since the dry run), a chunk at a
    time, then written together (`spec.write_many`); a row refused now raises ImportRefused with
    `stop_on_errors` (the caller rolls back), else it joins the report."""
    if not job.done:
        raise ImportRefused("L'analyse du fichier n'est pas terminée.")
    if stop_on_errors and job.rows:
        raise ImportRefused(f"{job.bad} ligne(s) en erreur ou en doublon : rien n'a été importé.")
    rows = job.good_rows()
    for first in range(0, len(rows), CHUNK):
        spec.check_chunk(rows[first:first + CHUNK])
    refused = [_report_row(r.number, r.raw, r.errors, r.duplicate) for r in job.with_cells([r for r in rows if not r.ok])]
    good = [r for r in rows if r.ok]
    try:
        late = [] if stop_on_errors and refused else [
            _report_row(r.number, r.raw, r.errors, None) for r in job.with_cells(spec.write_many(actor, good))]
    except (IntegrityError, psycopg.IntegrityError) as exc:  # someone saved the same rows a moment before
        raise ImportRefused("Des lignes du fichier viennent d'être enregistrées par ailleurs : rien n'a été importé. "
                            "Envoyez le fichier à nouveau pour une nouvelle vérification.") from exc
    if stop_on_errors and (refused or late):
        first = (refused or late)[0]
        reason = " ; ".join(first["errors"] + ([first["duplicate"]] if first["duplicate"] else [])).rstrip(".")
        raise ImportRefused(f"Ligne {first['number']} : {reason}. Rien n'a été importé.")
    return ImportResult(written=len(good) - len(late), refused=refused + late)


def error_report(job: ImportJob, extra: list[dict] | None = None) -> bytes:
    """The bad rows as a workbook: line number, reasons, then the row as it was in the file."""
    rows = sorted(job.rows + (extra or []), key=lambda r: r["number"])
    return workbook_bytes(["Ligne", "Problème"] + job.headers,
                          ([r["number"], " ; ".join(r["errors"] + ([r["duplicate"]] if r["duplicate"] else []))]
                           + r["raw"] for r in rows), sheet_title="Erreurs")


def template(spec: ImportSpec) -> bytes:
    """An empty import file for the spec: its headers and one example row."""
    return workbook_bytes([c.header for c in spec.columns], [[c.example for c in spec.columns]],
                          sheet_title=spec.title)
