"""Spreadsheet bombs are refused before any parsing, quickly and in little memory (issue 20 §1)."""

import io
import os
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook
from werkzeug.test import EnvironBuilder

from portal import xlsx_guard
from portal.xlsx_guard import archive_problem
from tests import xlsx_bombs
from tests.conftest import csrf_token

MEGABYTE = 1024 * 1024
IMPORTS = ["/entreprises/import", "/jeunes/import", "/annuaire/import"]
BOMBS = {
    "feuille de plus d'1 Go": (xlsx_bombs.big_sheet, "dépasse 50\u202f000 lignes"),
    "lignes vides": (xlsx_bombs.empty_rows, "dépasse 50\u202f000 lignes (lignes vides comprises)"),
    "une ligne de 20 millions de cellules": (xlsx_bombs.wide_row, "Une ligne du classeur dépasse 1\u202f000 colonnes"),
}


@pytest.fixture(scope="module")
def bombs():
    return {name: build() for name, (build, _) in BOMBS.items()}


def _peak(call):
    """(result, peak of memory allocated during `call` beyond what was allocated before)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        return result, tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _import_files(app) -> list[str]:
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "imports")
    return os.listdir(folder) if os.path.isdir(folder) else []


# every bomb on one import, and one on each of the other two: the three share the upload code
CASES = [(IMPORTS[0], bomb) for bomb in BOMBS] + [(url, "lignes vides") for url in IMPORTS[1:]]


@pytest.mark.parametrize(("url", "bomb"), CASES)
def test_each_import_refuses_the_bombs_in_bounded_memory(app, client, auth, make, bombs, url, bomb):
    content = bombs[bomb]
    assert len(content) < 5 * MEGABYTE  # within the upload limit: the archive check is what stops it
    auth.login(make.counsellor())
    token = csrf_token(client, url)
    kept = _import_files(app)
    # the multipart body is built beforehand: the client's work is not the worker's; the test client leaves a
    # body over 500 KB in a temporary file that it never closes, hence the explicit close
    builder = EnvironBuilder(path=url, method="POST", data={"csrf_token": token, "file": (io.BytesIO(content), "x.xlsx")})
    environ = builder.get_environ()
    try:
        response, peak = _peak(lambda: client.open(environ))
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 422
    assert BOMBS[bomb][1] in response.get_data(as_text=True)
    assert peak < 50 * MEGABYTE
    assert sorted(_import_files(app)) == sorted(kept)  # nothing kept on disk


def test_the_bombs_are_small_on_disk_and_huge_unpacked(bombs):
    for content in bombs.values():
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert sum(info.file_size for info in archive.infolist()) > 300 * MEGABYTE
        assert len(content) < 5 * MEGABYTE


def _sheet(xml: str) -> bytes:
    return xlsx_bombs.workbook(replace={xlsx_bombs.SHEET: (xlsx_bombs.HEAD + xml + xlsx_bombs.TAIL).encode()})


def test_a_genuine_workbook_passes():
    workbook = Workbook()
    for number in range(2_000):
        workbook.active.append([f"Entreprise {number}", "44306184100047", 63300, "Thiers", None, "a@b.fr"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert archive_problem(buffer.getvalue()) is None
    assert archive_problem(_sheet(xlsx_bombs.HEADER_ROW)) is None


def test_a_part_far_more_compressed_than_any_sheet_is_refused_without_reading_it_all():
    """1 GB of zeros in a picture: not XML, so only its size counts, read with a cap."""
    content = xlsx_bombs.workbook(bomb=("xl/media/image1.png", b"", b"\0" * 4096, 1024 * MEGABYTE, b""))
    problem, peak = _peak(lambda: archive_problem(content))
    assert problem.startswith("Une partie de ce classeur se décompresse plus de 100 fois")
    assert peak < 50 * MEGABYTE


def test_the_total_unpacked_size_is_capped(monkeypatch):
    """Three parts of 0.9 MB: each small enough to be as compressed as it likes, 2.7 MB together."""
    content = xlsx_bombs.workbook(replace={f"xl/media/image{n}.png": b"\0" * 900 * 1024 for n in range(3)})
    assert archive_problem(content) is None
    monkeypatch.setattr(xlsx_guard, "MAX_UNPACKED", 2 * MEGABYTE)
    assert archive_problem(content).startswith("Ce classeur dépasse 2 Mo une fois décompressé")


def test_a_giant_attribute_or_text_is_refused_while_expat_holds_at_most_a_megabyte():
    for head in ('<row r="1"><c r="A1" s="', '<row r="1"><c r="A1" t="inlineStr"><is><t>'):
        content = xlsx_bombs.sheet_bomb("1" * 4096, 500 * MEGABYTE, head=xlsx_bombs.HEAD + head, tail="")
        problem, peak = _peak(lambda content=content: archive_problem(content))
        assert "une balise ou un texte de plus de 1\u202f024 Ko d'un seul tenant" in problem
        assert peak < 50 * MEGABYTE


@pytest.mark.parametrize(("xml", "message"), [
    # read-only openpyxl pads every row to the declared width and yields every missing row up to the last
    ('<dimension ref="A1:XFD1048576"/>', "dépasse 50\u202f000 lignes"),
    ('<dimension ref="A1:BBB2"/>', "dépasse 1\u202f000 colonnes"),
    ('<dimension ref="A1:ALL40000"/>', "dépasse 2\u202f000\u202f000 cellules (lignes × colonnes)"),
    ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "dépasse 50\u202f000 lignes"),
    ('<row r="1"><c r="XFD1"><v>1</v></c></row>', "dépasse 1\u202f000 colonnes"),
    ("".join(f'<row r="{n % 7 + 1}"><c r="A1"><v>{n}</v></c></row>' for n in range(50_001)),
     "dépasse 50\u202f000 lignes"),
    ('<row r="1"><c r="ABC1"><v>1</v></c></row><row r="40000"/>', "dépasse 2\u202f000\u202f000 cellules"),
    ('<row r="nan"/>', "illisible"),
    ('<row r="1"><c r="1A"/></row>', "illisible"),
])
def test_declared_sizes_and_numbers_are_checked_as_openpyxl_reads_them(xml, message):
    assert message in archive_problem(_sheet(xml))


def test_parts_that_openpyxl_loads_whole_are_bounded(monkeypatch):
    """Styles, the workbook, relations are read into objects at once: 200,000 elements at most; shared texts are
    kept in a list: as many as a sheet's cells at most."""
    formats = "".join(f'<xf numFmtId="{n % 200}" fontId="{n % 7}" fillId="0" borderId="0"/>' for n in range(200_001))
    styles = f'<styleSheet xmlns="{xlsx_bombs.MAIN}"><cellXfs>{formats}</cellXfs></styleSheet>'
    problem = archive_problem(xlsx_bombs.workbook(replace={"xl/styles.xml": styles.encode()}))
    assert problem.startswith("Une partie de ce classeur (styles, liens ou définitions) compte plus de 200\u202f000 "
                              "éléments")
    texts = "".join(f"<si><t>Entreprise {n}</t></si>" for n in range(1_001))
    content = xlsx_bombs.workbook(replace={"xl/sharedStrings.xml": f'<sst xmlns="{xlsx_bombs.MAIN}">{texts}</sst>'
                                           .encode()})
    assert archive_problem(content) is None
    monkeypatch.setattr(xlsx_guard, "MAX_SHEET_CELLS", 1_000)
    assert archive_problem(content).startswith("Ce classeur contient plus de 1\u202f000 textes différents")


def test_a_dtd_is_refused():
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              f'<worksheet xmlns="{xlsx_bombs.MAIN}"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c>'
              '</row></sheetData></worksheet>')
    content = xlsx_bombs.workbook(replace={xlsx_bombs.SHEET: laughs.encode()})
    assert archive_problem(content) == "Ce fichier .xlsx est illisible ou endommagé."


def test_too_many_parts_and_damaged_archives():
    content = xlsx_bombs.workbook(replace={f"xl/media/p{n}.bin": b"x" for n in range(1_001)})
    assert archive_problem(content) == "Ce classeur contient plus de 1\u202f000 parties : il ne peut pas être importé."
    genuine = _sheet("")
    assert archive_problem(genuine[:-30]) == "Ce fichier .xlsx est illisible ou endommagé."
