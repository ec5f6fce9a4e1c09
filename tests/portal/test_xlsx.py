"""The spreadsheet engine: safe exports, refused files, header recognition."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage

from portal import import_mapping, xlsx, xlsx_write
from portal.xlsx import ImportJob, ImportRefused
from portal.xlsx_tables import Column, ImportSpec


class People(ImportSpec):
    name = "essai"
    columns = [Column("name", "Nom", ("Nom complet",), required=True), Column("email", "Courriel", ("E-mail", "Mail"))]

    def file_keys(self, values):
        return [("courriel", values.get("email") or "")]


def _upload(rows, name="fichier.xlsx", formula=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["C2"] = formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileStorage(buffer, filename=name)


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
def test_export_writes_formula_like_text_as_text(value):
    """Shown exactly as typed, in a text cell: never a formula, no apostrophe added."""
    sheet = load_workbook(io.BytesIO(xlsx_write.workbook_bytes(["A", "B"], [[value, date(2026, 12, 4)]]))).active
    assert sheet["A2"].value == value and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == datetime(2026, 12, 4)  # the cells after it are written as usual


def test_formula_like_text_is_text_in_a_workbook_built_cell_by_cell():
    """The report and the privacy export build ordinary workbooks with the same `safe_cell`."""
    workbook = Workbook()
    workbook.active.append([xlsx_write.safe_cell("=1+1"), xlsx_write.safe_cell("-2"), xlsx_write.safe_cell(3)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type) for c in row] == [("=1+1", "s"), ("-2", "s"), (3, "n")]


def test_export_response_streams_a_workbook(app):
    with app.test_request_context():
        response = xlsx_write.export_response("x.xlsx", ["Nom"], ([f"n{i}"] for i in range(1000)))
        body = b"".join(response.response)
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    assert load_workbook(io.BytesIO(body)).active.max_row == 1001


def test_headers_are_recognised_by_their_names_whatever_accents_case_spaces_and_punctuation():
    proposal = import_mapping.propose(["  NOM COMPLET ", "E.mail", "autre", "", "Nom"], People.columns)
    # « autre » is unknown and the second « Nom » repeats a field already recognised: a person chooses
    assert proposal == {0: "name", 1: "email", 3: import_mapping.IGNORE}
    assert import_mapping.repeated(["Nom", "Courriel", "NOM "]) == {2}


def test_mapping_problems_in_french():
    headers = ["Nom", "Courriel", "Autre"]
    by_index, overall = import_mapping.problems(headers, {0: "name", 1: "email"}, People.columns)
    assert by_index == {2: import_mapping.CHOOSE} and overall == []
    by_index, overall = import_mapping.problems(headers, {0: "name", 1: "name", 2: "ignorer"}, People.columns)
    assert by_index == {1: "« Nom » est déjà le champ de la colonne « Nom » : choisissez un autre champ, ou "
                           "ignorez l'une des deux."}
    by_index, overall = import_mapping.problems(headers, {0: "email", 1: "ignorer", 2: "ignorer"}, People.columns)
    assert overall == ["Aucune colonne n'est associée au champ obligatoire « Nom »."]
    assert import_mapping.problems(["A"], {0: "ignorer"}, People.columns)[1][-1] == (
        "Associez au moins une colonne à un champ.")


def test_a_chosen_mapping_is_remembered_for_the_same_headers_only(app):
    import_mapping.remember(None, "essai", ["N°", "Qui"], {0: "ignorer", 1: "name"})
    assert import_mapping.remembered("essai", [" n° ", "QUI"]) == {0: "ignorer", 1: "name"}
    assert import_mapping.remembered("essai", ["N°", "Qui", "Courriel"]) is None
    assert import_mapping.remembered("autre-import", ["N°", "Qui"]) is None
    import_mapping.remember(None, "essai", ["N°", "Qui"], {0: "name", 1: "ignorer"})  # chosen again: replaced
    assert import_mapping.remembered("essai", ["N°", "Qui"]) == {0: "name", 1: "ignorer"}


def test_refused_files(app):
    with app.test_request_context():
        with pytest.raises(ImportRefused, match="pas un classeur"):
            ImportJob.start(FileStorage(io.BytesIO(b"nom;courriel\n"), filename="a.csv"), People(), 1)
        with pytest.raises(ImportRefused, match="5 Mo"):
            ImportJob.start(FileStorage(io.BytesIO(b"PK" + b"0" * (5 * 1024 * 1024)), filename="a.xlsx"), People(), 1)
        broken = io.BytesIO()
        with zipfile.ZipFile(broken, "w") as archive:
            archive.writestr("hello.txt", "x")
        broken.seek(0)
        with pytest.raises(ImportRefused, match="illisible"):
            ImportJob.start(FileStorage(broken, filename="a.xlsx"), People(), 1)
        with pytest.raises(ImportRefused, match="formule"):
            ImportJob.start(_upload([["Nom"], ["A"]], formula="=A2"), People(), 1)
        with pytest.raises(ImportRefused, match="aucune ligne"):
            ImportJob.start(_upload([["Nom"]]), People(), 1)
        with pytest.raises(ImportRefused, match="première ligne du fichier est vide"):
            ImportJob.start(_upload([]), People(), 1)  # an empty sheet


def test_too_many_rows_are_refused(app, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with app.test_request_context(), pytest.raises(ImportRefused, match="3 lignes"):
        ImportJob.start(_upload([["Nom"]] + [[f"n{i}"] for i in range(4)]), People(), 1)


def test_analysis_in_chunks_finds_errors_and_in_file_duplicates(app):
    rows = [["Nom", "Courriel"], ["Ana", "a@x.fr"], ["", "b@x.fr"], [None, None], ["Ben", "a@x.fr"], ["Cid", "c@x.fr"]]
    with app.test_request_context():
        job = ImportJob.start(_upload(rows), People(), owner_id=7)
        assert ImportJob.load(job.id, owner_id=8, spec="essai") is None  # another user's job
        job.analyse(People(), chunk=2)
        assert job.analysed == 0  # nothing is analysed before the columns are mapped
        job.set_mapping({0: "name", 1: "email"})
        job.analyse(People(), chunk=2)
        assert not job.done and job.percent == 40
        while not job.done:
            job.analyse(People(), chunk=2)
        assert job.good == 2
        assert [(r["number"], r["errors"], r["duplicate"]) for r in job.rows] == [
            (3, ["Nom : information obligatoire."], None),
            (5, [], "doublon dans le fichier : même courriel qu'à la ligne 2"),
        ]
        report = load_workbook(io.BytesIO(xlsx.error_report(job))).active
        assert [c.value for c in report[1]][:2] == ["Ligne", "Problème"] and report["A2"].value == 3
        job.discard()


def test_timestamps_are_written_in_paris_time(app):
    """The database keeps UTC; a spreadsheet shows the time the person lived (summer: UTC+2)."""
    from datetime import date, datetime

    from portal.xlsx_write import safe_cell

    assert safe_cell(datetime(2026, 7, 1, 22, 30)) == datetime(2026, 7, 2, 0, 30)
    assert safe_cell(datetime(2026, 12, 4, 14, 2)) == datetime(2026, 12, 4, 15, 2)
    assert safe_cell(date(2026, 12, 4)) == date(2026, 12, 4)


class Clashing(People):
    """Writes rows that the database refuses as a whole (a unique constraint), as when someone saved the same
    rows between the re-check and the write."""

    def write_many(self, actor, rows):
        from portal.extensions import db

        db.session.add_all(import_mapping.ImportMapping(spec="essai", signature="meme", headers=[], mapping={})
                           for _ in rows)
        db.session.flush()
        return []


def test_a_write_refused_by_the_database_refuses_the_whole_import(app):
    from portal.extensions import db

    with app.test_request_context():
        job = ImportJob.start(_upload([["Nom"], ["Ana"], ["Ben"]]), Clashing(), owner_id=7)
        job.set_mapping({0: "name"})
        job.analyse(Clashing())
        savepoint = db.session.begin_nested()
        with pytest.raises(ImportRefused, match="rien n'a été importé"):
            xlsx.run_import(job, Clashing(), None, stop_on_errors=False)
        savepoint.rollback()
        job.discard()


def test_a_job_kept_by_an_older_version_is_not_found(app):
    import os

    with app.test_request_context():
        job = ImportJob.start(_upload([["Nom"], ["Ana"]]), People(), owner_id=7)
        os.remove(job.path + ".rows.json")  # an upload kept before the cells were kept apart
        assert ImportJob.load(job.id, owner_id=7, spec="essai") is None
        job.discard()
