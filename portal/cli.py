"""Command-line interface: `flask referentials load`, `flask territory default`, `flask demo seed`,
`flask notifications send`, `flask reminders run`, `flask users create-admin`."""

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal import demo
from portal.access import ADMIN
from portal.accounts import services
from portal.accounts.rules import password_problem
from portal.errors import DomainError
from portal.extensions import db
from portal.notifications.services import send_pending
from portal.referentials.loader import load_all
from portal.referentials.services import ensure_default_territory
from portal.reminders import run_all

referentials_cli = AppGroup("referentials", help="Données de référence (communes, EPCI, ROME, NAF).")
territory_cli = AppGroup("territory", help="Territoire de la Mission Locale.")
demo_cli = AppGroup("demo", help="Données de démonstration.")
notifications_cli = AppGroup("notifications", help="Boîte d'envoi des courriels.")
reminders_cli = AppGroup("reminders", help="Rappels quotidiens (à lancer par cron).")
users_cli = AppGroup("users", help="Comptes.")


@referentials_cli.command("load")
def load_referentials():
    """Load (or update) the reference data shipped with the project."""
    report = load_all()
    db.session.commit()
    for table, (inserted, updated) in report.items():
        click.echo(f"{table:18} {inserted:6} ajoutées, {updated:6} mises à jour")


@territory_cli.command("default")
def default_territory():
    """Set the default territory (45 communes around Thiers) if the territory is empty."""
    added = ensure_default_territory()
    db.session.commit()
    click.echo(f"{added} communes ajoutées au territoire." if added else "Le territoire est déjà défini.")


@demo_cli.command("seed")
def seed_demo():
    """Create the demo data once (refused under the production configuration)."""
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise click.ClickException("Les données de démonstration sont interdites en production.")
    created = demo.seed()
    click.echo("Données de démonstration créées." if created else "Données de démonstration déjà présentes.")
    click.echo("Leurs courriels se lisent sur la page « Courriels envoyés » (compte admin, /admin/courriels).")
    password = current_app.config["DEMO_PASSWORD"]
    click.echo(f"Comptes de démonstration (mot de passe : {password}) :")
    for email, _role, name in demo.DEMO_ACCOUNTS:
        click.echo(f"  {email:28} {name}")


@notifications_cli.command("send")
def send_notifications():
    """Send the pending e-mails of the outbox (or log them when no SMTP server is configured)."""
    counts = send_pending()
    click.echo(f"{counts['sent']} envoyé(s), {counts['logged']} journalisé(s), {counts['failed']} en échec.")


@reminders_cli.command("run")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date du jour à simuler (AAAA-MM-JJ).")
def run_reminders(on):
    """Run every reminder job, then send the outbox."""
    today = on.date() if on else date.today()
    for name, summary in run_all(today):
        click.echo(f"{name}: {summary}")
    counts = send_pending()
    click.echo(f"Courriels : {counts['sent']} envoyé(s), {counts['logged']} journalisé(s), "
               f"{counts['failed']} en échec.")


@users_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.password_option("--password", help="Mot de passe (demandé s'il n'est pas donné).")
def create_admin(email, name, password):
    """Create the first administrator account (production bootstrap)."""
    problem = password_problem(password, email=email)
    if problem:
        raise click.ClickException(problem)
    try:
        services.create_user(email=email, password=password, role=ADMIN, full_name=name)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Compte administrateur créé : {email}")


def register_cli(app: Flask) -> None:
    for group in (referentials_cli, territory_cli, demo_cli, notifications_cli, reminders_cli, users_cli):
        app.cli.add_command(group)
    from portal import backup  # `flask backup`, `flask restore`

    for command in backup.COMMANDS:
        app.cli.add_command(command)
