"""RGPD retention of uploaded import files: the reminders' retention job deletes the files of imports that
ended or were abandoned more than 30 days ago (configurable), keeps the others, and says how many."""

import io
import os
import time
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.privacy import services
from portal.privacy.reminders import anonymise_inactive_youth
from portal.xlsx import ImportJob
from portal.xlsx_tables import Column, ImportSpec

DAY = 24 * 3600


class People(ImportSpec):
    name = "essai"
    columns = [Column("name", "Nom", (), required=True)]


@pytest.fixture()
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path / "imports"


def _job(*, days_ago: float, analysis_days_ago: float | None = None, finished: bool = True) -> ImportJob:
    """A real import kept on disk (file, its cells and analysis), last touched `days_ago` days ago."""
    workbook = Workbook()
    for row in (["Nom"], ["Zoé Vercingétorix"], ["Léa Martin"]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    job = ImportJob.start(FileStorage(buffer, filename="jeunes.xlsx"), People(), owner_id=1)
    if finished:
        job.set_mapping({0: "name"})
        job.analyse(People())
        job.written = 2
        job.save()
    now = time.time()
    # the uploaded file and its cells are written at upload; the analysis (and its good rows) at each step
    analysed = days_ago if analysis_days_ago is None else analysis_days_ago
    for suffix, ago in ((".xlsx", days_ago), (".rows.json", days_ago), (".good.jsonl", analysed), (".json", analysed)):
        if not os.path.exists(job.path + suffix):
            continue
        os.utime(job.path + suffix, (now - ago * DAY, now - ago * DAY))
    return job


def _kept(job: ImportJob) -> bool:
    present = [os.path.exists(job.path + suffix) for suffix in (".xlsx", ".rows.json", ".json")]  # (+ good rows)
    assert present in ([True] * 3, [False] * 3)  # a job goes whole
    return present[0]


def test_old_import_files_are_deleted_recent_ones_kept_and_counted(app, uploads, make):
    admin = make.admin(email="dpo@exemple.test")
    finished_long_ago = _job(days_ago=40)
    abandoned_long_ago = _job(days_ago=31, finished=False)
    finished_recently = _job(days_ago=10)
    still_analysing = _job(days_ago=45, analysis_days_ago=0.1, finished=False)  # its analysis moved today
    (uploads / "notes.txt").write_text("pas un import")

    summary = anonymise_inactive_youth(date.today())

    assert "2 fichier(s) d'import supprimé(s) (terminés ou abandonnés depuis plus de 30 jours)" in summary
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == admin.email))
    assert "Fichiers d'import supprimés : 2 (" in mail.body and "plus de 30 jours" in mail.body
    assert not _kept(finished_long_ago) and not _kept(abandoned_long_ago)
    assert _kept(finished_recently) and _kept(still_analysing) and (uploads / "notes.txt").exists()
    assert ImportJob.load(finished_long_ago.id, 1, "essai") is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == services.IMPORT_FILES_PURGE))
    assert event.details["purged"] == 2 and event.actor_label == "système"
    assert "2 fichier(s) supprimé(s)" in event.summary

    # a second run finds nothing more, and writes nothing to the log
    assert "0 fichier(s) d'import supprimé(s)" in anonymise_inactive_youth(date.today())
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == services.IMPORT_FILES_PURGE)).all()) == 1


def test_import_files_days_come_from_the_configuration(app, uploads, monkeypatch):
    week_old = _job(days_ago=8)
    assert services.purge_imports(date.today())["purged"] == 0 and _kept(week_old)
    monkeypatch.setitem(app.config, "IMPORT_FILES_RETENTION_DAYS", "7")
    report = services.purge_imports(date.today())
    assert report["purged"] == 1 and report["days"] == 7 and not _kept(week_old)
    monkeypatch.setitem(app.config, "IMPORT_FILES_RETENTION_DAYS", "n'importe quoi")
    assert services.import_files_days() == 30


def test_no_import_folder_yet(app, uploads):
    assert services.purge_imports(date.today())["purged"] == 0 and not uploads.exists()
