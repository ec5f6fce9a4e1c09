"""Directory spreadsheets: the management export, the two-step import of services."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.directory.models import DirectoryService
from crm.directory.xlsx import COLUMNS
from portal.extensions import db
from tests.imports import xlsx_bytes

MOBILITY = "mobilite--etre-accompagne-dans-son-parcours-mobilite"
HEADERS = ["Nom du service", "Structure", "Description", "Thématiques", "Publics", "Modes d'accueil",
           "Zone d'éligibilité", "Commune", "Téléphone", "Fréquence de mise à jour"]


def _xlsx(rows, headers=HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


def _row(name, structure="", zone="63", thematiques=MOBILITY, phone="04 73 00 00 00", commune="63430"):
    return [name, structure, "Un service pour se déplacer.", thematiques, "jeunes", "en-presentiel", zone, commune,
            phone, "semestrielle"]


def _upload(client, csrf, content: bytes, filename="services.xlsx"):
    return client.post("/annuaire/import", data={"csrf_token": csrf("/annuaire/import"),
                                                 "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(DirectoryService.id)))


def test_dry_run_lists_errors_and_duplicates_then_confirmation_writes_the_good_rows(client, auth, csrf, make):
    partner = make.partner(name="Mobilité Solidaire")
    make.directory_service(partner, name="Garage solidaire")
    auth.login(make.counsellor())
    before = _count()
    content = _xlsx([
        _row("Location de scooters", "Mobilité Solidaire"),
        _row("Auto-école sociale", "mobilite solidaire", thematiques="Être accompagné dans son parcours mobilité"),
        _row("Zone fausse", zone="99999"),
        _row("Garage solidaire", "Mobilité Solidaire"),
        _row("Location de scooters", "Mobilité Solidaire"),
        _row("Structure inconnue", "Nulle Part"),
        _row("Mauvais téléphone", phone="12"),
        _row("Thème inventé", thematiques="cuisine-moleculaire"),
    ])
    response = _upload(client, csrf, content)
    assert response.status_code == 303
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "rien n'a encore été enregistré" in report
    assert "Code inconnu dans la zone d&#39;éligibilité : 99999" in report
    assert "déjà enregistré : « Garage solidaire »" in report
    assert "doublon dans le fichier" in report
    assert "« Nulle Part » introuvable" in report
    assert "Téléphone : numéro invalide" in report
    assert "Thématique inconnue : cuisine-moleculaire" in report
    assert _count() == before  # the dry run writes nothing

    job_url = response.headers["Location"]
    errors = client.get(job_url + "/erreurs.xlsx")
    lines = [r[0] for r in load_workbook(io.BytesIO(errors.data)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert lines == [4, 5, 6, 7, 8, 9]

    # Asked to stop on errors: nothing at all.
    client.post(job_url + "/confirmer", data={"csrf_token": csrf(job_url), "stop_on_errors": "y"})
    assert _count() == before
    client.post(job_url + "/confirmer", data={"csrf_token": csrf(job_url)})
    created = db.session.scalars(select(DirectoryService).where(DirectoryService.name.in_(
        ["Location de scooters", "Auto-école sociale"]))).all()
    assert len(created) == 2 and {s.status for s in created} == {"brouillon"}
    assert {s.partner_id for s in created} == {partner.id} and created[0].thematiques == [MOBILITY]
    assert _count() == before + 2
    assert "2 service(s) enregistré(s) en brouillon" in client.get(job_url).get_data(as_text=True)


def test_unreadable_files_and_missing_columns_are_refused_in_french(client, auth, csrf, make):
    auth.login(make.counsellor())
    response = _upload(client, csrf, b"nom;description\nx;y\n", "services.csv")
    assert response.status_code == 422 and "pas un classeur Excel" in response.get_data(as_text=True)
    response = _upload(client, csrf, _xlsx([["x"]], headers=["Nom du service"]))
    assert response.headers["Location"].endswith("/colonnes")  # a person maps the missing required columns
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aucune colonne n&#39;est associée au champ obligatoire" in page
    assert _count() == 0


def test_template_carries_every_column_and_its_example_passes_the_dry_run(client, auth, csrf, make):
    auth.login(make.counsellor())
    template = client.get("/annuaire/import/modele.xlsx")
    rows = list(load_workbook(io.BytesIO(template.data)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    make.partner(name="Mobilité Solidaire")
    response = _upload(client, csrf, template.data)
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lignes non importables" not in report


def test_only_staff_import_and_jobs_are_personal(client, auth, csrf, make):
    counsellor = make.counsellor()
    auth.login(counsellor)
    job_url = _upload(client, csrf, _xlsx([_row("Vélo-école")])).headers["Location"]
    auth.logout()
    auth.login(make.counsellor())
    assert client.get(job_url).status_code == 404
    auth.logout()
    auth.login(make.partner_user())
    assert client.get("/annuaire/import").status_code == 403
    assert client.get("/annuaire/import/modele.xlsx").status_code == 403


def test_export_follows_filters_and_a_partner_exports_its_own_services(client, auth, make):
    mine, other = make.partner(name="À moi"), make.partner(name="Autre")
    make.directory_service(mine, name="Mon service publié")
    make.directory_service(mine, name="Mon brouillon", status="brouillon")
    make.directory_service(other, name="Service d'un autre")
    auth.login(make.partner_user(partner_id=mine.id))
    response = client.get("/annuaire/gestion/export.xlsx?statut=publie")
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Nom du service" and [r[0] for r in rows[1:]] == ["Mon service publié"]
    assert "Être accompagné" in rows[1][4]
    auth.logout()
    auth.login(make.counsellor())
    rows = list(load_workbook(io.BytesIO(client.get("/annuaire/gestion/export.xlsx").data))
                .worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4
