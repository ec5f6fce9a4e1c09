"""An i-milo extract taken as it comes: its own headers, level labels of the national scale, no ROME code; the
columns page for headers it does not know, remembered for the next file with the same headers."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from crm.youth.models import YouthProfile
from crm.youth.xlsx import education_level
from portal.extensions import db
from portal.import_mapping import ImportMapping
from tests.conftest import csrf_token
from tests.imports import choose_columns, columns_page, start_import, upload, xlsx_bytes

IMILO_HEADERS = ["Identifiant i-milo", "Nom", "Prénom", "Date de naissance", "Sexe", "Code postal", "Commune",
                 "Niveau de formation"]


def _xlsx(headers, rows) -> bytes:
    """As a spreadsheet program saves it: identifiers and postal codes as numbers, birth dates as date cells."""
    return xlsx_bytes(headers, rows, title="Extraction i-milo")


def _imilo_rows(levels):
    return [[2000000 + n, f"Imilo{n}", "Lou", datetime(2005, 1, 1 + n), "F", 63300, "Thiers", level]
            for n, level in enumerate(levels)]


def _count():
    return db.session.scalar(select(func.count()).select_from(YouthProfile))


@pytest.mark.parametrize(("label", "level"), [
    ("4 (Bac)", "niveau4"), ("3 (CAP/BEP)", "niveau3"), ("Niveau 5", "niveau5"), ("Infra 3", "infra3"),
    ("Bac+2", "niveau5"), ("Bac + 3", "niveau6"), ("Niveau 7", "niveau6"), ("8", "niveau6"), ("V", "niveau3"),
    ("Niveau IV", "niveau4"), ("III", "niveau5"), ("II", "niveau6"), ("I", "niveau6"), ("V bis", "infra3"),
    ("VI", "infra3"), ("infra", "infra3"), ("Sans diplôme", "infra3"), ("CAP", "niveau3"), ("BEP", "niveau3"),
    ("CAP/BEP", "niveau3"), ("Bac", "niveau4"), ("Bac pro", "niveau4"), ("BTS", "niveau5"), ("Licence", "niveau6"),
    ("CAP (niveau 3)", "niveau3"), ("Bac+2 (niveau 5)", "niveau5"), ("Infra niveau 3", "infra3"),
    ("niveau4", "niveau4"), ("Sans diplôme (infra niveau 3)", "infra3"), ("Baccalauréat (niveau 4)", "niveau4"),
])
def test_level_labels_of_the_national_scale(label, level):
    assert education_level(label) == level


@pytest.mark.parametrize("label", ["Niveau 9", "Autre", "Bac+12", "X"])
def test_unknown_level_labels(label):
    assert education_level(label) is None


def test_an_imilo_extract_is_imported_as_it_comes(client, auth, make):
    """Known headers, level labels with or without their number, no ROME code: straight to the dry run, then
    every profile written, without a target job."""
    auth.login(make.counsellor())
    before = _count()
    levels = ["4 (Bac)", "3 (CAP/BEP)", "Niveau 5", "Infra 3", "Bac+2", None]
    url = start_import(client, "/jeunes/import", _xlsx(IMILO_HEADERS, _imilo_rows(levels)), "extraction.xlsx")
    assert not url.endswith("/colonnes")  # every header known: no columns page
    page = client.get(url).get_data(as_text=True)
    assert "Lignes non importables" not in page and "rien n'a encore été enregistré" in page
    assert _count() == before
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"})
    assert response.status_code == 303
    imported = db.session.scalars(select(YouthProfile).where(YouthProfile.last_name.like("Imilo%"))
                                  .order_by(YouthProfile.imilo_id)).all()
    assert [(y.imilo_id, y.education_level, y.rome_codes, y.commune_code) for y in imported] == [
        ("2000000", "niveau4", [], "63430"), ("2000001", "niveau3", [], "63430"), ("2000002", "niveau5", [], "63430"),
        ("2000003", "infra3", [], "63430"), ("2000004", "niveau5", [], "63430"), ("2000005", None, [], "63430")]
    assert imported[0].birth_date.isoformat() == "2005-01-01" and imported[0].sex == "femme"
    assert imported[0].latitude is not None and " imilo0" in imported[0].search_text
    # the matching says why it has nothing to offer yet
    page = client.get(f"/jeunes/{imported[0].id}/offres").get_data(as_text=True)
    assert "Pas de métier visé : complétez son profil pour lui proposer des offres." in page


def test_an_unknown_level_label_is_an_error_on_its_row(client, auth, make):
    auth.login(make.counsellor())
    before = _count()
    url = start_import(client, "/jeunes/import", _xlsx(IMILO_HEADERS, _imilo_rows(["Bac", "Niveau 9", "CAP"])))
    page = client.get(url).get_data(as_text=True)
    assert re.search(r"<td>3</td><td>Niveau de formation : niveau inconnu « Niveau 9 »", page)
    response = client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"},
                           follow_redirects=True)
    assert "rien n&#39;a été importé" in response.get_data(as_text=True)  # all or nothing
    assert _count() == before


def test_an_unknown_header_is_chosen_once_then_remembered(client, auth, make):
    auth.login(make.counsellor())
    headers = ["N° dossier", "Nom", "Prénom", "Né(e) le", "Ville de résidence", "Observations"]
    rows = [[3000001, "Rivière", "Jo", datetime(2006, 3, 3), "Thiers", "rien"]]
    response = upload(client, "/jeunes/import", _xlsx(headers, rows))
    mapping_url = response.headers["Location"]
    assert mapping_url.endswith("/colonnes")
    shown = dict(columns_page(client, mapping_url).values())
    assert shown == {"N° dossier": "imilo_id", "Nom": "last_name", "Prénom": "first_name", "Né(e) le": "birth_date",
                     "Ville de résidence": "", "Observations": ""}
    # nothing chosen for the unknown columns: each says so, and nothing is remembered
    response = client.post(mapping_url, data={"csrf_token": csrf_token(client, mapping_url), "col_0": "imilo_id",
                                              "col_1": "last_name", "col_2": "first_name", "col_3": "birth_date"})
    assert response.status_code == 422
    # beside each of the two columns, and in the summary at the top
    assert response.get_data(as_text=True).count("Choisissez le champ de cette colonne") == 4
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == 0
    response = choose_columns(client, mapping_url, {"Ville de résidence": "commune", "Observations": "ignorer"})
    assert response.status_code == 303 and not response.headers["Location"].endswith("/colonnes")
    assert "Lignes non importables" not in client.get(response.headers["Location"]).get_data(as_text=True)

    # the next file with the same headers (other rows) goes straight to the dry run, read the same way
    rows = [[3000002, "Rivière", "Max", datetime(2007, 4, 4), "Courpière", "x"]]
    url = start_import(client, "/jeunes/import", _xlsx([h.upper() for h in headers], rows))
    assert not url.endswith("/colonnes")
    client.get(url)
    client.post(url + "/confirmer", data={"csrf_token": csrf_token(client, url), "stop_on_errors": "y"})
    max_ = db.session.scalar(select(YouthProfile).where(YouthProfile.imilo_id == "3000002"))
    assert (max_.first_name, max_.commune.name) == ("Max", "Courpière")
    # the columns can still be changed before confirming, from the remembered choice
    shown = dict(columns_page(client, mapping_url).values())
    assert shown["Ville de résidence"] == "commune" and shown["Observations"] == "ignorer"


def test_duplicated_headers_and_two_headers_for_one_field(client, auth, make):
    auth.login(make.counsellor())
    headers = ["Nom", "Prénom", "Date de naissance", "Commune", "Nom"]
    response = upload(client, "/jeunes/import", _xlsx(headers, [["A", "B", datetime(2006, 1, 1), "Thiers", "C"]]))
    mapping_url = response.headers["Location"]
    assert mapping_url.endswith("/colonnes")
    page = client.get(mapping_url).get_data(as_text=True)
    assert "En-tête en double dans le fichier." in page
    response = choose_columns(client, mapping_url, {"Nom": "last_name"})  # both « Nom » as the name
    assert response.status_code == 422
    assert ("« Nom » est déjà le champ de la colonne « Nom » : choisissez un autre champ, ou ignorez l&#39;une des "
            "deux.") in response.get_data(as_text=True)
    response = client.post(mapping_url, data={"csrf_token": csrf_token(client, mapping_url), "col_0": "last_name",
                                              "col_1": "first_name", "col_2": "birth_date", "col_3": "commune",
                                              "col_4": "ignorer"})
    assert response.status_code == 303


def test_an_empty_sheet_is_refused_in_french(client, auth, make):
    auth.login(make.counsellor())
    response = upload(client, "/jeunes/import", _xlsx([], []))
    assert response.status_code == 422
    assert "La première ligne du fichier est vide" in response.get_data(as_text=True)
    response = upload(client, "/jeunes/import", _xlsx(IMILO_HEADERS, []))
    assert response.status_code == 422
    assert "aucune ligne de données" in response.get_data(as_text=True)


def test_another_counsellor_cannot_choose_the_columns_of_an_import(client, auth, make):
    auth.login(make.counsellor())
    response = upload(client, "/jeunes/import", _xlsx(["Nom", "Inconnue"], [["A", "B"]]))
    mapping_url = response.headers["Location"]
    auth.logout()
    auth.login(make.counsellor())
    assert client.get(mapping_url).status_code == 404
    assert client.post(mapping_url, data={"csrf_token": csrf_token(client, "/jeunes/import")}).status_code == 404
