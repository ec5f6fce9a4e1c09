"""`flask backup` then `flask restore` into an empty database gives back every row of every table."""

import os

import pytest
from sqlalchemy import func, select

from portal import backup
from portal.accounts.models import User
from portal.extensions import db
from tests.e2e.databases import make_app, own_session, prepare, scratch_database, table_rows


@pytest.fixture(scope="module")
def source():
    """A database migrated, with reference and demo data, plus a row holding awkward text."""
    with own_session(), scratch_database("backup_src") as url:
        app = make_app(url)
        prepare(app, demo=True)
        with app.app_context():
            from portal.access import COUNSELLOR
            from portal.accounts.services import create_user

            create_user(email="e.lefevre@exemple.test", password="Un-mot-de-passe-2026", role=COUNSELLOR,
                        full_name="Éloïse L'Hôpital-Ñúñez \u2019 « guillemets » ; DROP TABLE user_account; --")
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        yield app, url


@pytest.fixture(autouse=True)
def _plain_session(_transaction):
    """These tests drive whole databases of their own, not the session test database."""
    with own_session():
        yield


def _invoke(app, *args, input=None):
    # Flask runs a command in the app context already pushed, if any: push this app's own.
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args), input=input)


def test_restore_into_an_empty_database_finds_every_row(source, tmp_path):
    src_app, src_url = source
    before = table_rows(src_url)
    assert len(before["user_account"]) >= 5 and len(before["commune"]) > 30_000
    assert before["alembic_version"], "la sauvegarde doit porter la version du schéma"
    file = tmp_path / "sauvegarde.bin"

    result = _invoke(src_app, "backup", "--output", str(file))
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output
    assert os.stat(file).st_mode & 0o077 == 0, "une sauvegarde contient des données personnelles"

    with scratch_database("backup_dst") as dst_url:
        dst_app = make_app(dst_url)
        assert table_rows(dst_url) == {}
        result = _invoke(dst_app, "restore", str(file), "--yes")
        assert result.exit_code == 0, result.output
        assert "Base restaurée" in result.output
        after = table_rows(dst_url)
        # The restored application works on it too.
        with dst_app.app_context():
            names = db.session.scalars(select(User.full_name)).all()
            assert db.session.scalar(select(func.count()).select_from(User)) == len(before["user_account"])
            db.session.remove()
            db.engine.dispose()
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, f"table {table} : {len(rows)} lignes avant, {len(after[table])} après"
    assert any(n and n.startswith("Éloïse L'Hôpital") for n in names)


def test_restore_replaces_what_was_there(source, tmp_path):
    src_app, src_url = source
    file = tmp_path / "avant.bin"
    assert _invoke(src_app, "backup", "-o", str(file)).exit_code == 0
    with src_app.app_context():
        db.session.execute(db.delete(User).where(User.email == "e.lefevre@exemple.test"))
        db.session.commit()
        backup.restore(str(file))
        assert db.session.scalar(select(User.id).where(User.email == "e.lefevre@exemple.test")) is not None
        db.session.remove()
        db.engine.dispose()


def test_restore_asks_for_confirmation(source, tmp_path):
    src_app, _ = source
    file = tmp_path / "s.bin"
    assert _invoke(src_app, "backup", "-o", str(file)).exit_code == 0
    result = _invoke(src_app, "restore", str(file), input="n\n")
    assert result.exit_code != 0
    assert "Tout le contenu actuel de la base sera remplacé" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(source, tmp_path):
    src_app, _ = source
    file = tmp_path / "pas-une-sauvegarde.xlsx"
    file.write_bytes(b"PK\x03\x04 ceci n'est pas une base")
    result = _invoke(src_app, "restore", str(file), "--yes")
    assert result.exit_code != 0
    assert "n'est pas une sauvegarde" in result.output
    missing = _invoke(src_app, "restore", str(tmp_path / "absent.dump"), "--yes")
    assert "Fichier de sauvegarde introuvable" in missing.output


def test_missing_postgresql_tools_give_a_french_message(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    app = make_app("postgresql+psycopg://maillage@127.0.0.1:1/inexistante")
    result = _invoke(app, "backup", "-o", str(tmp_path / "x.dump"))
    assert result.exit_code != 0
    assert "L'outil « pg_dump » est introuvable" in result.output
    assert "postgresql-client" in result.output
    assert not (tmp_path / "x.dump").exists()


def test_default_backup_file_is_dated_under_instance(app):
    from datetime import datetime

    with app.test_request_context():
        path = backup.default_backup_path(datetime(2026, 11, 26, 7, 5, 9))
    assert path.startswith(os.path.join(app.instance_path, "backups"))
    assert os.path.basename(path) in ("maillage-20261126-070509.dump", "maillage-20261126-070509.sqlite3")
