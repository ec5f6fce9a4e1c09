"""Load the reference files shipped in portal/referentials/data/ into the database.

Idempotent: missing rows are inserted, changed rows updated, nothing is deleted (companies and young
people point at communes and codes).
"""

import csv
import gzip
import io
import os
from collections.abc import Iterator

from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.referentials.models import Commune, Epci, NafCode, NafSection, RomeAppellation, RomeCode
from portal.text import search_key

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def _rows(filename: str) -> Iterator[dict[str, str]]:
    path = os.path.join(DATA_DIR, filename)
    opener = gzip.open if filename.endswith(".gz") else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        yield from csv.DictReader(text)


def _upsert(model, key: str, rows: list[dict]) -> tuple[int, int]:
    existing = {r[0]: r for r in db.session.execute(select(model.__table__)).all()} if rows else {}
    new = [r for r in rows if r[key] not in existing]
    columns = [c.name for c in model.__table__.columns]
    changed = [r for r in rows if r[key] in existing
               and tuple(existing[r[key]]) != tuple(r[c] for c in columns)]
    for start in range(0, len(new), 5000):
        db.session.execute(insert(model), new[start:start + 5000])
    if changed:
        db.session.execute(update(model), changed)
    return len(new), len(changed)


def _float(value: str) -> float | None:
    return float(value) if value else None


def load_all() -> dict[str, tuple[int, int]]:
    """Load every reference table; returns (inserted, updated) per table. Flushes, does not commit."""
    report = {}
    report["naf_section"] = _upsert(NafSection, "code", [
        {"code": r["code"], "label": r["label"]} for r in _rows("naf_sections.csv")])
    report["naf_code"] = _upsert(NafCode, "code", [
        {"code": r["code"], "label": r["label"], "division_code": r["division_code"],
         "division_label": r["division_label"], "section_code": r["section_code"],
         "search_text": search_key(r["code"], r["label"])}
        for r in _rows("naf.csv")])
    report["epci"] = _upsert(Epci, "siren", [
        {"siren": r["siren"], "name": r["name"], "kind": r["type"], "member_count": int(r["member_count"]),
         "search_text": search_key(r["name"])}
        for r in _rows("epci.csv")])
    report["commune"] = _upsert(Commune, "insee_code", [
        {"insee_code": r["insee_code"], "name": r["name"], "search_text": search_key(r["name"]),
         "postal_codes": r["postal_codes"], "department_code": r["department_code"],
         "epci_siren": r["epci_siren"] or None, "latitude": _float(r["latitude"]),
         "longitude": _float(r["longitude"]), "population": int(r["population"] or 0)}
        for r in _rows("communes.csv.gz")])
    report["rome_code"] = _upsert(RomeCode, "code", [
        {"code": r["code"], "label": r["label"], "parent_code": r["parent_code"],
         "search_text": search_key(r["code"], r["label"])}
        for r in _rows("rome.csv")])
    report["rome_appellation"] = _upsert(RomeAppellation, "code", [
        {"code": r["appellation_code"], "label": r["label"], "label_short": r["label_short"],
         "rome_code": r["rome_code"], "is_main": r["classification"] == "PRINCIPALE",
         "rarely_used": r["peu_usite"] == "O", "search_text": search_key(r["label"])}
        for r in _rows("rome_appellations.csv.gz")])
    db.session.flush()
    return report
