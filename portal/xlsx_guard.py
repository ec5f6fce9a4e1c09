"""The archive check of an uploaded workbook, before any spreadsheet parsing (issue 20 §1).

An .xlsx is a zip of XML parts. A few megabytes can unpack to gigabytes (a "zip bomb"), and a tiny sheet
can declare a million rows or a row of millions of cells, which openpyxl then builds or pads one by one:
a worker held for minutes and gigabytes of memory. `archive_problem(content)` reads the archive once, in
small chunks, and stops at the first limit crossed:

- every part is inflated with a byte cap, whatever size the archive declares: the total may not exceed
  MAX_UNPACKED, nor a part unpack to more than MAX_RATIO times its compressed size (beyond a small floor);
- every XML part is streamed through expat (no tree kept, no DTD allowed): a single tag or text longer
  than MAX_TOKEN is refused, and sheet rows and cells are counted as they come (row numbers, columns,
  the declared dimension), as openpyxl would number them, against MAX_SHEET_ROWS, MAX_ROW_CELLS and
  MAX_SHEET_CELLS; the shared texts, which openpyxl keeps in a list, against MAX_SHEET_CELLS; the elements
  of any other part (styles, workbook, relations, which openpyxl loads whole) against MAX_PART_ELEMENTS.

Memory stays within a few chunks whatever the file. The limits are far above a real import (20,000 rows
of a few dozen columns), which portal/xlsx.py checks afterwards with its own, business limits.
"""

import io
import zipfile
import zlib
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, range_boundaries

from portal.text import number_fr

MAX_UNPACKED = 250 * 1024 * 1024  # all parts together, once inflated
MAX_RATIO = 100  # inflated / compressed size of one part; real sheets stay around 15 to 25
RATIO_FLOOR = 1024 * 1024  # small parts may be very repetitive: the ratio applies beyond this size
MAX_PARTS = 1_000
MAX_TOKEN = 1024 * 1024  # one tag or one text, from one element start to the next
MAX_SHEET_ROWS = 50_000  # rows of one sheet, empty ones included (counted and numbered)
MAX_ROW_CELLS = 1_000  # cells of one row (counted and numbered)
MAX_SHEET_CELLS = 2_000_000  # cells of one sheet, its area (last row × last column), and shared texts
MAX_PART_ELEMENTS = 200_000  # elements of any other part, which openpyxl loads whole (styles, workbook, relations)
CHUNK = 64 * 1024

SHEET_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "http://purl.oclc.org/ooxml/spreadsheetml/main")
ROW, CELL, DIMENSION, STRING = ({f"{ns} {name}" for ns in SHEET_NAMESPACES} for name in ("row", "c", "dimension", "si"))
STREAMED = {f"{ns} {name}" for ns in SHEET_NAMESPACES for name in ("worksheet", "sst")}  # limited as they are read

UNREADABLE = "Ce fichier .xlsx est illisible ou endommagé."
AGAIN = " Copiez les données à importer dans un nouveau classeur, puis envoyez celui-ci."


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _too_many_rows() -> _Refused:
    return _Refused(f"Une feuille du classeur dépasse {number_fr(MAX_SHEET_ROWS)} lignes (lignes vides comprises) : "
                    "gardez seulement les lignes à importer, ou découpez le fichier.")


def _too_many_columns() -> _Refused:
    return _Refused(f"Une ligne du classeur dépasse {number_fr(MAX_ROW_CELLS)} colonnes : "
                    "gardez seulement les colonnes à importer.")


def _too_many_cells() -> _Refused:
    return _Refused(f"Une feuille du classeur dépasse {number_fr(MAX_SHEET_CELLS)} cellules (lignes × colonnes) : "
                    "gardez seulement les lignes et les colonnes à importer.")


class _PartReader:
    """Streams one XML part through expat, counting rows and cells as openpyxl numbers them."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.fed = 0
        self.last_start = 0
        self.xml = None  # unknown until the first element: a part that is not XML is only measured
        self.root = ""
        self.elements = self.strings = 0
        self.rows = self.cells = self.row = self.column = self.row_cells = 0
        self.last_row = self.last_column = 0

    def _doctype(self, *args) -> None:
        raise _Refused(UNREADABLE)  # no workbook part has a DTD; entities are how XML bombs are made

    def _area(self) -> None:
        if self.last_row * self.last_column > MAX_SHEET_CELLS:
            raise _too_many_cells()

    def _start(self, name: str, attrs: dict) -> None:
        if not self.xml:
            self.xml, self.root = True, name
        self.last_start = self.parser.CurrentByteIndex
        self.elements += 1
        if name in CELL:
            self._cell(attrs.get("r"))
        elif name in ROW:
            self._row(attrs.get("r"))
        elif name in DIMENSION:
            self._dimension(attrs.get("ref", ""))
        elif name in STRING:
            self.strings += 1
            if self.strings > MAX_SHEET_CELLS:
                raise _Refused(f"Ce classeur contient plus de {number_fr(MAX_SHEET_CELLS)} textes différents : "
                               "gardez seulement les lignes et les colonnes à importer.")
        elif self.elements > MAX_PART_ELEMENTS and self.root not in STREAMED:
            raise _Refused(f"Une partie de ce classeur (styles, liens ou définitions) compte plus de "
                           f"{number_fr(MAX_PART_ELEMENTS)} éléments : il ne peut pas être importé." + AGAIN)

    def _row(self, number: str | None) -> None:
        self.rows += 1
        self.row_cells = self.column = 0
        try:
            self.row = int(float(number)) if number is not None else self.row + 1
        except (ValueError, OverflowError):
            raise _Refused(UNREADABLE) from None
        if self.rows > MAX_SHEET_ROWS or self.row > MAX_SHEET_ROWS:
            raise _too_many_rows()
        self.last_row = max(self.last_row, self.row)
        self._area()

    def _cell(self, reference: str | None) -> None:
        self.cells += 1
        self.row_cells += 1
        if reference is None:
            self.column += 1
        else:
            try:
                self.column = column_index_from_string(reference.rstrip("0123456789"))
            except ValueError:
                raise _Refused(UNREADABLE) from None
        if self.row_cells > MAX_ROW_CELLS or self.column > MAX_ROW_CELLS:
            raise _too_many_columns()
        if self.cells > MAX_SHEET_CELLS:
            raise _too_many_cells()
        if self.column > self.last_column:
            self.last_column = self.column
            self._area()

    def _dimension(self, ref: str) -> None:
        # read-only openpyxl pads every row to the declared width and every missing row up to the last one
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.upper())
        except (ValueError, TypeError):
            raise _Refused(UNREADABLE) from None
        if (max_row or min_row or 0) > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if (max_col or min_col or 0) > MAX_ROW_CELLS:
            raise _too_many_columns()
        self.last_row = max(self.last_row, max_row or 0)
        self.last_column = max(self.last_column, max_col or 0)
        self._area()

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.xml is False:
            return
        self.fed += len(data)
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            # before any element: not XML (an image, a binary part), only its size matters; after: openpyxl
            # stops at the same place, having met no more rows than counted here
            self.xml = False
            return
        if self.fed - self.last_start > MAX_TOKEN:
            raise _Refused(f"Ce classeur contient une balise ou un texte de plus de {number_fr(MAX_TOKEN // 1024)} "
                           "Ko d'un seul tenant : il ne peut pas être importé." + AGAIN)


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, unpacked: int) -> int:
    """Inflate and read one part; returns the total unpacked so far."""
    cap = max(RATIO_FLOOR, MAX_RATIO * info.compress_size)
    reader, size = _PartReader(), 0
    with archive.open(info) as part:
        while block := part.read(CHUNK):
            size += len(block)
            unpacked += len(block)
            if unpacked > MAX_UNPACKED:
                raise _Refused(f"Ce classeur dépasse {number_fr(MAX_UNPACKED // 1024 // 1024)} Mo une fois "
                               "décompressé : il ne peut pas être importé." + AGAIN)
            if size > cap:
                raise _Refused(f"Une partie de ce classeur se décompresse plus de {MAX_RATIO} fois : c'est "
                               "la marque d'un fichier piégé, il ne peut pas être importé." + AGAIN)
            reader.feed(block)
        reader.feed(b"", final=True)
    return unpacked


def archive_problem(content: bytes) -> str | None:
    """Why this .xlsx (the uploaded bytes) may not be opened by a spreadsheet parser, in French; None when
    it stays within every limit. Reads at most MAX_UNPACKED bytes, a chunk at a time."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                return f"Ce classeur contient plus de {number_fr(MAX_PARTS)} parties : il ne peut pas être importé."
            unpacked = 0
            for info in parts:
                unpacked = _check_part(archive, info, unpacked)
    except _Refused as refusal:
        return refusal.message
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            EOFError, ValueError):
        return UNREADABLE  # a damaged archive, a bad CRC, an unknown compression or an encrypted part
    return None
