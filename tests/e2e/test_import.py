"""A spreadsheet of companies imported by a counsellor: the dry run shows each bad row and writes nothing;
the confirmed import writes the good rows."""

import re
from datetime import datetime

from openpyxl import Workbook
from playwright.sync_api import expect
from stdnum import luhn


def _siret(seed: str) -> str:
    siren = seed + luhn.calc_check_digit(seed)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def test_company_import_dry_run_then_confirmed(as_role, tmp_path):
    good = [("Scierie du Lignon (import)", _siret("86666661")), ("Garage des Margerides (import)", _siret("86666662"))]
    bad = ("Siret faux (import)", "12345678901234")
    sheet = Workbook()
    ws = sheet.active
    ws.append(["Raison sociale", "SIRET", "Commune"])
    for name, siret in [*good, bad]:
        ws.append([name, siret, "63430"])
    path = tmp_path / "entreprises.xlsx"
    sheet.save(path)

    page = as_role("counsellor")
    page.goto("/entreprises/import")
    page.get_by_label(re.compile("Fichier")).set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import de « entreprises.xlsx »")
    figures = page.locator(".figure")
    expect(figures.filter(has_text="lignes")).to_contain_text("3", timeout=30_000)
    expect(figures.filter(has_text="correctes")).to_contain_text("2")
    expect(figures.filter(has_text="en erreur ou en doublon")).to_contain_text("1")
    bad_row = page.get_by_role("row").filter(has_text=bad[1])  # the bad row is listed with its reason
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("SIRET")
    report = page.url

    # The dry run wrote nothing.
    page.goto("/entreprises?q=import")
    expect(page.get_by_role("link", name=good[0][0])).to_have_count(0)

    page.goto(report)
    stop = page.get_by_label("Ne rien importer s'il reste une ligne en erreur ou en doublon")
    if stop.count():
        stop.uncheck()
    page.get_by_role("button", name=re.compile(r"Importer les 2 ligne")).click()
    expect(page.get_by_role("status")).to_contain_text("2 entreprise(s) importée(s).")
    page.goto("/entreprises?q=import")
    for name, _ in good:
        expect(page.get_by_role("link", name=name)).to_have_count(1)
    expect(page.get_by_role("link", name=bad[0])).to_have_count(0)


def test_the_columns_of_an_unknown_file_are_chosen_once_then_remembered(as_role, tmp_path):
    """An extract with headers the portal does not know: the counsellor chooses their fields once; the next file
    with the same headers goes straight to the dry run, read the same way."""
    headers = ["N° dossier", "Nom", "Prénom", "Né(e) le", "Ville de résidence (e2e)", "Suivi par"]

    def extract(name: str, people: list[tuple]) -> str:
        workbook = Workbook()
        workbook.active.append(headers)
        for row in people:
            workbook.active.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return str(path)

    page = as_role("counsellor")
    page.goto("/jeunes/import")
    page.get_by_label(re.compile("Fichier")).set_input_files(extract("premier.xlsx", [
        (7100001, "Colonnes", "Ana", datetime(2006, 3, 3), "Thiers", "Mme Roche"),
        (7100002, "Colonnes", "Bao", datetime(2005, 6, 9), "Courpière", "M. Brun")]))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colonnes de « premier.xlsx »")
    expect(page.get_by_label("« Né(e) le »")).to_have_value("birth_date")  # known by another name
    page.get_by_label("« Ville de résidence (e2e) »").select_option(label="Commune")
    page.get_by_label("« Suivi par »").select_option(label="Ignorer cette colonne")
    page.get_by_role("button", name="Enregistrer et vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import de « premier.xlsx »")
    expect(page.locator(".figure").filter(has_text="correctes")).to_contain_text("2", timeout=30_000)

    page.goto("/jeunes/import")
    page.get_by_label(re.compile("Fichier")).set_input_files(extract("second.xlsx", [
        (7100003, "Colonnes", "Cyl", datetime(2004, 1, 2), "Lezoux", "Mme Roche")]))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import de « second.xlsx »")  # no columns page
    expect(page.locator(".figure").filter(has_text="correctes")).to_contain_text("1", timeout=30_000)
    page.get_by_role("link", name="Changer le champ de chaque colonne").click()
    expect(page.get_by_label("« Ville de résidence (e2e) »")).to_have_value("commune")
    expect(page.get_by_label("« Suivi par »")).to_have_value("ignorer")
