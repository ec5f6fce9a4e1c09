"""A spreadsheet of companies imported by a counsellor: the dry run shows each bad row and writes nothing;
the confirmed import writes the good rows."""

import re

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
