"""The declaration of a spreadsheet's columns (portal/xlsx_tables.py) and the tables the capabilities declare."""

import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from crm.directory.xlsx import SERVICES, ServiceImport
from crm.employers.xlsx import COMPANIES, CompanyImport
from crm.youth.xlsx import YOUTH_IMPORT, YouthImport
from portal import xlsx
from portal.xlsx_tables import Column, Table, oui_non, phone, postal_code, text, yes_no


def test_a_column_reads_a_dotted_path_a_function_or_its_key_and_formats_the_value():
    company = SimpleNamespace(name="Coutellerie", commune=None, archived_at=None, owner=SimpleNamespace(name="Léa"))
    table = Table("Essai", [
        Column("name", "Nom", get="name"),
        Column("commune", "Commune", get="commune.name", imported=False),
        Column("owner", "Chargée", get="owner.name", imported=False),
        Column("archived", "Archivée", get="archived_at", format=oui_non, imported=False),
        Column("stage", "Étape", get=lambda c, ctx: ctx[c.name], imported=False),
        Column("notes", "Notes", parse=text(10)),
    ])
    assert table.headers() == ["Nom", "Commune", "Chargée", "Archivée", "Étape"]
    assert table.row(company, {"Coutellerie": "Contactée"}) == ["Coutellerie", None, "Léa", "Non", "Contactée"]
    assert [c.key for c in table.imported] == ["name", "notes"]


def test_the_shared_parsers_say_what_is_wrong_in_french():
    assert phone("04 73 80 00 00")("473800000") == "04 73 80 00 00"
    assert postal_code(3000.0) == "03000"
    assert yes_no("X") is True and yes_no("") is False
    with pytest.raises(ValueError, match="numéro invalide"):
        phone("04 73 80 00 00")("12")
    with pytest.raises(ValueError, match="5 chiffres"):
        postal_code("3000", pad=False)
    with pytest.raises(ValueError, match="10 caractères au maximum"):
        text(10)("x" * 11)


IMPORTS = [(COMPANIES, CompanyImport), (SERVICES, ServiceImport), (YOUTH_IMPORT, YouthImport)]


@pytest.mark.parametrize(("table", "spec"), IMPORTS, ids=lambda v: getattr(v, "title", ""))
def test_an_import_reads_its_table(table, spec):
    """The import's fields are the table's imported columns, and no header or alias names two of them."""
    assert spec.columns == table.imported and spec.title == table.title
    names = [name for column in table.imported for name in column.names()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("table", "spec"), IMPORTS, ids=lambda v: getattr(v, "title", ""))
def test_an_import_template_holds_the_table_headers_and_examples(table, spec):
    sheet = load_workbook(io.BytesIO(xlsx.template(spec()))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == table.title
    assert rows[0] == [c.header for c in table.imported]
    assert rows[1] == [c.example if c.example != "" else None for c in table.imported]
