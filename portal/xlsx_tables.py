"""One declaration per spreadsheet table: its columns drive the export, the import and the import's template.

A capability declares a `Table` of `Column`s once, in its `xlsx.py`:

    COMPANIES = Table("Entreprises", [
        Column("name", "Raison sociale", ("Entreprise", "Nom"), required=True, parse=text(200),
               example="Coutellerie Exemple", get="name"),
        Column("stage", "Étape", get=lambda company, ctx: ctx["stages"].get(company.stage), imported=False),
        ...
    ])

- the export (`table.export(filename, stmt)`, through portal/xlsx_write.py) writes `table.headers()`, then
  `table.row(obj, ctx)` for each object: the columns that have a `get` (an attribute path, dotted, None along
  the way giving None; or a function of the object and the export's context), in the declared order, each
  passed through its `format` ("Oui"/"Non"...);
- the import (portal/xlsx.py) reads `table.imported`: the columns with `imported=True`, matched by their
  header or an alias (accents, case, spaces and punctuation ignored: portal/import_mapping.py), each cell
  parsed by `parse` (the value, or ValueError with the French reason); the template shows their headers and
  `example`s.

A capability's `ImportSpec` adds what is not a column: duplicates within the file, the per-chunk database
checks and the write. Adding a field to a table is one `Column`; the parsers below serve every import.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Response
from sqlalchemy import Select

from portal import contact
from portal.errors import DomainError
from portal.extensions import db
from portal.text import fold, is_digits, local_day
from portal.xlsx_write import batches, export_response

Getter = str | Callable[[Any, Any], Any]


def header_key(text: str) -> str:
    """A header as compared with a column's names: accents, case, spaces and punctuation ignored."""
    return fold(text).replace(" ", "")


def cell_text(value: Any) -> str:
    """A cell as typed text: integral floats lose their ".0" (spreadsheets store numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """One column of a table: its French header, and how it is imported and exported.

    Import: `key` names the parsed value; `parse(raw)` returns it or raises ValueError("message en français")
    (no parser: the cell's text); `aliases` are the other headers a file may give it; `required` refuses a
    row without it; `example` fills the template. Export: `get` reads it from an object (see `Table`),
    `format` turns it into the cell. A column without `get` is imported only; `imported=False`, exported only."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any], Any] | None = None
    example: Any = ""
    get: Getter | None = None
    format: Callable[[Any], Any] | None = None
    imported: bool = True

    def names(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}

    def value(self, obj: Any, ctx: Any = None) -> Any:
        """The cell this column exports for `obj`."""
        if callable(self.get):
            value = self.get(obj, ctx)
        else:
            value = obj
            for name in str(self.get).split("."):
                value = getattr(value, name)
                if value is None:
                    break
        return self.format(value) if self.format else value


@dataclass(frozen=True)
class Table:
    """A spreadsheet's columns, declared once; `title` names the sheet."""

    title: str
    columns: Sequence[Column]
    imported: list[Column] = field(init=False)
    exported: list[Column] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "imported", [c for c in self.columns if c.imported])
        object.__setattr__(self, "exported", [c for c in self.columns if c.get is not None])

    def headers(self) -> list[str]:
        """The export's header row."""
        return [c.header for c in self.exported]

    def row(self, obj: Any, ctx: Any = None) -> list[Any]:
        """The export's row for `obj`; `ctx` is what the export knows beyond the object (today, labels...)."""
        return [c.value(obj, ctx) for c in self.exported]

    def rows(self, objects: Iterable[Any], ctx: Any = None) -> Iterator[list[Any]]:
        return (self.row(obj, ctx) for obj in objects)

    def export(self, filename: str, source: Select | Iterable[Any], ctx: Any = None, *,
               per_batch: Callable[[list[Any]], Any] | None = None) -> Response:
        """Stream the objects of `source` (a list query, or any stream) as this table's xlsx download, a batch
        at a time; `per_batch(batch)`, when given, is the context of a batch (what it needs, looked up at once)."""
        def rows() -> Iterator[list[Any]]:
            for batch in batches(source):
                yield from self.rows(batch, per_batch(batch) if per_batch else ctx)

        return export_response(filename, self.headers(), rows(), sheet_title=self.title)


@dataclass
class Row:
    """A data row being checked: its spreadsheet line number, parsed values, cells and problems."""

    number: int
    values: dict[str, Any]
    raw: list[Any]  # the cells as read (a report shows them as text)
    errors: list[str] = field(default_factory=list)
    duplicate: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.duplicate


class ImportSpec:
    """What a capability says about its import file beyond its columns (`columns = TABLE.imported`,
    `title = TABLE.title`); override the hooks that apply."""

    name = "import"
    title = "Import"
    columns: list[Column] = []

    def file_keys(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, key) pairs that must be unique within the file, e.g. ("SIRET", "123...")."""
        return []

    def check_chunk(self, rows: list[Row]) -> None:
        """Database checks for a chunk of rows (in a bounded number of queries): add errors or
        `duplicate` ("déjà enregistrée : ...") to the rows."""

    def write(self, actor: Any, values: dict[str, Any]) -> None:
        """Write one good row through the capability's services (flush only)."""
        raise NotImplementedError

    def write_many(self, actor: Any, rows: list[Row]) -> list[Row]:
        """Write good rows (already checked by `check_chunk`), flush only; returns the rows refused at write
        time, with their errors. By default one `write` each in a savepoint; a spec overrides it to insert in
        bulk."""
        refused = []
        for row in rows:
            savepoint = db.session.begin_nested()
            try:
                self.write(actor, row.values)
                savepoint.commit()
            except DomainError as exc:
                savepoint.rollback()
                row.errors.append(exc.message)
                refused.append(row)
        return refused


def parse_row(number: int, raw: list[Any], mapping: dict[int, Column]) -> Row:
    """A data row's cells (`mapping`: column index -> column) parsed, with each problem in French."""
    row = Row(number=number, values={}, raw=raw)
    for index, column in mapping.items():
        value = raw[index] if index < len(raw) else None
        typed = cell_text(value)
        if not typed:
            row.values[column.key] = None
            if column.required:
                row.errors.append(f"{column.header} : information obligatoire.")
            continue
        try:
            row.values[column.key] = column.parse(value) if column.parse else typed
        except ValueError as exc:
            row.errors.append(f"{column.header} : {exc}")
            row.values[column.key] = None
    return row


# --- formatters ----------------------------------------------------------------------------------


def oui_non(value: Any) -> str:
    """A flag as the spreadsheet shows it."""
    return "Oui" if value else "Non"


def or_blank(value: Any) -> Any:
    """An empty text rather than an empty cell."""
    return value or ""


def number(value: Any) -> float | None:
    """A decimal (hours...) as a spreadsheet number."""
    return float(value) if value is not None else None


def paris_day(moment: datetime | None) -> date | None:
    """The day of a stored (UTC) time, in Paris."""
    return local_day(moment) if moment else None


# --- parsers: each returns the value or raises ValueError with the French reason -------------------


def text(size: int) -> Callable[[Any], str]:
    """The cell's text, at most `size` characters."""
    def parse(value: Any) -> str:
        typed = cell_text(value)
        if len(typed) > size:
            raise ValueError(f"{size} caractères au maximum.")
        return typed

    return parse


YES = ("oui", "o", "x", "1", "vrai", "yes")
NO = ("non", "n", "0", "faux", "no", "")


def yes_no(value: Any, yes: tuple[str, ...] = YES) -> bool:
    """« oui » or « non », and their usual spellings."""
    typed = fold(cell_text(value))
    if typed in yes:
        return True
    if typed in NO:
        return False
    raise ValueError("répondez « oui » ou « non ».")


def phone(example: str) -> Callable[[Any], str]:
    """A French phone number written "04 73 80 00 00"; a lost leading zero or a +33 prefix is put right."""
    def parse(value: Any) -> str:
        return contact.phone_number(cell_text(value), example=example)

    return parse


def email(value: Any) -> str:
    """An e-mail address, normalised."""
    return contact.email_address(cell_text(value))


def postal_code(value: Any, *, pad: bool = True) -> str:
    """Five digits; with `pad`, a leading zero a spreadsheet dropped (01000 read as 1000) is put back."""
    return contact.postal_code(cell_text(value), from_spreadsheet=pad)


def insee_code(value: Any) -> str:
    """A commune's INSEE code (Corsica's 2A/2B included); a dropped leading zero is put back."""
    typed = cell_text(value).replace(" ", "").upper()
    if is_digits(typed) and len(typed) == 4:  # a spreadsheet dropped the leading zero
        typed = "0" + typed
    if not re.fullmatch(r"\d[\dAB]\d{3}", typed):
        raise ValueError("le code INSEE comporte 5 caractères (exemple : 63430).")
    return typed


def day(value: Any) -> date:
    """A date cell, or a date typed as 26/11/2006, 2006-11-26, 26-11-2006, 26.11.2006 or 26/11/06."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    typed = cell_text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date illisible « {typed[:30]} » (format : 26/11/2006).")
