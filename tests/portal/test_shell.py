"""The shell: /healthz, French error pages, security headers, cookies, configuration, layout."""

import pytest
from flask import abort

from portal import create_app
from portal.access import public
from tests.conftest import database_url


def _app(**config):
    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url(), **config})


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from portal.extensions import db

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connexion refusée"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "erreur", "database": "injoignable"}


def test_french_404_page(client):
    response = client.get("/nulle-part")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page introuvable" in page and '<html lang="fr">' in page
    assert "Retour à l'accueil" in page or "Retour à l&#39;accueil" in page


def test_french_404_as_json_for_api_clients(client):
    response = client.get("/nulle-part", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "La page demandée n'existe pas ou n'est pas accessible avec votre compte."}


def test_french_405_page(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.get_data(as_text=True)


def test_french_403_page(client, auth, make):
    auth.login(make.employer())
    response = client.get("/comptes")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)
    assert "Vous n&#39;avez pas accès à cette page." in response.get_data(as_text=True)


@pytest.fixture()
def failing_app():
    """A separate app, not in testing mode, with two routes that fail."""
    app = _app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @public
    def crash():
        raise RuntimeError("boum")

    @public
    def forbidden():
        abort(403)

    app.add_url_rule("/essai-erreur", "crash", crash)
    app.add_url_rule("/essai-interdit", "forbidden", forbidden)
    return app


def test_an_exception_gives_the_french_500_page(failing_app):
    response = failing_app.test_client().get("/essai-erreur")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in page
    assert "Une erreur inattendue s&#39;est produite" in page
    assert "boum" not in page and "Traceback" not in page
    assert response.headers["Content-Security-Policy"]
    json = failing_app.test_client().get("/essai-erreur", headers={"Accept": "application/json"})
    assert json.status_code == 500 and "erreur inattendue" in json.get_json()["error"]


def test_an_aborted_view_gives_the_french_403_page(failing_app):
    response = failing_app.test_client().get("/essai-interdit")
    assert response.status_code == 403 and "Accès refusé" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/connexion", "/healthz", "/nulle-part", "/referentiels/communes?q=thie",
                                 "/static/css/app.css"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_pages_are_not_cached(client):
    assert client.get("/connexion").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, make):
    from tests.conftest import csrf_token
    from tests.factories import PASSWORD

    user = make.counsellor()
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def _production(monkeypatch, **config):
    """A production application (the default when MAILLAGE_ENV is not set), whatever the caller's shell holds;
    one worker, so that its rate limits may stay in memory."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url(), **config}, environ={"WEB_CONCURRENCY": "1"})


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from portal.config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY doit être défini"):
        _production(monkeypatch)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production(monkeypatch, SECRET_KEY="")


def test_production_is_the_default_and_secures_cookies_and_hsts(monkeypatch, make):
    app = _production(monkeypatch, SECRET_KEY="une-vraie-clé-secrète-de-production")
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/healthz", base_url="https://maillage.example.fr")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    page = app.test_client().get("/connexion", base_url="https://maillage.example.fr")
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_environment_is_refused():
    with pytest.raises(RuntimeError, match="MAILLAGE_ENV inconnu"):
        create_app({"ENV_NAME": "staging"})


def test_database_url_is_normalised_to_psycopg3():
    from portal.config import _database_url

    assert _database_url("postgres://u@h/db", "") == "postgresql+psycopg://u@h/db"
    assert _database_url("postgresql://u@h/db", "") == "postgresql+psycopg://u@h/db"
    assert _database_url(None, "sqlite:///x.db") == "sqlite:///x.db"


def test_layout_has_skip_link_navigation_and_logout_button(client, auth, make):
    auth.login(make.admin())
    page = client.get("/").get_data(as_text=True)
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in page
    assert '<main id="contenu"' in page
    assert 'aria-label="Navigation principale"' in page
    assert 'aria-current="page"' in page
    for label in ("Comptes", "Territoire", "Journal"):
        assert f">{label}</a>" in page
    assert '<button type="submit" class="button-link">Se déconnecter</button>' in page
    assert "style=" not in page and "<style" not in page and "<script>" not in page


def test_navigation_follows_the_role(client, auth, make):
    auth.login(make.employer())
    page = client.get("/").get_data(as_text=True)
    assert ">Comptes</a>" not in page and ">Journal</a>" not in page
    assert "Mon compte" in page


def test_landing_page_for_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "Se connecter" in page
    assert "Mission Locale Bassin Thiernois" in page


def test_french_formatting_filters():
    from datetime import date, datetime

    from portal.text import date_fr, date_long_fr, datetime_fr, fold, number_fr, search_key

    assert date_fr(date(2026, 11, 26)) == "26/11/2026"
    assert date_long_fr(date(2026, 12, 4)) == "4 déc. 2026"
    # stored timestamps are naive UTC; people read Paris time (UTC+1 in winter, UTC+2 in summer)
    assert datetime_fr(datetime(2026, 11, 26, 14, 5)) == "26 nov. 2026 à 15 h 05"
    assert datetime_fr(datetime(2026, 7, 1, 23, 30)) == "2 juil. 2026 à 1 h 30"
    assert date_fr(datetime(2026, 7, 1, 23, 30)) == "02/07/2026"
    assert datetime_fr("2026-12-04T14:02:00") == "4 déc. 2026 à 15 h 02"
    assert date_fr(None) == datetime_fr(None) == date_long_fr("") == ""
    assert number_fr(1234567) == "1\u202f234\u202f567"
    assert number_fr(1234.5, 1) == "1\u202f234,5"
    assert fold("Saint-Rémy-sur-Durolle") == "saint remy sur durolle"
    assert fold("Œuvre ÉTÉ") == "oeuvre ete"
    assert search_key("Thiers", None) == " thiers"


def test_form_macro_groups_choices_in_a_fieldset(app):
    from wtforms import RadioField, StringField

    from portal.forms import Form, required

    class ChoiceForm(Form):
        class Meta:
            csrf = False

        contract = RadioField("Type de contrat", choices={"cdi": "CDI", "cdd": "CDD"}, validators=[required()])
        name = StringField("Nom")

    with app.test_request_context():
        form = ChoiceForm(data={"contract": "cdd"})
        form.contract.errors = ["Choisissez un type de contrat."]
        html = app.jinja_env.from_string(
            '{% from "macros/forms.html" import field %}{{ field(form.contract, hint="Un seul choix.") }}'
            '{{ field(form.name) }}').render(form=form)
    assert '<legend class="label">Type de contrat' in html
    assert 'aria-describedby="contract-hint contract-error"' in html
    assert '<label for="contract-0">CDI</label>' in html
    assert '<input checked id="contract-1"' in html
    assert "None" not in html
    assert '<label class="label" for="name">Nom</label>' in html


def test_error_summary_counts_exactly_what_it_lists(app):
    from wtforms import StringField

    from portal.forms import Form

    class TwoFields(Form):
        class Meta:
            csrf = False

        name = StringField("Nom")
        city = StringField("Commune")

    summary = '{% from "macros/forms.html" import error_summary %}{{ error_summary(form) }}'
    with app.test_request_context():
        form = TwoFields()
        form.validate()
        form.name.errors = ["Information obligatoire.", "Trop court."]
        form.form_errors.extend(["Ce besoin a été modifié entre-temps.", "Rechargez la page."])
        html = app.jinja_env.from_string(summary).render(form=form)
        one = TwoFields()
        one.validate()
        one.city.errors = ["Commune inconnue."]
        single = app.jinja_env.from_string(summary).render(form=one)
    # one line for the field (its messages together), one per message of the whole form
    assert "Le formulaire contient 3 erreurs" in html and html.count("<li>") == 3
    assert '<a href="#name">Nom</a> : Information obligatoire. Trop court.' in html
    assert "Le formulaire contient 1 erreur<" in single and single.count("<li>") == 1
