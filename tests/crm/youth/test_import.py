"""Import of young people from an i-milo–style extract: dry run, confirmed import, stop on errors, access."""

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from crm.youth.models import YouthProfile
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import csrf_token
from tests.imports import choose_columns, start_import, upload


def _imilo_like_file():
    """What an i-milo extract looks like once opened and saved by a spreadsheet: its own headers (with
    accents, trailing spaces, other names), identifiers and INSEE codes stored as numbers, dates as dates
    or text, a blank line, extra columns the portal ignores."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Extraction"
    sheet.append(["ID i-milo", "NOM ", "Prénom", "Date de naissance", "Genre", "Code INSEE", "Commune",
                  "Tél. portable", "Email", "Niveau de formation", "Permis B", "Véhiculé", "Dispositif", "QPV",
                  "ZRR", "Codes ROME", "Date d'inscription"])
    sheet.append([1000001, "Martin", "Léa", datetime(2006, 11, 26), "F", 63430, "Thiers", 612345678,
                  "lea.martin@exemple.fr", "V", "Oui", "non", "CEJ", "non", "oui", "H2904", datetime(2024, 9, 2)])
    sheet.append(["1000002", "Dubois", "Noah", "03/04/2005", "M", None, "Puy-Guillaume", "06 11 22 33 44", None,
                  "IV", "non", "non", "PACEA", "oui", "non", "G1602; G1603", "02/09/2024"])
    sheet.append([1000003, "Sans Date", "Alex", "pas une date", "H", 63430, None, None, None, None, None, None,
                  None, None, None, "H2904", None])  # line 4: unreadable birth date
    sheet.append([1000004, "Petit", "Sam", datetime(2007, 1, 15), "F", None, "Atlantide", None, "pas-un-mail",
                  None, None, None, None, None, None, "H2904", None])  # line 5: bad e-mail, unknown commune
    sheet.append([None] * 17)  # line 6: blank
    sheet.append([1000001, "Martin", "Léa", datetime(2006, 11, 26), "F", 63430, None, None, None, None, None,
                  None, None, None, None, "H2904", None])  # line 7: same i-milo id as line 2
    sheet.append([None, "DUBOIS", "noah", date(2005, 4, 3), "M", 63430, None, None, None, None, None, None, None,
                  None, None, "H2904", None])  # line 8: same name + birth date as line 3
    sheet.append([1000009, "Déjà", "Connu", datetime(2004, 5, 12), None, 63430, None, None, None, None, None,
                  None, None, None, None, "H2904", None])  # line 9: already in the database (i-milo id)
    sheet.append([1000010, "Roux", "Jade", datetime(2004, 2, 2), None, 63430, None, None, None, None, None, None,
                  None, None, None, "Z9999", None])  # line 10: unknown ROME code
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _count():
    return db.session.scalar(select(func.count()).select_from(YouthProfile))


def _start(client):
    """Upload the file; its unknown column (« Date d'inscription ») is ignored on the columns page."""
    return start_import(client, "/jeunes/import", _imilo_like_file(), "imilo.xlsx")


@pytest.fixture
def known(make):
    obj = make.youth(first_name="Connu", last_name="Déjà", imilo_id="1000009")
    db.session.commit()
    return obj


def test_dry_run_reports_each_bad_row_and_writes_nothing(client, auth, make, known):
    auth.login(make.counsellor())
    before = _count()
    url = _start(client)
    page = client.get(url).get_data(as_text=True)
    assert "rien n'a encore été enregistré" in page
    assert re.search(r"<td>4</td><td>Date de naissance : date illisible « pas une date »", page)
    assert re.search(r"<td>5</td><td>Courriel : adresse électronique invalide", page)
    assert re.search(r"<td>7</td><td>doublon dans le fichier : même identifiant i-milo qu&#39;à la ligne 2", page)
    assert re.search(r"<td>8</td><td>doublon dans le fichier : même nom, prénom et date de naissance qu&#39;à la "
                     r"ligne 3", page)
    assert re.search(r"<td>9</td><td>déjà enregistré : identifiant i-milo 1000009", page)
    assert re.search(r"<td>10</td><td>Code ROME : Code ROME ou métier inconnu", page)
    assert _count() == before
    report = load_workbook(io.BytesIO(client.get(url + "/erreurs.xlsx").data)).active
    assert [row[0] for row in report.iter_rows(min_row=2, values_only=True)] == [4, 5, 7, 8, 9, 10]


def test_unknown_commune_is_reported(client, auth, make, known):
    """Line 5 with a good e-mail would still be refused for its commune."""
    from crm.youth.xlsx import YouthImport
    from portal.xlsx_tables import Row

    row = Row(number=5, values={"first_name": "Sam", "last_name": "Petit", "birth_date": date(2007, 1, 15),
                                "commune": "Atlantide", "targets": ["H2904"]}, raw=[])
    YouthImport().check_chunk([row])
    assert row.errors == ["Commune : « Atlantide » introuvable (indiquez le code INSEE ou le code postal si "
                          "plusieurs communes portent ce nom)."]


def test_confirmed_import_writes_exactly_the_good_rows(client, auth, make, known):
    counsellor = make.counsellor()
    auth.login(counsellor)
    before = _count()
    url = _start(client)
    client.get(url)
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert _count() == before + 2
    lea = db.session.scalar(select(YouthProfile).where(YouthProfile.imilo_id == "1000001"))
    assert (lea.first_name, lea.last_name, lea.birth_date, lea.sex, lea.commune_code, lea.phone) == (
        "Léa", "Martin", date(2006, 11, 26), "femme", "63430", "06 12 34 56 78")
    assert (lea.education_level, lea.has_licence, lea.has_vehicle, lea.programme, lea.qpv, lea.zrr) == (
        "niveau3", True, False, "cej", False, True)
    assert lea.rome_codes == ["H2904"] and lea.referent_id == counsellor.id and not lea.has_consent
    noah = db.session.scalar(select(YouthProfile).where(YouthProfile.imilo_id == "1000002"))
    assert (noah.commune_code, noah.education_level, noah.programme, noah.rome_codes) == (
        "63291", "niveau4", "pacea", ["G1602", "G1603"])
    assert "2 profil(s) enregistré(s)" in client.get(url).get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == counsellor.id)).all()
    assert actions.count("youth.create") == 2 and "youth.import" in actions
    # a second confirmation writes nothing more
    client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url)})
    assert _count() == before + 2


def test_stop_on_errors_writes_nothing(client, auth, make, known):
    auth.login(make.counsellor())
    before = _count()
    url = _start(client)
    client.get(url)
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"},
                           follow_redirects=True)
    assert "rien n&#39;a été importé" in response.get_data(as_text=True)
    assert _count() == before


def test_template_and_refusals(client, auth, make):
    auth.login(make.counsellor())
    template = load_workbook(io.BytesIO(client.get("/jeunes/import/modele.xlsx").data)).active
    assert [c.value for c in template[1]][:4] == ["Identifiant i-milo", "Nom", "Prénom", "Date de naissance"]
    token = csrf_token(client, "/jeunes/import")
    response = client.post("/jeunes/import", data={"csrf_token": token, "file": (io.BytesIO(b"a;b"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "pas un classeur Excel" in response.get_data(as_text=True)
    workbook = Workbook()
    workbook.active.append(["Nom", "Commune"])
    workbook.active.append(["Martin", "Thiers"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, "/jeunes/import", buffer.getvalue(), "x.xlsx")
    assert response.headers["Location"].endswith("/colonnes")  # required fields without a column: say so
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aucune colonne n&#39;est associée au champ obligatoire « Prénom »." in page
    response = choose_columns(client, response.headers["Location"])
    assert response.status_code == 422 and "« Date de naissance »" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["employer", "partner_user"])
def test_employers_and_partners_may_not_import(client, auth, make, role):
    auth.login(getattr(make, role)())
    assert client.get("/jeunes/import").status_code == 403
    assert client.get("/jeunes/import/modele.xlsx").status_code == 403
    assert client.get("/jeunes/export.xlsx").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/jeunes/import")
    assert response.status_code in (302, 303) and "/connexion" in response.headers["Location"]


def test_another_counsellor_cannot_see_an_import(client, auth, make):
    auth.login(make.counsellor())
    url = _start(client)
    auth.logout()
    auth.login(make.counsellor())
    assert client.get(url).status_code == 404


def test_export_shows_the_filtered_list_and_is_audited(client, auth, make):
    counsellor = make.counsellor()
    make.youth(first_name="Inès", last_name="Garcia", programme="cej", imilo_id="IM1")
    make.youth(first_name="Tom", last_name="Aubert", programme="pacea")
    db.session.commit()
    auth.login(counsellor)
    response = client.get("/jeunes/export.xlsx?programme=cej")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "Âge")
    assert [(r[0], r[1], r[6], r[8]) for r in rows[1:]] == [
        ("Garcia", "Inès", "Contrat d'engagement jeune (CEJ)", "IM1")]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "youth.export"))
    assert event.actor_id == counsellor.id and event.details == {"filters": {"programme": "cej"}, "count": 1}
