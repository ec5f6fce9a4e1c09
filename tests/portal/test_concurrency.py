"""Concurrent edits without loss (issue 10): a stale save is refused with the other person's change shown.

In-process tests run on SQLite and PostgreSQL; the last one serves the app with two gunicorn workers on a
scratch PostgreSQL database (`<test database>_concurrency`) and is skipped elsewhere.
"""

import html
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
from flask import Flask

from portal import concurrency
from portal.forms import Form
from tests.concurrency import conflict_message, form_values
from tests.conftest import database_url, is_postgres


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- in process -----------------------------------------------------------------------------------

def test_company_second_save_on_stale_version_shows_the_other_change(app, client, auth, make):
    from portal.extensions import db

    company = make.company(name="Forges de la Durolle", phone="04 73 80 00 01")
    alice, bob = make.counsellor(full_name="Alice Martin"), make.counsellor(full_name="Bruno Faure")
    url = f"/entreprises/{company.id}/modifier"
    auth.login(alice)
    stale = form_values(client.get(url).get_data(as_text=True))
    assert stale["version"] == "1"
    auth.logout()
    auth.login(bob)
    theirs = form_values(client.get(url).get_data(as_text=True)) | {"phone": "04 73 99 99 99"}
    assert client.post(url, data=theirs).status_code == 303
    auth.logout()
    auth.login(alice)
    mine = stale | {"name": "Forges Durolle", "csrf_token": theirs["csrf_token"]}
    response = client.post(url, data=mine)
    page = _text(response)
    assert response.status_code == 422
    message = conflict_message(page)
    assert "modifiée entre-temps par Bruno Faure" in message
    assert "enregistré : « 04 73 99 99 99 »" in message
    assert 'value="Forges Durolle"' in page  # nothing Alice typed is lost
    db.session.expire_all()
    assert (company.name, company.phone) == ("Forges de la Durolle", "04 73 99 99 99")
    # Having seen the change, Alice saves again, knowingly: the form now carries the current version.
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(company.version)
    assert client.post(url, data=again).status_code == 303
    db.session.expire_all()
    assert (company.name, company.phone) == ("Forges Durolle", "04 73 80 00 01")  # her values, knowingly


def test_offer_second_save_on_stale_version_is_refused(app, client, auth, make):
    from portal.extensions import db

    offer = make.offer()
    alice, bob = make.counsellor(), make.counsellor(full_name="Bruno Faure")
    url = f"/offres/{offer.id}/modifier"
    auth.login(alice)
    stale = form_values(client.get(url).get_data(as_text=True))
    auth.logout()
    auth.login(bob)
    theirs = form_values(client.get(url).get_data(as_text=True)) | {"title": "Titre de Bruno"}
    saved = client.post(url, data=theirs)
    assert saved.status_code == 303, re.findall(r'class="error[^"]*"[^>]*>([^<]+)', _text(saved))
    auth.logout()
    auth.login(alice)
    response = client.post(url, data=stale | {"title": "Titre d'Alice", "csrf_token": theirs["csrf_token"]})
    page = _text(response)
    assert response.status_code == 422
    assert "modifiée entre-temps par Bruno Faure" in conflict_message(page) and "Titre de Bruno" in page
    db.session.expire_all()
    assert offer.title == "Titre de Bruno"


def test_placement_stale_version_is_refused_with_the_saved_value(app, make):
    from wtforms import HiddenField, StringField

    placement = make.placement()

    class PlacementLike(Form):
        tutor_name = StringField("Tuteur ou tutrice")
        version = HiddenField()

    with Flask(__name__).test_request_context(method="POST", data={"tutor_name": "Autre tuteur", "version": "0"}):
        form = PlacementLike(meta={"csrf": False})
        with pytest.raises(concurrency.StaleEdit):
            concurrency.check(placement, form)
        message = concurrency.conflict_message(placement, form)
    assert "modifiée entre-temps" in message
    assert f"Tuteur ou tutrice (enregistré : « {placement.tutor_name} » ; votre saisie : « Autre tuteur » )" \
        .replace(" )", ")") in message
    assert form.version.data == placement.version


def test_a_form_without_version_is_not_checked(app, make):
    company = make.company()

    from wtforms import HiddenField

    class Bare(Form):
        version = HiddenField()

    with Flask(__name__).test_request_context(method="POST", data={}):
        concurrency.check(company, Bare(meta={"csrf": False}))  # no version posted: nothing to compare


# --- two gunicorn workers on PostgreSQL -----------------------------------------------------------

def _scratch_url() -> str:
    return re.sub(r"/([^/?]+)(\?|$)", r"/\1_concurrency\2", database_url(), count=1) \
        if database_url().count("/") >= 3 else database_url()


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(url: str) -> int:
    """Schema, reference data, two counsellors and one company; returns the company id."""
    script = f"""
import sys; sys.path.insert(0, {os.getcwd()!r})
from flask_migrate import upgrade
from portal import create_app
from portal.extensions import db
app = create_app({{"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": {url!r}}})
with app.app_context():
    upgrade()
    from bench.generate import add_missing
    add_missing()
    from portal.referentials.loader import load_all
    from portal.referentials.services import ensure_default_territory
    load_all(); ensure_default_territory()
    from tests import factories
    factories.counsellor(email="alice@exemple.test", full_name="Alice Martin")
    factories.counsellor(email="bruno@exemple.test", full_name="Bruno Faure")
    company = factories.company(name="Forges de la Durolle")
    db.session.commit()
    print(company.id)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return int(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not is_postgres(), reason="deux workers gunicorn : TEST_DATABASE_URL doit être PostgreSQL")
def test_two_gunicorn_workers_never_overwrite_silently():
    import requests

    from tests import factories

    url = _scratch_url()
    _create_database(url)
    company_id = _prepare(url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, MAILLAGE_ENV="development", DATABASE_URL=url, SECRET_KEY="test-only",
               RATELIMIT_STORAGE_URI="memory://")
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                               "wsgi:app"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)

        def session(email):
            s = requests.Session()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', s.get(base + "/connexion").text)
            s.post(base + "/connexion", data={"email": email, "password": factories.PASSWORD,
                                              "csrf_token": token.group(1)}, allow_redirects=False)
            return s

        alice, bruno = session("alice@exemple.test"), session("bruno@exemple.test")
        edit = f"{base}/entreprises/{company_id}/modifier"
        # Both load version 1, then post at the same instant: one save goes through, the other is refused.
        forms = {"alice": form_values(alice.get(edit).text) | {"phone": "04 73 11 11 11"},
                 "bruno": form_values(bruno.get(edit).text) | {"phone": "04 73 22 22 22"}}
        assert forms["alice"]["version"] == forms["bruno"]["version"] == "1"
        results, barrier = {}, threading.Barrier(2)

        def post(name, client):
            barrier.wait()
            results[name] = client.post(edit, data=forms[name], allow_redirects=False)

        threads = [threading.Thread(target=post, args=("alice", alice)), threading.Thread(target=post, args=(
            "bruno", bruno))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status_code for r in results.values())
        assert statuses == [303, 422], statuses
        loser = next(n for n, r in results.items() if r.status_code == 422)
        winner = "bruno" if loser == "alice" else "alice"
        page = html.unescape(results[loser].text)
        assert "modifiée entre-temps" in conflict_message(page) and forms[winner]["phone"] in page
        shown = html.unescape(session("alice@exemple.test").get(f"{base}/entreprises/{company_id}").text)
        assert forms[winner]["phone"] in shown and forms[loser]["phone"] not in shown
    finally:
        server.terminate()
        server.wait(timeout=30)
