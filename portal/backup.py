"""Backups: `flask backup [--output FILE]` and `flask restore FILE`.

PostgreSQL goes through its own tools (`pg_dump --format=custom`, `pg_restore`), which know every
object of the schema; SQLite through the sqlite3 online backup API, which copies a consistent
snapshot even while the application writes. A backup holds personal data: it is written with
owner-only permissions (see docs/rgpd.md for how long backups are kept).
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from portal.extensions import db

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore could not be done; the message is French and meant for the operator."""


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _is_postgres(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("Une base SQLite en mémoire ne peut pas être sauvegardée.")
    return url.database


def default_backup_path(now: datetime | None = None) -> str:
    """instance/backups/maillage-AAAAMMJJ-HHMMSS.<dump|sqlite3>."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    extension = "dump" if _is_postgres(_url()) else "sqlite3"
    return os.path.join(current_app.instance_path, "backups", f"maillage-{stamp}.{extension}")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"L'outil « {name} » est introuvable : installez les outils clients de PostgreSQL "
            f"(paquet postgresql-client, de la même version majeure que le serveur) puis relancez la commande.")
    return path


def _pg_command(tool: str, url: URL) -> tuple[list[str], dict[str, str]]:
    """The tool's connection arguments from the URL's parts; the password goes through PGPASSWORD."""
    args = [_tool(tool), "--no-password"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    sslmode = url.query.get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode if isinstance(sslmode, str) else sslmode[0]
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"Échec de {what} (code {result.returncode}) : {detail}")


def backup(output: str | None = None) -> str:
    """Write a backup of the application's database to `output` (default under instance/backups/)."""
    url = _url()
    path = os.path.abspath(output or default_backup_path())
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Personal data: nobody but the owner reads the file, from its first byte.
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb"):
        pass
    try:
        if _is_postgres(url):
            args, env = _pg_command("pg_dump", url)
            _run(args + ["--format=custom", "--file", path, "--dbname", url.database or ""], env,
                 "la sauvegarde (pg_dump)")
        else:
            _sqlite_copy(_sqlite_path(url), path)
    except BaseException:
        os.unlink(path)
        raise
    return path


def restore(path: str) -> None:
    """Replace the application's database by the content of the backup at `path`."""
    url = _url()
    if not os.path.isfile(path):
        raise BackupError(f"Fichier de sauvegarde introuvable : {path}")
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    # Connections of this process would hold locks or stale caches of the old content.
    db.session.remove()
    db.engine.dispose()
    if _is_postgres(url):
        if not head.startswith(PG_MAGIC):
            raise BackupError("Ce fichier n'est pas une sauvegarde PostgreSQL de Maillage (format pg_dump --format=custom).")
        args, env = _pg_command("pg_restore", url)
        _run(args + ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                     "--dbname", url.database or "", path], env, "la restauration (pg_restore)")
    else:
        if head != SQLITE_MAGIC:
            raise BackupError("Ce fichier n'est pas une sauvegarde SQLite de Maillage.")
        _sqlite_copy(path, _sqlite_path(url))


def _sqlite_copy(source: str, target: str) -> None:
    """Copy a whole SQLite database page by page (online backup API): the target is replaced."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Échec de la copie SQLite : {exc}") from exc
    finally:
        src.close()


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Fichier à écrire (par défaut instance/backups/maillage-AAAAMMJJ-HHMMSS.*).")
@with_appcontext
def backup_command(output):
    """Sauvegarder la base de données dans un fichier."""
    try:
        path = backup(output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    size = os.path.getsize(path)
    click.echo(f"Sauvegarde écrite : {path} ({size:,} octets)".replace(",", "\u202f"))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", "-y", "confirmed", is_flag=True, help="Ne pas demander de confirmation.")
@with_appcontext
def restore_command(path, confirmed):
    """Remplacer tout le contenu de la base de données par celui d'une sauvegarde."""
    if not confirmed:
        click.confirm("Tout le contenu actuel de la base sera remplacé par celui de la sauvegarde. Continuer ?",
                      abort=True)
    try:
        restore(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Base restaurée depuis {path}.")


COMMANDS = (backup_command, restore_command)
