"""Who sees which figures, bad filters in French, and the xlsx report (native charts, same numbers)."""

import html
import io
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date

import pytest
from openpyxl import load_workbook

from crm.reporting.dashboard import dashboard
from crm.reporting.rules import make_period, previous_period
from tests.crm.reporting.conftest import EPCI_TDM
from tests.crm.reporting.test_indicators import page_figures

YEAR_2025 = {"periode": "annee", "annee": "2025"}


@pytest.mark.parametrize("query, message", [
    ({"periode": "annee", "annee": "2999"}, "L'année doit être comprise entre 2000 et"),
    ({"periode": "personnalisee", "du": "2025-06-01", "au": "2025-05-01"},
     "La date de fin doit être postérieure ou égale à la date de début."),
    ({"periode": "annee", "annee": "2025", "epci": "999999999"},
     "Cette intercommunalité ne fait pas partie du territoire de la Mission Locale."),
    ({"periode": "annee", "annee": "2025", "epci": EPCI_TDM, "commune": "63195"},
     "Cette commune ne fait pas partie de l'intercommunalité choisie."),
    ({"periode": "mois", "annee": "2025", "mois": "13"}, "Le formulaire contient 1 erreur"),
    ({"periode": "annee", "annee": "deux mille"}, "Le formulaire contient"),
])
def test_impossible_filters_get_a_french_message(query, message, client, auth, make):
    auth.login(make.admin())
    for url in ("/indicateurs", "/indicateurs/rapport.xlsx"):
        response = client.get(url, query_string=query)
        assert response.status_code == 422
        body = html.unescape(response.get_data(as_text=True))
        assert message in body
        assert 'data-indicator="' not in body


def test_employer_sees_only_its_own_company(world, client, auth):
    auth.login(world.employer)
    shown = page_figures(client, YEAR_2025)
    # company A: hires of y1 (CDI, March), y2 (intérim, September), y1 (professionnalisation, November)
    assert shown["contrats_signes"] == (3.0, 0.0)
    assert shown["offres_recues"][0] == 2.0  # the draft is not received
    assert shown["pmsmp_commencees"][0] == 2.0
    assert "jeunes_positionnes" not in shown and "entreprises_prospectees" not in shown
    assert "services_publies" not in shown
    body = html.unescape(client.get("/indicateurs", query_string=YEAR_2025).get_data(as_text=True))
    assert f"Chiffres de l'entreprise {world.company_a.name}" in body
    assert "Équité territoriale" not in body
    # territory and people filters are ignored for an employer: the same figures
    assert page_figures(client, {**YEAR_2025, "sexe": "homme", "epci": "246301097"}) == shown


def test_partner_sees_only_its_own_services_and_conventions(world, client, auth):
    auth.login(world.partner_user)
    shown = page_figures(client, YEAR_2025)
    assert set(shown) == {"conventions_actives", "conventions_echeance", "services_publies",
                          "services_a_actualiser"}
    assert shown["conventions_actives"] == (2.0, 1.0)
    assert shown["services_publies"][0] == 2.0
    assert shown["services_a_actualiser"][0] == 1.0


def test_visitor_must_log_in(client):
    response = client.get("/indicateurs")
    assert response.status_code in (302, 303)
    assert client.get("/indicateurs/rapport.xlsx").status_code in (302, 303)


def test_filters_are_kept_in_the_url_and_the_report_link(world, client, auth):
    auth.login(world.admin)
    body = html.unescape(client.get("/indicateurs", query_string={**YEAR_2025, "epci": EPCI_TDM,
                                                                  "sexe": "femme"}).get_data(as_text=True))
    assert "Intercommunalité : CC Thiers Dore et Montagne" in body
    assert "Sexe : Femme" in body
    assert "epci=" + EPCI_TDM in body and "sexe=femme" in body  # the report link keeps them


def test_people_filters_change_youth_figures_only(world, client, auth):
    auth.login(world.admin)
    everyone = page_figures(client, YEAR_2025)
    women = page_figures(client, {**YEAR_2025, "sexe": "femme"})
    assert women["jeunes_embauches"][0] == 2.0  # y1 and y3
    assert everyone["jeunes_embauches"][0] == 3.0
    assert women["offres_recues"] == everyone["offres_recues"]
    minors = page_figures(client, {**YEAR_2025, "age": "mineurs"})
    assert minors["jeunes_positionnes"][0] == 1.0  # y1, 17 at the end of 2025


def _report(client, query):
    response = client.get("/indicateurs/rapport.xlsx", query_string=query)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def test_report_numbers_equal_the_dashboard_and_charts_are_native(world, client, auth):
    auth.login(world.admin)
    query = {**YEAR_2025, "epci": EPCI_TDM}
    shown = page_figures(client, query)
    content = _report(client, query)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[0] == "Synthèse" and "Définitions" in workbook.sheetnames
    assert "Équité territoriale" in workbook.sheetnames
    summary = workbook["Synthèse"]
    texts = [r[0] for r in summary.iter_rows(values_only=True) if r and r[0]]
    assert any("Période : année 2025" in t for t in texts)
    assert any("Intercommunalité : CC Thiers Dore et Montagne" in t for t in texts)
    from crm.reporting.indicators import REGISTRY

    labels = {i.label: key for key, i in REGISTRY.items()}
    seen = 0
    for row in summary.iter_rows(values_only=True):
        if row and len(row) > 3 and row[1] in labels:
            key = labels[row[1]]
            assert row[2] == pytest.approx(shown[key][0]) if shown[key][0] is not None else row[2] is None, key
            seen += 1
    assert seen == len(REGISTRY)
    # native charts: chart parts inside the package, drawn from the sheets' cells
    with __import__("zipfile").ZipFile(io.BytesIO(content)) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) >= 8
        xml = package.read(charts[0])
        assert re.search(rb"<(c:)?barChart>", xml) and re.search(rb"<(c:)?f>'?[^<]+'?!\$", xml)
    definitions = workbook["Définitions"]
    assert any(r[2] and "i-milo" in r[2] for r in definitions.iter_rows(values_only=True))


def test_employer_report_holds_only_its_figures(world, client, auth):
    auth.login(world.employer)
    workbook = load_workbook(io.BytesIO(_report(client, YEAR_2025)))
    summary = workbook["Synthèse"]
    rows = {r[1]: r[2] for r in summary.iter_rows(values_only=True) if r and len(r) > 2}
    assert rows["Contrats signés"] == 3
    assert "Entreprises prospectées" not in rows
    assert "Équité territoriale" not in workbook.sheetnames


def test_report_opens_in_a_spreadsheet_program(world, client, auth):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) est requis en CI pour vérifier que le rapport s'ouvre.")
        pytest.skip("LibreOffice (soffice) absent : conversion du rapport non vérifiée sur ce poste.")
    auth.login(world.admin)
    content = _report(client, YEAR_2025)
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "rapport.xlsx")
        with open(source, "wb") as handle:
            handle.write(content)
        result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                                 "--convert-to", "pdf", "--outdir", folder, source],
                                capture_output=True, timeout=180, check=False)
        assert result.returncode == 0, result.stderr
        assert os.path.getsize(os.path.join(folder, "rapport.pdf")) > 1000


def test_equity_per_commune(world, client, auth):
    auth.login(world.admin)
    board = dashboard(world.admin, _filters(), date.today())
    rows = {r[0]: r for r in board.equity.rows}
    assert rows["Lezoux"][4] == 2  # y3 (hire, PMSMP) and y4 (positioning) reached in 2025
    assert rows["Thiers"][4] == 1 and rows["Courpière"][4] == 1
    assert rows["Thiers"][5] == pytest.approx(round(1000 / rows["Thiers"][2], 1))
    body = html.unescape(client.get("/indicateurs", query_string={**YEAR_2025, "rubrique": "equite"})
                         .get_data(as_text=True))
    assert "Équité territoriale : jeunes touchés par commune" in body and "Lezoux" in body


def _filters():
    from crm.reporting.rules import Filters

    current = make_period("annee", today=date.today(), year=2025)
    return Filters("annee", current, previous_period("annee", current))


def test_the_year_counted_by_default_is_shown_in_its_field(client, auth, make):
    auth.login(make.admin())
    body = client.get("/indicateurs").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="annee"[^>]*>', body).group(0)
    assert f'value="{date.today().year}"' in field
    assert f"année {date.today().year}" in body  # the period the figures are counted on


# --- one section at a time, the period fields that the period reads --------------------------------

_CHART = re.compile(r'<canvas data-chart="([^"]+)"')
_TAB = re.compile(r'<a href="([^"]*rubrique=([a-z-]+)[^"]*)"( aria-current="page")?>([^<]+)</a>')
_PERIOD_FIELD = re.compile(r'<div class="report-period-field"[^>]*?( hidden)?>.*?name="(\w+)"', re.S)


def _menu(body: str) -> str:
    return re.search(r'<nav aria-label="Rubriques".*?</nav>', body, re.S).group(0)


def _page(client, **query):
    response = client.get("/indicateurs", query_string=query)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_summary_first_then_one_section_at_a_time(world, client, auth):
    auth.login(world.admin)
    status, body = _page(client, **YEAR_2025)
    assert status == 200
    tabs = {key: (href, current, title) for href, key, current, title in _TAB.findall(_menu(body))}
    assert [title for _, _, title in tabs.values()][:2] == ["Synthèse", "Jeunes et mises en relation"]
    assert tabs["synthese"][1] and not tabs["jeunes"][1]
    assert "periode=annee" in tabs["jeunes"][0] and "annee=2025" in tabs["jeunes"][0]  # the filters are kept
    assert {"equite", "satisfaction"} <= set(tabs)
    assert _CHART.findall(body) == []  # the summary holds every figure, no chart
    assert 'data-indicator="jeunes_positionnes"' in body and 'data-indicator="contrats_signes"' in body

    status, body = _page(client, **YEAR_2025, rubrique="contrats")
    assert status == 200
    assert _CHART.findall(body) == ["c-contrats_comparaison", "c-contrats_type"]
    assert 'href="/indicateurs?' in body and '<input type="hidden" name="rubrique" value="contrats">' in body
    assert "Équité territoriale : jeunes touchés par commune" not in body and "data-indicator=" not in body


def test_each_chart_is_drawn_in_one_section_once(world, client, auth):
    auth.login(world.admin)
    _, body = _page(client, **YEAR_2025)
    keys = [key for _, key, _, _ in _TAB.findall(_menu(body))]
    charts = [chart for key in keys for chart in _CHART.findall(_page(client, **YEAR_2025, rubrique=key)[1])]
    assert len(charts) == len(set(charts)) > 10
    assert "c-jeunes_sexe" in charts and "c-ruptures_motif" in charts


@pytest.mark.parametrize("rubrique", ["inconnue", "<b>x</b>"])
def test_an_unknown_section_says_so_in_french(rubrique, world, client, auth):
    auth.login(world.admin)
    status, body = _page(client, **YEAR_2025, rubrique=rubrique)
    assert status == 404
    assert f"La rubrique « {rubrique} » n'existe pas dans vos indicateurs" in body
    assert "<b>x</b>" not in client.get("/indicateurs", query_string={"rubrique": rubrique}).get_data(as_text=True)
    assert "Synthèse" in body  # the menu is there to choose from


@pytest.mark.parametrize("rubrique", ["equite", "satisfaction"])
def test_an_employer_cannot_open_the_staff_sections(rubrique, world, client, auth):
    auth.login(world.employer)
    status, body = _page(client, **YEAR_2025, rubrique=rubrique)
    assert status == 404 and "n'existe pas dans vos indicateurs" in body
    assert "Lezoux" not in body and "Satisfaction des employeurs" not in body


@pytest.mark.parametrize("query, shown", [
    ({}, {"annee"}),
    (YEAR_2025, {"annee"}),
    ({"periode": "mois", "annee": "2025", "mois": "3"}, {"annee", "mois"}),
    ({"periode": "trimestre", "annee": "2025", "trimestre": "2"}, {"annee", "trimestre"}),
    ({"periode": "personnalisee", "du": "2025-01-01", "au": "2025-03-31"}, {"du", "au"}),
])
def test_only_the_period_fields_the_period_reads_are_shown(query, shown, client, auth, make):
    auth.login(make.admin())
    status, body = _page(client, **query)
    assert status == 200
    fields = {name: not hidden for hidden, name in _PERIOD_FIELD.findall(body)}
    assert set(fields) == {"annee", "mois", "trimestre", "du", "au"}  # all sent, the others hidden
    assert {name for name, visible in fields.items() if visible} == shown


@pytest.mark.parametrize("query, shown, message", [
    ({"periode": "mois", "annee": "2025", "mois": "13"}, {"annee", "mois"}, "N'est pas un choix valide."),
    ({"periode": "personnalisee", "du": "2025-06-01", "au": "2025-05-01"}, {"du", "au"},
     "La date de fin doit être postérieure ou égale à la date de début."),
    ({"periode": "personnalisee", "du": "hier", "au": "2025-05-01"}, {"du", "au"}, "Le formulaire contient 1 erreur"),
    ({"periode": "semaine", "annee": "2025"}, {"annee", "mois", "trimestre", "du", "au"}, "N'est pas un choix valide."),
])
def test_a_bad_period_keeps_its_field_shown_with_the_french_message(query, shown, message, client, auth, make):
    auth.login(make.admin())
    status, body = _page(client, **query)
    assert status == 422 and message in body
    fields = {name: not hidden for hidden, name in _PERIOD_FIELD.findall(body)}
    assert {name for name, visible in fields.items() if visible} == shown
    for name in ("du", "au"):
        if name in query:
            assert re.search(rf'name="{name}"[^>]*value="{query[name]}"', body)  # what was typed is kept
