"""The one spreadsheet writer: every export, template and report goes through it.

`export_response(filename, headers, rows)` streams a workbook written with openpyxl's write-only mode, so that
memory stays flat; `batches(source)` feeds it a list query (or any stream) a batch at a time, so that a
capability can look up what a batch needs in one query. Each cell goes through `safe_cell`: text that a
spreadsheet would read as a formula is written as a text cell, times are written in Paris time.
"""

import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import Cell
from sqlalchemy import Select

from portal.extensions import db
from portal.text import local

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500


def safe_cell(value: Any, sheet: Any = None) -> Any:
    """A value safe to put in a cell of `sheet` (appended; `sheet` is needed in write-only mode).

    Text is written as a text cell, exactly as typed: openpyxl would store text starting with "=" as a formula,
    so such text becomes a cell typed as text (never executed, no apostrophe added to it); text starting
    with "+", "-" or "@" is already stored as text."""
    if isinstance(value, str):
        if value.startswith("="):
            cell = Cell(sheet, row=1, column=1, value=value)  # placed where it is appended
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime):
        return local(value).replace(tzinfo=None)  # stored in UTC, read in Paris time like the pages
    if value is None or isinstance(value, int | float | Decimal | date | bool):
        return value
    return str(value)


def batches(source: Select | Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    """The rows of a list query (or of any stream) a batch at a time, with the query's eager loads, so that
    memory stays flat whatever the size and a batch's details can be looked up together."""
    if isinstance(source, Select):
        offset = 0
        while batch := db.session.scalars(source.offset(offset).limit(size)).unique().all():
            yield list(batch)
            offset += size
        return
    iterator = iter(source)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31] or "Feuille1")
    sheet.append([safe_cell(h, sheet) for h in headers])
    for row in rows:
        sheet.append([safe_cell(v, sheet) for v in row])
    return workbook


def workbook_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = "Données") -> bytes:
    """A whole small workbook in memory (templates, error reports)."""
    buffer = io.BytesIO()
    _write_rows(headers, rows, sheet_title).save(buffer)
    return buffer.getvalue()


def export_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                    sheet_title: str = "Export") -> Response:
    """Stream an xlsx download: rows are written to a temporary file as they come (write-only mode),
    then sent in chunks; pass a generator (e.g. over `batches`) so that memory stays flat."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response generator
    _write_rows(headers, rows, sheet_title).save(spool)
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while block := spool.read(64 * 1024):
                yield block
        finally:
            spool.close()

    response = Response(chunks(), mimetype=XLSX_MIMETYPE, direct_passthrough=True)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_download(filename: str, content: bytes) -> Response:
    """A workbook built in memory (a template, an error report, the board report) as a download."""
    response = Response(content, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
