"""Company import from a spreadsheet made by another program: dry run, confirmed import, stop on errors."""

import io
import re
from datetime import datetime

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from crm.employers.models import Company, Contact
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import valid_siret
from tests.imports import start_import


def _libreoffice_like_file(existing_siret):
    """Headers as people type them, numbers stored as numbers (SIRET, postal code), a date, blank lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feuille1"
    good1, good2 = valid_siret(), valid_siret()
    sheet.append(["Raison sociale ", "N° SIRET", "CP", "Ville", "Tél", "E-mail", "Nom du contact", "Date de saisie"])
    sheet.append(["Forges de Thiers", int(good1), 63300, "Thiers", 473800000, "contact@forges.fr", "Marie Durand",
                  datetime(2025, 3, 1)])
    sheet.append(["Salaisons Fayet", float(good2), "63290", "Puy-Guillaume", "04 73 94 00 00", None, None, None])
    sheet.append(["SIRET faux", "12345678901234", 63300, "Thiers", None, None, None, None])
    sheet.append(["Commune inconnue", None, 63300, "Atlantide", None, "pas-un-mail", None, None])
    sheet.append([None, None, None, None, None, None, None, None])
    sheet.append(["Forges de Thiers (bis)", int(good1), 63300, "Thiers", None, None, None, None])
    sheet.append(["Déjà connue", existing_siret, 63300, "Thiers", None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, good1, good2


def _count():
    return db.session.scalar(select(func.count()).select_from(Company))


def _start(client, existing_siret):
    """Upload the file; its unknown column (« Date de saisie ») is ignored on the columns page."""
    content, good1, good2 = _libreoffice_like_file(existing_siret)
    return start_import(client, "/entreprises/import", content, "entreprises.xlsx"), good1, good2


def test_dry_run_reports_each_bad_row_and_writes_nothing(client, auth, make):
    existing = make.company(siret=valid_siret(), name="Déjà connue")
    db.session.commit()
    auth.login(make.counsellor())
    before = _count()
    url, _, _ = _start(client, existing.siret)
    page = client.get(url).get_data(as_text=True)
    assert "rien n'a encore été enregistré" in page
    assert re.search(r"<td>4</td><td>SIRET : Ce SIRET n&#39;est pas valide", page)
    assert re.search(r"<td>5</td><td>Courriel : adresse électronique invalide", page)
    assert re.search(r"<td>7</td><td>doublon dans le fichier : même SIRET qu&#39;à la ligne 2", page)
    assert re.search(r"<td>8</td><td>déjà enregistrée : SIRET de « Déjà connue »", page)
    assert _count() == before
    report = load_workbook(io.BytesIO(client.get(url + "/erreurs.xlsx").data)).active
    assert [row[0] for row in report.iter_rows(min_row=2, values_only=True)] == [4, 5, 7, 8]


def test_confirmed_import_writes_exactly_the_good_rows(client, auth, make):
    existing = make.company(siret=valid_siret(), name="Déjà connue")
    db.session.commit()
    auth.login(make.counsellor())
    before = _count()
    url, good1, good2 = _start(client, existing.siret)
    client.get(url)
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert _count() == before + 2
    forges = db.session.scalar(select(Company).where(Company.siret == good1))
    assert (forges.name, forges.postal_code, forges.commune_code, forges.phone) == (
        "Forges de Thiers", "63300", "63430", "04 73 80 00 00")
    contact = db.session.scalar(select(Contact).where(Contact.company_id == forges.id))
    assert (contact.full_name, contact.is_primary, forges.stage, forges.source) == (
        "Marie Durand", True, "a_prospecter", "Import")
    assert db.session.scalar(select(Company.commune_code).where(Company.siret == good2)) == "63291"
    # written in bulk as the services write one: found by the list's search (contact's name too), audited
    page = client.get("/entreprises?q=marie durand").get_data(as_text=True)
    assert "Forges de Thiers" in page and "Salaisons Fayet" not in page
    events = db.session.execute(select(AuditEvent.action, AuditEvent.object_id, AuditEvent.summary).where(
        AuditEvent.action.in_(["company.create", "contact.create"]))).all()
    assert ("company.create", str(forges.id), "Création de l'entreprise Forges de Thiers") in events
    assert ("contact.create", str(contact.id), "Contact Marie Durand ajouté à Forges de Thiers") in events
    assert "2 entreprise(s) enregistrée(s)" in client.get(url).get_data(as_text=True)
    # a second confirmation writes nothing more
    client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)})
    assert _count() == before + 2


def test_stop_on_errors_writes_nothing(client, auth, make):
    existing = make.company(siret=valid_siret(), name="Déjà connue")
    db.session.commit()
    auth.login(make.counsellor())
    before = _count()
    url, _, _ = _start(client, existing.siret)
    client.get(url)
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"},
                           follow_redirects=True)
    assert "rien n&#39;a été importé" in response.get_data(as_text=True)
    assert _count() == before


def test_template_and_refusals(client, auth, make):
    auth.login(make.counsellor())
    template = load_workbook(io.BytesIO(client.get("/entreprises/import/modele.xlsx").data)).active
    assert template["A1"].value == "Raison sociale" and template["B1"].value == "SIRET"
    token = csrf_token(client, "/entreprises/import")
    response = client.post("/entreprises/import", data={"csrf_token": token, "file": (io.BytesIO(b"a;b"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "pas un classeur Excel" in response.get_data(as_text=True)
    response = client.post("/entreprises/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choisissez un fichier" in response.get_data(as_text=True)


def test_another_user_cannot_see_an_import(client, auth, make):
    auth.login(make.counsellor())
    url, _, _ = _start(client, valid_siret())
    auth.logout()
    auth.login(make.counsellor())
    assert client.get(url).status_code == 404


def test_a_row_refused_at_write_time_leaves_nothing_partial_when_stopping_on_errors(client, auth, make):
    """The dry run passed, then the database changed: with « ne rien importer », the rows already written in
    the same confirmation are rolled back; without it, the others are written and the row is reported."""
    sirets = [valid_siret() for _ in range(3)]
    workbook = Workbook()
    workbook.active.append(["Raison sociale", "SIRET", "Code postal", "Commune"])
    for number, siret in enumerate(sirets, start=1):
        workbook.active.append([f"Atelier {number}", siret, "63300", "Thiers"])
    content = io.BytesIO()
    workbook.save(content)
    content.seek(0)
    auth.login(make.counsellor())
    url = start_import(client, "/entreprises/import", content, "ateliers.xlsx")
    assert "Lignes non importables" not in client.get(url).get_data(as_text=True)
    make.company(siret=sirets[2], name="Arrivée entre-temps")
    db.session.commit()
    before = _count()

    page = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Ligne 4 : déjà enregistrée : SIRET de « Arrivée entre-temps ». Rien n&#39;a été importé." in page
    assert _count() == before

    page = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 entreprise(s) importée(s). 1 ligne(s) refusée(s) : voir le rapport." in page
    assert _count() == before + 2
    report = load_workbook(io.BytesIO(client.get(url + "/erreurs.xlsx").data)).active
    assert [row[:2] for row in report.iter_rows(min_row=2, values_only=True)] == [
        (4, "déjà enregistrée : SIRET de « Arrivée entre-temps »")]
