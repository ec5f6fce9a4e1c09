"""Command-line interface: demo seed, create-admin, reminders, referentials, territory."""

import pytest
from sqlalchemy import func, select

from crm.employers.models import Company
from portal import create_app, reminders
from portal.accounts.models import User
from portal.demo import DEMO_ACCOUNTS
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.conftest import database_url


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_seed_creates_the_four_accounts_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Données de démonstration créées." in result.output
    assert "admin@maillage.test" in result.output and "Maillage-demo-2026" in result.output
    users, companies = _count(User), _count(Company)
    roles = dict(db.session.execute(select(User.email, User.role)).all())
    assert {email: roles[email] for email, _, _ in DEMO_ACCOUNTS} == {e: r for e, r, _ in DEMO_ACCOUNTS}
    employer = db.session.scalar(select(User).where(User.email == "employeur@maillage.test"))
    assert employer.company.name == "Coutellerie Dumas & Fils"
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0
    assert "Données de démonstration déjà présentes." in again.output
    assert (_count(User), _count(Company)) == (users, companies)


@pytest.mark.parametrize("email, role, landmark", [
    ("admin@maillage.test", "admin", "communes du territoire"),
    ("conseiller@maillage.test", "counsellor", "Inviter un employeur ou un partenaire"),
    ("employeur@maillage.test", "employer", "Coutellerie Dumas &amp; Fils"),
    ("partenaire@maillage.test", "partner", "Mobilité Solidaire Livradois-Forez"),
])
def test_each_demo_account_logs_in_to_its_home(app, client, auth, email, role, landmark):
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    assert auth.login(email, app.config["DEMO_PASSWORD"]).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert landmark in page


def test_demo_seed_is_refused_in_production():
    production = create_app({"SQLALCHEMY_DATABASE_URI": database_url()},
                            environ={"MAILLAGE_ENV": "production", "SECRET_KEY": "clé-de-production",
                                     "WEB_CONCURRENCY": "1"})
    users = _count(User)
    # the test already runs inside the testing app's context: the command must see the production one
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["demo", "seed"])
        assert result.exit_code != 0
        assert "interdites en production" in result.output
        from portal import demo

        with pytest.raises(RuntimeError, match="interdites en production"):
            demo.seed()
    assert _count(User) == users


def test_create_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "--email", "Direction@Mission-Locale.fr",
                                 "--name", "Anne Direction", "--password", "Premier-Admin-2026!"])
    assert result.exit_code == 0, result.output
    assert "Compte administrateur créé" in result.output
    admin = db.session.scalar(select(User).where(User.email == "direction@mission-locale.fr"))
    assert admin.role == "admin" and admin.active and admin.full_name == "Anne Direction"
    again = runner.invoke(args=["users", "create-admin", "--email", "direction@mission-locale.fr",
                                "--password", "Premier-Admin-2026!"])
    assert again.exit_code != 0
    assert "Un compte existe déjà avec cette adresse électronique." in again.output


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "--email", "faible@exemple.fr",
                                                "--password", "faible"])
    assert result.exit_code != 0
    assert "au moins 12 caractères" in result.output
    assert db.session.scalar(select(User).where(User.email == "faible@exemple.fr")) is None


def test_reminders_run_every_job_and_report_a_failing_one(app, monkeypatch):
    calls = []

    def ok_job(today):
        calls.append(("ok", today))
        from portal.notifications.services import queue

        queue("rappel@exemple.test", "Rappel", "password_reset.txt", topic="essai", user=None, link="l", hours=1)
        return "1 rappel"

    def broken_job(today):
        calls.append(("broken", today))
        db.session.add(User(email="fantome@exemple.test", role="admin", full_name=""))
        db.session.flush()
        raise ValueError("base indisponible")

    def last_job(today):
        calls.append(("last", today))
        return "rien à faire"

    monkeypatch.setattr(reminders, "_JOBS", [])
    reminders.job("premier")(ok_job)
    reminders.job("casse")(broken_job)
    reminders.job("dernier")(last_job)
    reminders.job("premier")(last_job)  # a name is registered once
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--date", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert [name for name, _ in calls] == ["ok", "broken", "last"]
    assert str(calls[0][1]) == "2026-11-26"
    assert "premier: 1 rappel" in result.output
    assert "casse: ÉCHEC : base indisponible" in result.output
    assert "dernier: rien à faire" in result.output
    assert "Courriels : 0 envoyé(s), 1 journalisé(s), 0 en échec." in result.output
    # the failing job's writes are rolled back, the others' kept
    assert db.session.scalar(select(User).where(User.email == "fantome@exemple.test")) is None
    assert _count(OutboxMessage) == 1


def test_reminders_refuse_a_malformed_date(app):
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--date", "26/11/2026"])
    assert result.exit_code != 0


def test_referentials_load_and_territory_default_are_idempotent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["referentials", "load"])
    assert result.exit_code == 0, result.output
    assert "commune" in result.output and "0 ajoutées" in result.output
    result = runner.invoke(args=["territory", "default"])
    assert "Le territoire est déjà défini." in result.output
